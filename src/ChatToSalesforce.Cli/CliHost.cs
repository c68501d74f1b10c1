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

    private const string EmulatorClientId = "chat2sf";
    private const string EmulatorClientSecret = "chat2sf";

    private CliHost(ServiceProvider services, SalesforceEmulator? emulator, SalesforceChatExportOptions options, TenantsRun? tenants)
    {
        Services = services;
        Emulator = emulator;
        Options = options;
        Tenants = tenants;
    }

    /// <summary>Gets the tenants of <c>--tenants</c> (and their emulated orgs), or <see langword="null"/>.</summary>
    public TenantsRun? Tenants { get; }

    public ServiceProvider Services { get; }

    /// <summary>Gets the in-process emulator, when the run targets it.</summary>
    public SalesforceEmulator? Emulator { get; }

    /// <summary>Gets the validated options.</summary>
    public SalesforceChatExportOptions Options { get; }

    /// <summary>Gets the loopback URL the emulator is served on (<c>--open</c>), or <see langword="null"/>.</summary>
    public Uri? ServedUrl => Emulator is not null && Served ? Emulator.InstanceUrl : null;

    private bool Served { get; init; }

    public string TargetDescription => Emulator is not null
        ? Served
            ? $"the Salesforce org emulator served at {Emulator.InstanceUrl.ToString().TrimEnd('/')}"
            : $"the in-process Salesforce org emulator ({Emulator.InstanceUrl.ToString().TrimEnd('/')})"
        : Options.InstanceUrl?.ToString().TrimEnd('/') ?? "(no instance URL)";

    public IConversationExporter Exporter => Services.GetRequiredService<IConversationExporter>();

    /// <summary>The exporter's dry run (an internal seam of the SDK the CLI may use): the export's read path, no writes.</summary>
    public IExportPreviewer Previewer => Services.GetRequiredService<IExportPreviewer>();

    public ISalesforceClient Client => Services.GetRequiredService<ISalesforceClient>();

    public ISalesforceApiUsage ApiUsage => Services.GetRequiredService<ISalesforceApiUsage>();

    /// <summary>Builds the host and validates the options (nothing is sent to Salesforce).</summary>
    /// <remarks>
    /// The in-process emulator is used only when asked (<c>--emulator</c>, or <c>--seed</c> without a configured
    /// <c>InstanceUrl</c>) or when no configuration at all is given (no <c>--config</c>, no <c>Salesforce__*</c> environment
    /// variable). A configuration that does not say where to export is an error, never a silent export into the emulator.
    /// </remarks>
    /// <param name="request">The command line's choices.</param>
    /// <param name="hooks">Test hooks.</param>
    /// <param name="configure">Extra option settings (progress callbacks).</param>
    /// <param name="build">Extra registrations on the export builder (the journal of <c>replay</c>).</param>
    /// <exception cref="CliConfigurationException">The configuration file is unreadable, has unknown keys, or misses a credential.</exception>
    public static CliHost Create(HostRequest request, CliHooks hooks, Action<SalesforceChatExportOptions>? configure = null, Action<ISalesforceChatExportBuilder>? build = null)
    {
        var (configFile, explicitEmulator, seedFile, serve) = request;
        var tenants = request.TenantsFile is { } tenantsFile ? TenantsFile.Read(tenantsFile) : null;
        IConfiguration configuration;
        var fileHasSection = false;
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
                fileHasSection = new ConfigurationBuilder().AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false).Build().GetSection(SectionName).Exists();
            }

            builder.AddEnvironmentVariables();
            configuration = builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new CliConfigurationException([$"--config: {e.Message} {e.InnerException?.Message}".TrimEnd()]);
        }

        var section = configuration.GetSection(SectionName);
        if (configFile is not null && !fileHasSection && !explicitEmulator)
        {
            throw new CliConfigurationException([
                $"--config: the file '{configFile.FullName}' has no \"{SectionName}\" section, so it does not say which org to export into. " +
                $"Put the settings inside \"{SectionName}\": {{ \"InstanceUrl\": ..., \"Authentication\": ... }} (docs/configuration.md), or add --emulator to use the in-process emulator."]);
        }

        var hasInstanceUrl = !string.IsNullOrWhiteSpace(section["InstanceUrl"]);
        var useEmulator = explicitEmulator || (configFile is null && !section.Exists() && tenants is null) || (seedFile is not null && !hasInstanceUrl);
        if (!useEmulator && seedFile is not null)
        {
            throw new CliConfigurationException(["--seed: only applies to the emulator; add --emulator, or remove Salesforce:InstanceUrl from the configuration."]);
        }

        if (serve && !useEmulator)
        {
            throw new CliConfigurationException(["--open: opens the emulator's dashboard, so it needs the emulator; add --emulator."]);
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

            // The CLI's own client, so the emulator accepts it whether or not it accepts any client.
            emulator.RegisterClient(EmulatorClientId, EmulatorClientSecret);
            hooks.EmulatorCreated?.Invoke(emulator);
            if (serve)
            {
                try
                {
                    emulator.StartServerAsync(0).GetAwaiter().GetResult(); // completes synchronously: it only binds a socket
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    emulator.Dispose();
                    throw new CliConfigurationException([$"--open: cannot listen on 127.0.0.1 ({e.SocketErrorCode})."]);
                }
            }
        }

        var cluster = tenants is not null && emulator is not null ? TenantsRun.Emulate(tenants, serve, EmulatorClientId, EmulatorClientSecret) : null;
        var services = new ServiceCollection();
        var exportBuilder = section.Exists()
            ? services.AddSalesforceChatExport(section)
            : services.AddSalesforceChatExport(_ => { });
        if (tenants is not null)
        {
            exportBuilder.UseTenantStore(TenantsFile.Store(tenants));
        }

        if (emulator is not null)
        {
            var instanceUrl = emulator.InstanceUrl;
            services.Configure<SalesforceChatExportOptions>(o =>
            {
                // The mapping, mode and filters come from the configuration; the connection is the emulator's.
                o.InstanceUrl = instanceUrl;
                o.AllowTestEndpoint = serve; // http://127.0.0.1:<port>
                o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.ClientCredentials, ClientId = EmulatorClientId, ClientSecret = EmulatorClientSecret };
                o.Resilience.BaseDelay = TimeSpan.Zero;
                o.Resilience.MaxDelay = TimeSpan.Zero;
            });
            if (!serve)
            {
                exportBuilder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => cluster is null ? emulator.CreateHandler() : TenantsRun.Route(emulator, cluster));
            }
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        build?.Invoke(exportBuilder);

        var provider = services.BuildServiceProvider();
        try
        {
            var options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
            return new CliHost(provider, emulator, options, tenants is null ? null : new TenantsRun(tenants.Select(t => t.Id).ToList(), cluster)) { Served = serve };
        }
        catch (OptionsValidationException e)
        {
            provider.Dispose();
            emulator?.Dispose();
            cluster?.Dispose();
            var failures = e.Failures.ToList();
            if (emulator is null && !hasInstanceUrl)
            {
                failures.Add("To try this configuration against the in-process emulator instead of an org, add --emulator.");
            }

            throw new CliConfigurationException(failures);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync().ConfigureAwait(false);
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync().ConfigureAwait(false);
        }

        if (Tenants?.Orgs is { } orgs)
        {
            await orgs.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>What a command asks of the host: its configuration, whether it wants the emulator, a seed, and whether to serve it on loopback.</summary>
internal sealed record HostRequest(FileInfo? ConfigFile, bool Emulator, FileInfo? SeedFile, bool Serve = false)
{
    /// <summary>The tenants file (<c>--tenants</c>), if any.</summary>
    public FileInfo? TenantsFile { get; init; }
}

/// <summary>Test hooks for in-process runs.</summary>
internal sealed class CliHooks
{
    public static CliHooks None { get; } = new();

    /// <summary>Called with the in-process emulator before anything is exported (fault injection, inspection).</summary>
    public Action<SalesforceEmulator>? EmulatorCreated { get; init; }

    /// <summary>Replaces opening the dashboard in a browser (<c>--open</c>); tests record the URL instead of starting xdg-open.</summary>
    public Action<Uri>? OpenBrowser { get; init; }

    /// <summary>Called when a command serves the emulator and waits for Ctrl+C (tests fetch from it, then cancel).</summary>
    public Action<Uri>? Serving { get; init; }

    /// <summary>Whether the console is interactive (progress bars); <see langword="null"/> detects it.</summary>
    public bool? Interactive { get; init; }
}
