using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli;

/// <summary>The tenants of one CLI run, and with the emulator, their orgs (one emulated org per tenant, at https://{tenant}.my.salesforce.com).</summary>
internal sealed class TenantsRun(IReadOnlyList<string> ids, SalesforceEmulatorCluster? orgs)
{
    public IReadOnlyList<string> Ids { get; } = ids;

    /// <summary>The emulated orgs of the tenants, when the run targets the emulator.</summary>
    public SalesforceEmulatorCluster? Orgs { get; } = orgs;

    /// <summary>
    /// Gives every tenant an emulated org and points its settings at it (its mapping, mode and filters still apply, as for
    /// the <c>--config</c> org): client credentials of the CLI's own emulator client.
    /// </summary>
    /// <exception cref="CliConfigurationException">A tenant id cannot be an org name (a DNS label).</exception>
    public static SalesforceEmulatorCluster Emulate(IReadOnlyList<(string Id, SalesforceChatExportOptions Options)> tenants, bool serve, string clientId, string clientSecret)
    {
        var cluster = new SalesforceEmulatorCluster();
        try
        {
            foreach (var (id, options) in tenants)
            {
                SalesforceEmulator org;
                try
                {
                    org = cluster.AddOrg(id);
                }
                catch (ArgumentException e)
                {
                    throw new CliConfigurationException([$"--tenants: tenant '{id}' cannot be emulated as an org: {e.Message}"]);
                }

                org.RegisterClient(clientId, clientSecret);
            }

            if (serve)
            {
                cluster.StartServerAsync().GetAwaiter().GetResult();
            }

            foreach (var (id, options) in tenants)
            {
                options.InstanceUrl = cluster[id].InstanceUrl;
                options.AllowTestEndpoint = serve;
                options.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.ClientCredentials, ClientId = clientId, ClientSecret = clientSecret };
                options.Resilience.BaseDelay = TimeSpan.Zero;
                options.Resilience.MaxDelay = TimeSpan.Zero;
            }

            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>One in-process handler for the default org and the tenants' orgs.</summary>
    public static HttpMessageHandler Route(SalesforceEmulator home, SalesforceEmulatorCluster tenants) => new Router(home, tenants);

    private sealed class Router(SalesforceEmulator home, SalesforceEmulatorCluster tenants) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _home = new(home.CreateHandler());
        private readonly HttpMessageInvoker _tenants = new(tenants.CreateHandler());

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            string.Equals(request.RequestUri?.Host, home.InstanceUrl.Host, StringComparison.OrdinalIgnoreCase)
                ? _home.SendAsync(request, cancellationToken)
                : _tenants.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _home.Dispose();
                _tenants.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
