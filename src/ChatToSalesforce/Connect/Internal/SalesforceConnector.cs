using System.Security.Cryptography;
using System.Text;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Tenancy;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Connect.Internal;

/// <summary>
/// The web-server flow with PKCE for a tenant. The app is the tenant's own when its settings in the tenant store name a
/// client id (and secret), else the vendor's platform app of the start-up options.
/// </summary>
internal sealed partial class SalesforceConnector : ISalesforceConnector
{
    /// <summary>How long an admin has between the start and the callback.</summary>
    internal static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    private readonly IHttpClientFactory _http;
    private readonly IOptionsMonitor<SalesforceChatExportOptions> _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PendingAuthorizations _pending;

    public SalesforceConnector(IHttpClientFactory http, IOptionsMonitor<SalesforceChatExportOptions> options, IServiceProvider services, TimeProvider time, ILogger<SalesforceConnector> logger)
    {
        _http = http;
        _options = options;
        _services = services;
        _time = time;
        _logger = logger;
        _pending = new PendingAuthorizations(time, services.GetService<IDistributedCache>());
    }

    /// <summary>The registered connection store, or the tenant store when it is one (as <see cref="InMemorySalesforceTenantStore"/> is).</summary>
    private ISalesforceConnectionStore Store => _services.GetService<ISalesforceConnectionStore>()
        ?? _services.GetService<ISalesforceTenantStore>() as ISalesforceConnectionStore
        ?? throw new InvalidOperationException("Connecting tenants needs a connection store: register an ISalesforceConnectionStore (your vault or database), or use an InMemorySalesforceTenantStore in tests.");

    public async ValueTask<SalesforceAuthorizationStart> StartAsync(SalesforceConnectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TenantId, nameof(request.TenantId));
        var allowTest = _options.CurrentValue.AllowTestEndpoint;
        if (RedirectProblem(request.RedirectUri, allowTest) is { } redirectProblem)
        {
            throw new ArgumentException($"RedirectUri: {redirectProblem}", nameof(request));
        }

        var loginHost = request.MyDomain ?? (request.Sandbox ? OAuthWebServerWire.SandboxLogin : OAuthWebServerWire.ProductionLogin);
        if (InstanceUrlRules.CheckTokenUrl(loginHost, allowTest) is { } hostProblem)
        {
            throw new ArgumentException($"MyDomain: {hostProblem}", nameof(request));
        }

