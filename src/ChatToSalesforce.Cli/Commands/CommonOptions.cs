using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Cli.Commands;

/// <summary>The options export, preview and check share.</summary>
internal sealed class CommonOptions
{
    public Option<FileInfo?> Config { get; } = new("--config", "-c")
    {
        Description = "An appsettings.json whose \"Salesforce\" section uses the SDK's configuration keys (docs/configuration.md). Secrets can come from environment variables such as Salesforce__Authentication__ClientSecret.",
    };

    public Option<bool> Emulator { get; } = new("--emulator")
    {
        Description = "Use an in-process Salesforce org emulator even if an org is configured (the default only when no configuration at all is given). The configuration's mapping, mode and filters still apply.",
    };

    public Option<FileInfo?> Seed { get; } = new("--seed")
    {
        Description = "Seed the in-process emulator from this file (objects, fields, users, existing records; see docs/emulator.md).",
    };

    public Option<FileInfo?> Tenants { get; } = new("--tenants")
    {
        Description = "A tenants file: { \"Tenants\": { \"acme\": { <the SDK's configuration keys> } } }, one Salesforce org per tenant; conversations name theirs with \"tenantId\". Secrets from environment variables such as Tenants__acme__Authentication__RefreshToken (docs/multi-tenant.md).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Tenants);
        command.Options.Add(Emulator);
        command.Options.Add(Seed);
    }

    public CliHost CreateHost(ParseResult parseResult, CliHooks hooks, Action<SalesforceChatExportOptions>? configure = null, bool serve = false, Action<ISalesforceChatExportBuilder>? build = null) =>
        CliHost.Create(new HostRequest(parseResult.GetValue(Config), parseResult.GetValue(Emulator), parseResult.GetValue(Seed), serve) { TenantsFile = parseResult.GetValue(Tenants) }, hooks, configure, build);

    /// <summary>Creates the host, or reports the configuration errors (before anything is sent) and returns <see langword="null"/>.</summary>
    public CliHost? TryCreateHost(ParseResult parseResult, CliConsole console, Action<SalesforceChatExportOptions>? configure = null, bool serve = false, Action<ISalesforceChatExportBuilder>? build = null)
    {
        try
        {
            return CreateHost(parseResult, console.Hooks, configure, serve, build);
        }
        catch (CliConfigurationException e)
        {
            console.WriteErrors("Configuration error (nothing was sent to Salesforce):", e.Failures);
            return null;
        }
    }
}
