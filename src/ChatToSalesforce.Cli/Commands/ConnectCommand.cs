using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatToSalesforce.Connect;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Cli.Commands;

/// <summary>
/// <c>chat2sf connect --tenant T --tenants tenants.json [--sandbox | --my-domain URL]</c>: "Connect to Salesforce" from a
/// terminal. Prints the authorization URL, listens for the callback on 127.0.0.1, and records the connection in the
/// tenants file (the refresh token only with <c>--write-secrets</c>). <c>chat2sf disconnect</c> revokes it.
/// </summary>
internal static class ConnectCommand
{
    /// <summary>How long <c>connect</c> waits for the admin to log in and allow.</summary>
    internal static readonly TimeSpan CallbackTimeout = TimeSpan.FromMinutes(10);

    public static Command Create(CliConsole console)
    {
        var tenant = new Option<string>("--tenant", "-t") { Description = "The tenant to connect (its entry in the tenants file is created or updated).", Required = true };
        var sandbox = new Option<bool>("--sandbox") { Description = "Log in at https://test.salesforce.com (a sandbox) instead of https://login.salesforce.com." };
        var myDomain = new Option<Uri?>("--my-domain") { Description = "Log in at the org's My Domain (for example https://acme.my.salesforce.com) instead." };
        var port = new Option<int>("--port") { Description = "The loopback port of the callback (http://127.0.0.1:<port>/callback, registered on the app); 0 picks a free one.", DefaultValueFactory = _ => 1717 };
        var writeSecrets = new Option<bool>("--write-secrets") { Description = "Also write the refresh token into the tenants file (by default it is printed once, to keep it in your vault or an environment variable)." };
        var common = new CommonOptions();
        var command = new Command("connect", "Connect a tenant's Salesforce org with the OAuth web-server flow (PKCE): prints the authorization URL, waits for the callback on 127.0.0.1, and records the org in the tenants file. The app is the --config one (Salesforce:Authentication:ClientId/ClientSecret), or the tenant's own. Exit codes: 0 connected, 1 denied or failed, 2 bad input.")
        {
            tenant, sandbox, myDomain, port, writeSecrets,
        };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ConnectAsync(
            console, common, parseResult, parseResult.GetValue(tenant)!, parseResult.GetValue(sandbox), parseResult.GetValue(myDomain), parseResult.GetValue(port), parseResult.GetValue(writeSecrets), cancellationToken));
        return command;
    }

    public static Command CreateDisconnect(CliConsole console)
    {
        var tenant = new Option<string>("--tenant", "-t") { Description = "The tenant to disconnect.", Required = true };
        var common = new CommonOptions();
        var command = new Command("disconnect", "Revoke a tenant's Salesforce grant and remove its connection from the tenants file. Exit codes: 0 done, 1 the tenant was not connected, 2 bad input.") { tenant };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => DisconnectAsync(console, common, parseResult, parseResult.GetValue(tenant)!, cancellationToken));
        return command;
    }

    private static async Task<int> ConnectAsync(CliConsole console, CommonOptions common, ParseResult parseResult, string tenantId, bool sandbox, Uri? myDomain, int port, bool writeSecrets, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(common.Tenants) is not { } tenantsFile)
        {
            console.WriteError("--tenants: give the tenants file to record the connection in (it is created if missing).");
            return CliApp.BadInput;
        }

        if (!tenantsFile.Exists)
        {
            await File.WriteAllTextAsync(tenantsFile.FullName, """{ "Tenants": { } }""", cancellationToken).ConfigureAwait(false);
            tenantsFile.Refresh();
        }

        TenantsFile.EnsureTenant(tenantsFile, tenantId);
        if (common.TryCreateHost(parseResult, console, serve: parseResult.GetValue(common.Emulator)) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            using var listener = Listen(port, out var callback);
            if (host.Tenants?.Orgs is { } orgs)
            {
                // The emulated org stands in for the tenant's org: the app is registered there with this callback.
                var org = orgs[tenantId];
                org.RegisterClient(host.Options.Authentication.ClientId!, [callback.ToString()], host.Options.Authentication.ClientSecret);
                myDomain ??= org.InstanceUrl;
            }

            var connector = host.Services.GetRequiredService<ISalesforceConnector>();
            SalesforceAuthorizationStart start;
            try
            {
                start = await connector.StartAsync(new SalesforceConnectRequest { TenantId = tenantId, RedirectUri = callback, Sandbox = sandbox, MyDomain = myDomain }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                console.WriteError($"Cannot connect: {e.Message}");
                return CliApp.BadInput;
            }

            console.Line($"Open this URL, log in to Salesforce and click Allow (the callback is {callback}):");
            console.Line(start.AuthorizationUrl.ToString());
            if (console.Hooks.OpenBrowser is { } open)
            {
                open(start.AuthorizationUrl);
            }
            else
            {
                Browser.TryOpen(start.AuthorizationUrl);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallbackTimeout);
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                console.WriteError(cancellationToken.IsCancellationRequested ? "Interrupted: nothing was connected." : $"No callback within {CallbackTimeout.TotalMinutes:0} minutes: nothing was connected.");
                return cancellationToken.IsCancellationRequested ? CliApp.Interrupted : CliApp.SomeFailed;
            }

            var result = await connector.CompleteAsync(SalesforceCallback.FromUrl(context.Request.Url!, tenantId), cancellationToken).ConfigureAwait(false);
            await AnswerAsync(context, result).ConfigureAwait(false);
            if (result.Status != SalesforceConnectStatus.Connected)
            {
                console.WriteError(result.Message);
                return CliApp.SomeFailed;
            }

            var connection = await ((ISalesforceConnectionStore)host.Services.GetRequiredService<Tenancy.ISalesforceTenantStore>()).GetConnectionAsync(tenantId, cancellationToken).ConfigureAwait(false);
            TenantsFile.RecordConnection(tenantsFile, connection!, writeSecrets);
            console.Line(result.Message);
            console.Line($"Recorded in {tenantsFile.FullName} (InstanceUrl, Authentication.Flow RefreshToken, LoginUrl{(writeSecrets ? ", RefreshToken" : string.Empty)}).");
            if (!writeSecrets)
            {
                console.Line($"The refresh token is a secret and was not written to the file; keep it in your vault, or set it for chat2sf:");
                console.Line($"  export Tenants__{tenantId}__Authentication__RefreshToken='{connection!.RefreshToken}'");
            }

            return CliApp.Success;
        }
    }

    private static async Task<int> DisconnectAsync(CliConsole console, CommonOptions common, ParseResult parseResult, string tenantId, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(common.Tenants) is not { } tenantsFile || !tenantsFile.Exists)
        {
            console.WriteError("--tenants: give the tenants file that holds the tenant's connection.");
            return CliApp.BadInput;
        }

        if (common.TryCreateHost(parseResult, console) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            var store = (ISalesforceConnectionStore)host.Services.GetRequiredService<Tenancy.ISalesforceTenantStore>();
            var options = (await host.Services.GetRequiredService<Tenancy.ISalesforceTenantStore>().GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false))?.Options;
            if (options?.Authentication.RefreshToken is { Length: > 0 } token && options.InstanceUrl is { } instance)
            {
                // The tenants file is the CLI's store: hand its connection to the connector, which revokes it.
                await store.SaveConnectionAsync(new SalesforceTenantConnection
                {
                    TenantId = tenantId, InstanceUrl = instance, LoginUrl = options.Authentication.LoginUrl, RefreshToken = token, ClientId = options.Authentication.ClientId ?? host.Options.Authentication.ClientId ?? string.Empty,
                    Org = new SalesforceConnectedOrg(string.Empty, string.Empty, null, null, instance, false),
                }, cancellationToken).ConfigureAwait(false);
            }

            var result = await host.Services.GetRequiredService<ISalesforceConnector>().DisconnectAsync(tenantId, cancellationToken).ConfigureAwait(false);
            TenantsFile.RemoveConnection(tenantsFile, tenantId);
            console.Line(result.Message);
            return result.WasConnected ? CliApp.Success : CliApp.SomeFailed;
        }
    }

    private static HttpListener Listen(int port, out Uri callback)
    {
        if (port == 0)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        callback = new Uri($"http://127.0.0.1:{port}/callback");
        return listener;
    }

    private static async Task AnswerAsync(HttpListenerContext context, SalesforceConnectResult result)
    {
        var html = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>chat2sf</title></head><body><h1>{(result.Status == SalesforceConnectStatus.Connected ? "Connected" : "Not connected")}</h1><p>{WebUtility.HtmlEncode(result.Message)}</p><p>You can close this window.</p></body></html>";
        var bytes = Encoding.UTF8.GetBytes(html);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.StatusCode = 200;
        await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        context.Response.Close();
    }
}