        var (clientId, _, ownApp) = await AppAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var state = Base64Url(RandomNumberGenerator.GetBytes(32));
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var expires = _time.GetUtcNow() + StateLifetime;
        await _pending.AddAsync(state, new PendingAuthorization(request.TenantId, verifier, request.RedirectUri, loginHost, clientId, ownApp, expires), cancellationToken).ConfigureAwait(false);
        var url = OAuthWebServerWire.AuthorizeUrl(loginHost, clientId, request.RedirectUri, request.Scopes.Count > 0 ? request.Scopes : ["api", "refresh_token"], state, challenge, request.Prompt);
        LogStarted(_logger, request.TenantId, loginHost.Host);
        return new SalesforceAuthorizationStart(url, state, expires);
    }

    public async ValueTask<SalesforceConnectResult> CompleteAsync(SalesforceCallback callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (string.IsNullOrEmpty(callback.State))
        {
            return Failed(null, "invalid_state", "The callback has no state, so it cannot be tied to a connection that this app started. Start again from the Connect button.");
        }

        var pending = await _pending.TakeAsync(callback.State, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return Failed(null, "invalid_state", "The callback's state is unknown, already used or expired (it is valid once, for 10 minutes). Start again from the Connect button.");
        }

        if (callback.ExpectedTenantId is { } expected && !string.Equals(expected, pending.TenantId, StringComparison.Ordinal))
        {
            return Failed(null, "foreign_state", "The callback's state was issued for another tenant than the signed-in one; nothing was stored. Start again from the Connect button.");
        }

        if (callback.Error is { } error)
        {
            return error == "access_denied"
                ? new SalesforceConnectResult { Status = SalesforceConnectStatus.Denied, TenantId = pending.TenantId, Error = error, Message = "The Salesforce admin denied access (clicked Deny); nothing was connected." }
                : Failed(pending.TenantId, error, AuthorizationErrorText(error));
        }

        if (string.IsNullOrEmpty(callback.Code))
        {
            return Failed(pending.TenantId, "missing_code", "The callback has neither a code nor an error; nothing was connected. Start again from the Connect button.");
        }

        if (!string.Equals(callback.RedirectUri.GetLeftPart(UriPartial.Path), pending.RedirectUri.GetLeftPart(UriPartial.Path), StringComparison.Ordinal))
        {
            return Failed(pending.TenantId, "redirect_uri_mismatch", "The callback arrived at another URL than the one the connection started with; nothing was stored.");
        }

        var (_, secret, _) = await AppAsync(pending.TenantId, cancellationToken).ConfigureAwait(false);
        var http = _http.CreateClient(Microsoft.Extensions.DependencyInjection.SalesforceChatExportServiceCollectionExtensions.HttpClientName);
        TokenResponse? token;
        string? tokenError, tokenDescription;
        try
        {
            (token, tokenError, tokenDescription) = await OAuthWebServerWire.ExchangeCodeAsync(http, pending.LoginHost, callback.Code, pending.ClientId, secret, pending.RedirectUri, pending.CodeVerifier, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return Failed(pending.TenantId, "temporarily_unavailable", $"Salesforce's token endpoint ({pending.LoginHost.Host}) could not be reached; nothing was connected. Try again.");
        }

        if (token is null)
        {
            LogExchangeFailed(_logger, pending.TenantId, tokenError);
            return Failed(pending.TenantId, tokenError, ExchangeErrorText(tokenError, tokenDescription));
        }

        if (string.IsNullOrEmpty(token.RefreshToken) || string.IsNullOrEmpty(token.AccessToken))
        {
            return Failed(pending.TenantId, "no_refresh_token", "Salesforce issued no refresh token: add the scope 'refresh_token' (Perform requests at any time) to the app's OAuth scopes, then connect again. Nothing was stored.");
        }

        if (!Uri.TryCreate(token.InstanceUrl, UriKind.Absolute, out var instanceUrl) || InstanceUrlRules.Check(instanceUrl, _options.CurrentValue.AllowTestEndpoint) is not null
            || !Uri.TryCreate(token.Id, UriKind.Absolute, out var identityUrl))
        {
            return Failed(pending.TenantId, "invalid_response", "Salesforce's token response has no valid instance URL or identity URL; nothing was stored.");
        }

        // The identity URL names the login host; the org's own host answers it too (and is the host already trusted).
        (string? OrganizationId, string? UserId, string? Username, string? DisplayName)? identity = null;
        try
        {
            identity = await OAuthWebServerWire.IdentityAsync(http, new Uri(instanceUrl, identityUrl.PathAndQuery), token.AccessToken, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // The ids are in the identity URL itself; only the username and display name are missing.
        }

        var (orgId, userId) = IdentityUrl.Parse(identityUrl);
        var org = new SalesforceConnectedOrg(
            identity?.OrganizationId ?? orgId ?? string.Empty,
            identity?.UserId ?? userId ?? string.Empty,
            identity?.Username,
            identity?.DisplayName,
            instanceUrl,
            IsSandbox(pending.LoginHost, instanceUrl));
        await Store.SaveConnectionAsync(
            new SalesforceTenantConnection
            {
                TenantId = pending.TenantId, InstanceUrl = instanceUrl, LoginUrl = pending.LoginHost, RefreshToken = token.RefreshToken, ClientId = pending.ClientId, Org = org, ConnectedAt = _time.GetUtcNow(),
            },
            cancellationToken).ConfigureAwait(false);
        LogConnected(_logger, pending.TenantId, org.OrganizationId);
        return new SalesforceConnectResult
        {
            Status = SalesforceConnectStatus.Connected,
            TenantId = pending.TenantId,
            Org = org,
            Message = $"Connected as {org.Username ?? org.UserId} to {(org.IsSandbox ? "sandbox" : "org")} {org.OrganizationId}.",
        };
    }

    public async ValueTask<SalesforceDisconnectResult> DisconnectAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var store = Store;
        var connection = await store.GetConnectionAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            await store.DeleteConnectionAsync(tenantId, cancellationToken).ConfigureAwait(false);
            return new SalesforceDisconnectResult(tenantId, false, false, $"Tenant '{tenantId}' was not connected.");
        }

        var revoked = false;
        try
        {
            var http = _http.CreateClient(Microsoft.Extensions.DependencyInjection.SalesforceChatExportServiceCollectionExtensions.HttpClientName);
            revoked = await OAuthWebServerWire.RevokeAsync(http, connection.InstanceUrl, connection.RefreshToken, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // Deleted anyway: the refresh token leaves this app, which is what the admin asked for.
        }

        await store.DeleteConnectionAsync(tenantId, cancellationToken).ConfigureAwait(false);
        LogDisconnected(_logger, tenantId, revoked);
        return new SalesforceDisconnectResult(tenantId, true, revoked, revoked
            ? $"Tenant '{tenantId}' is disconnected: Salesforce revoked the grant and the token was deleted."
            : $"Tenant '{tenantId}' is disconnected: the token was deleted, but Salesforce could not be reached to revoke it; revoke the app's access in Salesforce (Setup → Connected Apps OAuth Usage) to be sure.");
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool IsSandbox(Uri loginHost, Uri instanceUrl) =>
        string.Equals(loginHost.Host, OAuthWebServerWire.SandboxLogin.Host, StringComparison.OrdinalIgnoreCase)
        || instanceUrl.Host.Contains(".sandbox.", StringComparison.OrdinalIgnoreCase);

    private static string? RedirectProblem(Uri? redirect, bool allowTest) =>
        redirect is null || !redirect.IsAbsoluteUri ? "must be an absolute URL, the callback URL registered on the External Client App."
        : !string.IsNullOrEmpty(redirect.Fragment) ? "must not have a fragment (#...)."
        : redirect.Scheme == Uri.UriSchemeHttps || (redirect.Scheme == Uri.UriSchemeHttp && (redirect.IsLoopback || allowTest)) ? null
        : "must be https (http only on loopback, for local tests).";

    private static string AuthorizationErrorText(string error) => error switch
    {
        "OAUTH_APPROVAL_ERROR_GENERIC" => "Salesforce could not approve the app (OAUTH_APPROVAL_ERROR_GENERIC): the user may lack the app's permission set, or the app is blocked in this org. Ask the org's admin, then connect again.",
        "redirect_uri_mismatch" => "The callback URL does not match the app's registered callback URL (redirect_uri_mismatch): add it to the External Client App's callback URLs.",
        "invalid_client_id" => "Salesforce does not know the app's consumer key (invalid_client_id): check the app's client id, and that the app is available in this org.",
        _ => $"Salesforce refused the authorization ({error}); nothing was connected.",
    };

    private static string ExchangeErrorText(string? error, string? description) => error switch
    {
        "invalid_grant" => "Salesforce refused the authorization code (invalid_grant): it was already used, expired, or the PKCE verifier did not match. Start again from the Connect button.",
        "invalid_client" or "invalid_client_credentials" => "Salesforce refused the app's credentials when exchanging the code: check the consumer secret (the app requires it for the web-server flow).",
        "redirect_uri_mismatch" => "The callback URL does not match the one the authorization used (redirect_uri_mismatch).",
        _ => $"Salesforce refused to exchange the code ({error ?? "unknown error"}){(string.IsNullOrEmpty(description) ? string.Empty : "; see the Salesforce setup guide")}. Nothing was connected.",
    };

    private SalesforceConnectResult Failed(string? tenantId, string? error, string message)
    {
        LogRejected(_logger, tenantId, error);
        return new SalesforceConnectResult { Status = SalesforceConnectStatus.Failed, TenantId = tenantId, Error = error, Message = message };
    }

    /// <summary>The tenant's own app when its settings name one, else the vendor's platform app.</summary>
    private async ValueTask<(string ClientId, string? ClientSecret, bool OwnApp)> AppAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_services.GetService<ISalesforceTenantStore>() is { } tenants
            && await tenants.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is { Options.Authentication.ClientId: { Length: > 0 } own } tenant)
        {
            return (own, tenant.Options.Authentication.ClientSecret, true);
        }

        var platform = _options.CurrentValue.Authentication;
        return string.IsNullOrWhiteSpace(platform?.ClientId)
            ? throw new InvalidOperationException("Connecting a tenant needs an app: set Authentication.ClientId (and ClientSecret) of the vendor's External Client App in the start-up options, or the tenant's own in its settings.")
            : (platform.ClientId, platform.ClientSecret, false);
    }

    [LoggerMessage(EventId = 210, EventName = "ConnectStarted", Level = LogLevel.Information, Message = "Connect to Salesforce started for tenant {TenantId} at {LoginHost}")]
    private static partial void LogStarted(ILogger logger, string tenantId, string loginHost);

    [LoggerMessage(EventId = 211, EventName = "ConnectCompleted", Level = LogLevel.Information, Message = "Tenant {TenantId} connected to org {OrganizationId}")]
    private static partial void LogConnected(ILogger logger, string tenantId, string organizationId);

    [LoggerMessage(EventId = 212, EventName = "ConnectRejected", Level = LogLevel.Warning, Message = "A Connect to Salesforce callback was rejected for tenant {TenantId}: {Error}")]
    private static partial void LogRejected(ILogger logger, string? tenantId, string? error);

    [LoggerMessage(EventId = 213, EventName = "ConnectExchangeFailed", Level = LogLevel.Warning, Message = "Salesforce refused the authorization code of tenant {TenantId}: {Error}")]
    private static partial void LogExchangeFailed(ILogger logger, string tenantId, string? error);

    [LoggerMessage(EventId = 214, EventName = "Disconnected", Level = LogLevel.Information, Message = "Tenant {TenantId} disconnected (revoked at Salesforce: {Revoked})")]
    private static partial void LogDisconnected(ILogger logger, string tenantId, bool revoked);
}
