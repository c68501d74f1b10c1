using ChatToSalesforce;
using ChatToSalesforce.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.DependencyInjection.Internal;

/// <summary>Binds <see cref="SalesforceChatExportOptions"/> from a configuration section.</summary>
/// <remarks>
/// Lists given in configuration replace the defaults instead of being appended to them (the configuration binder's
/// default), and unknown keys are errors, so a typo fails at start-up with the key named.
/// </remarks>
internal sealed class SectionOptionsBinder(IConfiguration section) : IConfigureOptions<SalesforceChatExportOptions>
{
    public void Configure(SalesforceChatExportOptions options)
    {
        if (section is IConfigurationSection s && !s.Exists())
        {
            throw new OptionsValidationException(
                nameof(SalesforceChatExportOptions),
                typeof(SalesforceChatExportOptions),
                [$"The configuration section '{s.Path}' is empty or missing. Add it (InstanceUrl, Authentication, ...) or configure the options in code."]);
        }

        if (Has("ProtectedFields"))
        {
            options.ProtectedFields = [];
        }

        if (Has("OwnerStrategies"))
        {
            options.OwnerStrategies = [];
        }

        if (Has("Identity:Rules"))
        {
            options.Identity.Rules = [];
        }

        if (Has("Identity:RequiredSources"))
        {
            options.Identity.RequiredSources = [];
        }

        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(
                nameof(SalesforceChatExportOptions),
                typeof(SalesforceChatExportOptions),
                [$"Salesforce export configuration could not be bound: {ex.Message} Check the key names against docs/configuration.md."]);
        }
    }

    private bool Has(string key) => section.GetSection(key).Exists();
}
