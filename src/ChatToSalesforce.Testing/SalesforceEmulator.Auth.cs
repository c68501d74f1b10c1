using ChatToSalesforce.Testing.Internal;

namespace ChatToSalesforce.Testing;

/// <content>Sessions, refresh tokens and registered clients (the OAuth side of the org).</content>
public sealed partial class SalesforceEmulator
{
    /// <summary>The client id (consumer key) the token endpoint always accepts: <see cref="SalesforceEmulatorOptions.ClientId"/>, or the org's own in a <see cref="SalesforceEmulatorCluster"/>.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The client secret that goes with <see cref="ClientId"/>.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>The username of the integration user (<see cref="IntegrationUserId"/>).</summary>
    public string IntegrationUsername { get; }

    /// <summary>Issues a valid session token (for the SDK's AccessToken flow).</summary>
    /// <param name="userId">The user the session belongs to; defaults to <see cref="IntegrationUserId"/>.</param>
    /// <returns>The access token.</returns>
    public string IssueAccessToken(string? userId = null)
    {
        lock (_gate)
        {
            return _oauth.IssueAccessToken(ValidUser(userId));
        }
    }

    /// <summary>Issues a refresh token usable with the refresh_token grant.</summary>
    /// <param name="userId">The user; defaults to <see cref="IntegrationUserId"/>.</param>
    /// <param name="refreshToken">A token value to register, or <see langword="null"/> to generate one.</param>
    /// <returns>The refresh token.</returns>
    public string IssueRefreshToken(string? userId = null, string? refreshToken = null)
    {
        lock (_gate)
        {
            return _oauth.IssueRefreshToken(ValidUser(userId), refreshToken);
        }
    }

    /// <summary>Invalidates every access token: the next API call answers 401 INVALID_SESSION_ID.</summary>
    public void ExpireAllSessions()
    {
        lock (_gate)
        {
            _oauth.ExpireAllSessions();
        }
    }

    /// <summary>
    /// Registers a connected app / External Client App. A registered client must present its secret (when one is given),
    /// and JWT assertions it issues are verified against its RSA public key or certificate (PEM) when one is given.
    /// Other clients are accepted as <see cref="SalesforceEmulatorOptions.AcceptAnyClient"/> says.
    /// </summary>
    /// <param name="clientId">The consumer key.</param>
    /// <param name="clientSecret">The consumer secret, if any.</param>
    /// <param name="jwtPublicKeyPem">A PEM public key or X.509 certificate for the JWT bearer flow, if any.</param>
    public void RegisterClient(string clientId, string? clientSecret = null, string? jwtPublicKeyPem = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        lock (_gate)
        {
            _oauth.RegisterClient(clientId, clientSecret, jwtPublicKeyPem);
        }
    }

    /// <summary>
    /// Registers a connected app / External Client App for the OAuth web-server flow (and the other flows): the callback URLs
    /// <c>/services/oauth2/authorize</c> may redirect to (exact matches; any other <c>redirect_uri</c> gets Salesforce's
    /// <c>redirect_uri_mismatch</c> error page), and whether the authorization-code grant must present the secret
    /// ("Require secret for web server flow", on by default as in Salesforce).
    /// </summary>
    /// <param name="clientId">The consumer key.</param>
    /// <param name="callbackUrls">The allowed callback URLs, e.g. <c>https://app.example.com/salesforce/callback</c>.</param>
    /// <param name="clientSecret">The consumer secret, if any.</param>
    /// <param name="requireSecretForWebServerFlow">Whether the authorization-code grant requires the secret.</param>
    /// <param name="jwtPublicKeyPem">A PEM public key or X.509 certificate for the JWT bearer flow, if any.</param>
    /// <exception cref="ArgumentException">A callback URL is not an absolute URL.</exception>
    public void RegisterClient(string clientId, IEnumerable<string> callbackUrls, string? clientSecret = null, bool requireSecretForWebServerFlow = true, string? jwtPublicKeyPem = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(callbackUrls);
        var urls = callbackUrls.ToList();
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.IsFile || !url.Contains("://", StringComparison.Ordinal))
            {
                throw new ArgumentException($"The callback URL '{url}' is not an absolute URL (e.g. https://app.example.com/salesforce/callback).", nameof(callbackUrls));
            }
        }

        lock (_gate)
        {
            _oauth.RegisterClient(clientId, clientSecret, jwtPublicKeyPem, urls, requireSecretForWebServerFlow);
        }
    }

    /// <summary>Asks the org's OAuth side a question under the org lock (a cluster's login-host routing).</summary>
    internal bool Recognizes(Func<OAuthServer, bool> test)
    {
        lock (_gate)
        {
            return test(_oauth);
        }
    }
}
