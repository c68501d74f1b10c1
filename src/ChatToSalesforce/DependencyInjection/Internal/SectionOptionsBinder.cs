using System.Diagnostics.CodeAnalysis;
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
    // The configuration binder's source generator intercepts this call on net8.0 but not (with the 9.0 package) on
    // net10.0, where the reflection binder runs. Every type it binds is an options class of this assembly whose members
    // are kept by the DynamicDependency attributes below, and all collections are of reference types, so the shared
    // generic code AOT produces is sufficient.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Bound types are preserved by DynamicDependency.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reference-type collections of preserved option types are created.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(SalesforceChatExportOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(SalesforceAuthenticationOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(SalesforceResilienceOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(IdentityOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(IdentificationRule))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(TranscriptOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(RecordTargetOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(FieldMapping))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ExportCondition))]
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
