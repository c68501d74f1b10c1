using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Cli;

/// <summary>A configuration problem found before any call to Salesforce (exit code 2).</summary>
internal sealed class CliConfigurationException(IReadOnlyList<string> failures) : Exception(string.Join(Environment.NewLine, failures))
{
    public IReadOnlyList<string> Failures { get; } = failures;
}

/// <summary>
/// The SDK's service provider for one CLI run: bound from <c>--config</c> (its <c>Salesforce</c> section, with the SDK's own keys)
/// and environment variables (<c>Salesforce__Authentication__ClientSecret</c>), or wired to an in-process emulator when no
/// <c>InstanceUrl</c> is configured or <c>--emulator</c> is given.
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    public const string SectionName = "Salesforce";

    private CliHost(ServiceProvider services, SalesforceEmulator? emulator, SalesforceChatExportOptions options)
    {
        Services = services;
        Emulator = emulator;
        Options = options;
    }

    public ServiceProvider Services { get; }

    /// <summary>Gets the in-process emulator, when the run targets it.</summary>
    public SalesforceEmulator? Emulator { get; }

    /// <summary>Gets the validated options.</summary>
    public SalesforceChatExportOptions Options { get; }

    public string TargetDescription => Emulator is not null
        ? $"the in-process Salesforce org emulator ({Emulator.InstanceUrl.ToString().TrimEnd('/')})"
        : Options.InstanceUrl?.ToString().TrimEnd('/') ?? "(no instance URL)";

    public IConversationExporter Exporter => Services.GetRequiredService<IConversationExporter>();

    /// <summary>The exporter's dry run (an internal seam of the SDK the CLI may use): the export's read path, no writes.</summary>
    public IExportPreviewer Previewer => Services.GetRequiredService<IExportPreviewer>();

    public ISalesforceClient Client => Services.GetRequiredService<ISalesforceClient>();

    public ISalesforceApiUsage ApiUsage => Services.GetRequiredService<ISalesforceApiUsage>();

    /// <summary>Builds the host and validates the options (nothing is sent to Salesforce).</summary>
    /// <exception cref="CliConfigurationException">The configuration file is unreadable, has unknown keys, or misses a credential.</exception>
    public static CliHost Create(FileInfo? configFile, bool useEmulator, FileInfo? seedFile, CliHooks hooks, Action<SalesforceChatExportOptions>? configure = null)
    {
        IConfiguration configuration;
        try
        {
            var builder = new ConfigurationBuilder();
            if (configFile is not null)
            {
                if (!configFile.Exists)
                {
                    throw new CliConfigurationException([$"--config: the file '{configFile.FullName}' does not exist."]);
                }

                builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
            }

            builder.AddEnvironmentVariables();
            configuration = builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new CliConfigurationException([$"--config: {e.Message} {e.InnerException?.Message}".TrimEnd()]);
        }

        var section = configuration.GetSection(SectionName);
        useEmulator |= string.IsNullOrWhiteSpace(section["InstanceUrl"]);
        if (!useEmulator && seedFile is not null)
        {
            throw new CliConfigurationException(["--seed: only applies to the emulator; add --emulator, or remove Salesforce:InstanceUrl from the configuration."]);
        }

        SalesforceEmulator? emulator = null;
        if (useEmulator)
        {
            try
            {
                emulator = seedFile is null ? new SalesforceEmulator() : SalesforceEmulator.FromSeedFile(seedFile.FullName);
            }
            catch (EmulatorSeedException e)
            {
                throw new CliConfigurationException([$"--seed: {e.Message}"]);
            }

            hooks.EmulatorCreated?.Invoke(emulator);
        }

        var services = new ServiceCollection();
        var exportBuilder = section.Exists()
            ? services.AddSalesforceChatExport(section)
            : services.AddSalesforceChatExport(_ => { });
        if (emulator is not null)
        {
            var instanceUrl = emulator.InstanceUrl;
            services.Configure<SalesforceChatExportOptions>(o =>
            {
                // The mapping, mode and filters come from the configuration; the connection is the emulator's.
                o.InstanceUrl = instanceUrl;
                // Client credentials (the emulator accepts any client unless its seed says otherwise): the token names the org and user.
                o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.ClientCredentials, ClientId = "chat2sf", ClientSecret = "chat2sf" };
                o.Resilience.BaseDelay = TimeSpan.Zero;
                o.Resilience.MaxDelay = TimeSpan.Zero;
            });
            exportBuilder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        var provider = services.BuildServiceProvider();
        try
        {
            var options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
            return new CliHost(provider, emulator, options);
        }
        catch (OptionsValidationException e)
        {
            provider.Dispose();
            emulator?.Dispose();
            throw new CliConfigurationException(e.Failures.ToList());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync().ConfigureAwait(false);
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Test hooks for in-process runs.</summary>
internal sealed class CliHooks
{
    public static CliHooks None { get; } = new();

    /// <summary>Called with the in-process emulator before anything is exported (fault injection, inspection).</summary>
    public Action<SalesforceEmulator>? EmulatorCreated { get; init; }

    /// <summary>Whether the console is interactive (progress bars); <see langword="null"/> detects it.</summary>
    public bool? Interactive { get; init; }
}
