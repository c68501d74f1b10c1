using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json;
using ChatToSalesforce.Resilience.Internal;
using ChatToSalesforce.Telemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Obtains and caches the access token: one cache per org + client + user, one in-flight token request shared by all callers.</summary>
/// <remarks>
/// There is no <c>expires_in</c> in Salesforce token responses, so a token is used until Salesforce rejects it with
/// 401 INVALID_SESSION_ID; <see cref="RenewAsync"/> then replaces it once, whoever asks. Token requests run without the
/// caller's cancellation token (a cancelled caller must not fail the others), bounded by <see cref="SalesforceResilienceOptions.TotalTimeout"/>.
/// </remarks>
internal sealed class SalesforceAuthenticator : IDisposable
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptionsMonitor<SalesforceChatExportOptions> _options;
    private readonly SalesforceResiliencePipelines _pipelines;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISalesforceTokenProvider? _tokenProvider;
    private readonly ISalesforceRefreshTokenStore? _refreshTokenStore;
    private readonly object _gate = new();
    private SalesforceAccessToken? _current;
    private Task<SalesforceAccessToken>? _inflight;
    private string? _refreshToken;
    private bool _refreshTokenLoaded;
    private RSA? _signingKey;
    private int _tokenRequestCount;

    public SalesforceAuthenticator(
        IHttpClientFactory httpClientFactory,
        IOptionsMonitor<SalesforceChatExportOptions> options,
        SalesforceResiliencePipelines pipelines,
        TimeProvider time,
        ILogger<SalesforceAuthenticator> logger,
        IServiceProvider services)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _pipelines = pipelines;
        _time = time;
        _logger = logger;
        _tokenProvider = services.GetService<ISalesforceTokenProvider>();
        _refreshTokenStore = services.GetService<ISalesforceRefreshTokenStore>();
        Shared = services.GetService<ISharedTokenCoordinator>();
    }

    /// <summary>A tenant's authenticator: its own options, token cache and single-flight refresh, and its own refresh-token store.</summary>
    internal SalesforceAuthenticator(
        IHttpClientFactory httpClientFactory,
        IOptionsMonitor<SalesforceChatExportOptions> options,
        SalesforceResiliencePipelines pipelines,
        TimeProvider time,
        ILogger<SalesforceAuthenticator> logger,
        ISalesforceRefreshTokenStore? refreshTokenStore)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _pipelines = pipelines;
        _time = time;
        _logger = logger;
        _refreshTokenStore = refreshTokenStore;
    }

    /// <summary>Shares the RefreshToken flow's tokens with other processes and lets one refresh at a time (ChatToSalesforce.Redis), or <see langword="null"/>.</summary>
    internal ISharedTokenCoordinator? Shared { get; init; }

    /// <summary>Called once per failed token request whose answer says the grant is gone (see <see cref="TokenErrors.IsGrantGone"/>).</summary>
    internal Action<SalesforceAuthenticationException>? GrantGone { get; init; }
    /// <summary>Gets or sets the tenant this authenticator works for, tagged on the token-request metric (<see langword="null"/>: the tenant configured at start-up).</summary>
    public string? TenantId { get; set; }

    /// <summary>Gets how many token requests were made (diagnostics and tests).</summary>
    public int TokenRequestCount => Volatile.Read(ref _tokenRequestCount);

    /// <summary>Gets the cached token, or obtains one (joining a request already in flight).</summary>
    public Task<SalesforceAccessToken> GetTokenAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _current) is { } current ? Task.FromResult(current) : JoinAsync(null, cancellationToken);

    /// <summary>Replaces a token Salesforce rejected. Concurrent callers holding the same rejected token share one renewal;
    /// a caller whose rejected token was already replaced gets the new one without another request.</summary>
    public Task<SalesforceAccessToken> RenewAsync(SalesforceAccessToken rejected, CancellationToken cancellationToken) =>
        JoinAsync(rejected, cancellationToken);

    public void Dispose() => _signingKey?.Dispose();

    private Task<SalesforceAccessToken> JoinAsync(SalesforceAccessToken? rejected, CancellationToken cancellationToken)
    {
        Task<SalesforceAccessToken> task;
        lock (_gate)
        {
            if (_current is not null && !ReferenceEquals(_current, rejected))
            {
                return Task.FromResult(_current);
            }

            if (_inflight is null)
            {
                _current = null;
                _inflight = Task.Run(() => AcquireAndStoreAsync(rejected), CancellationToken.None);
            }

            task = _inflight;
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<SalesforceAccessToken> AcquireAndStoreAsync(SalesforceAccessToken? rejected)
    {
        try
        {
            var timeout = _options.CurrentValue.Resilience?.TotalTimeout ?? TimeSpan.FromMinutes(5);
            using var cts = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMinutes(5), _time);
            var token = await AcquireAsync(rejected, cts.Token).ConfigureAwait(false);
            lock (_gate)
            {
                _current = token;
                _inflight = null;
            }

            return token;
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _inflight = null;
            }

            if (ex is SalesforceAuthenticationException { GrantGone: true } gone)
            {
                GrantGone?.Invoke(gone);
            }

            throw;
        }
    }

    private async Task<SalesforceAccessToken> AcquireAsync(SalesforceAccessToken? rejected, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var auth = options.Authentication ?? new SalesforceAuthenticationOptions();
        switch (auth.Flow)
        {
            case SalesforceAuthFlow.AccessToken:
                if (string.IsNullOrEmpty(auth.AccessToken) || options.InstanceUrl is null)
                {
                    throw new SalesforceAuthenticationException(null, null, "The AccessToken flow needs Authentication.AccessToken and InstanceUrl.");
                }

                if (rejected is not null && string.Equals(rejected.AccessToken, auth.AccessToken, StringComparison.Ordinal))
                {
                    throw new SalesforceAuthenticationException(
                        "invalid_token",
                        "Session expired or invalid",
                        "Salesforce rejected the access token the host supplied (401 INVALID_SESSION_ID: session expired or invalid). Update Authentication.AccessToken (IOptionsMonitor reloads are picked up), or use a flow the SDK can renew itself (JwtBearer, ClientCredentials, RefreshToken, or Custom).");
                }

                return new SalesforceAccessToken(auth.AccessToken, options.InstanceUrl);

            case SalesforceAuthFlow.Custom:
                if (_tokenProvider is null)
                {
                    throw new SalesforceAuthenticationException(null, null, "Authentication.Flow is Custom but no ISalesforceTokenProvider is registered; register one with services.AddSingleton<ISalesforceTokenProvider, YourProvider>().");
                }

                Interlocked.Increment(ref _tokenRequestCount);
                var provided = await _tokenProvider.GetTokenAsync(new SalesforceTokenContext { ForceRefresh = rejected is not null }, cancellationToken).ConfigureAwait(false);
                if (provided is null)
                {
                    throw new SalesforceAuthenticationException(null, null, "The registered ISalesforceTokenProvider returned no token.");
                }

                if (InstanceUrlRules.CheckTokenInstanceUrl(provided.InstanceUrl.ToString(), options.AllowTestEndpoint) is { } providedProblem)
                {
                    throw new SalesforceAuthenticationException(null, null, "The ISalesforceTokenProvider's token: " + providedProblem);
                }

                return provided;

            case SalesforceAuthFlow.JwtBearer:
            {
                var audience = auth.LoginUrl.GetLeftPart(UriPartial.Authority);
                var key = GetSigningKey(auth);
                return await RequestTokenAsync(
                    auth.Flow,
                    TokenBase(options, fallbackToLogin: true),
                    () =>
                    [
                        new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                        new("assertion", JwtAssertion.Create(auth.ClientId ?? string.Empty, auth.Username ?? string.Empty, audience, key, _time.GetUtcNow())),
                    ],
                    retry: true,
                    cancellationToken).ConfigureAwait(false);
            }

            case SalesforceAuthFlow.ClientCredentials:
                return await RequestTokenAsync(
                    auth.Flow,
                    TokenBase(options, fallbackToLogin: false),
                    () =>
                    [
                        new("grant_type", "client_credentials"),
                        new("client_id", auth.ClientId ?? string.Empty),
                        new("client_secret", auth.ClientSecret ?? string.Empty),
                    ],
                    retry: true,
                    cancellationToken).ConfigureAwait(false);

            case SalesforceAuthFlow.RefreshToken:
            {
                if (!_refreshTokenLoaded)
                {
                    _refreshToken = (_refreshTokenStore is null ? null : await _refreshTokenStore.LoadRefreshTokenAsync(cancellationToken).ConfigureAwait(false))
                                    ?? auth.RefreshToken;
                    _refreshTokenLoaded = true;
                }

                var refreshToken = _refreshToken;
                if (string.IsNullOrEmpty(refreshToken))
                {
                    throw new SalesforceAuthenticationException(null, null, "The RefreshToken flow needs Authentication.RefreshToken (or a refresh token from the ISalesforceRefreshTokenStore).");
                }

                if (Shared is { } shared)
                {
                    // Other processes refresh this grant too: the shared state decides which refresh token is current and who refreshes.
                    var grant = new SharedGrant(TenantId ?? string.Empty, SharedGrant.StampOf(options), refreshToken);
                    var result = await shared.GetTokenAsync(
                        grant,
                        rejected?.AccessToken,
                        (current, ct) => RefreshOnceAsync(options, current, ct),
                        cancellationToken).ConfigureAwait(false);
                    if (result.RotatedRefreshToken is { } rotated)
                    {
                        await HandOverRotatedAsync(rotated, cancellationToken).ConfigureAwait(false);
                    }

                    if (result.Refusal is { } refusal)
                    {
                        ExceptionDispatchInfo.Throw(refusal);
                    }

                    return result.AccessToken!;
                }

                // Never retried: with rotation, a refresh whose response was lost has already invalidated the token we hold.
                return await RequestTokenAsync(
                    auth.Flow,
                    TokenBase(options, fallbackToLogin: true),
                    () => RefreshForm(auth, refreshToken),
                    retry: false,
                    cancellationToken).ConfigureAwait(false);
            }

            default:
                throw new SalesforceAuthenticationException(null, null, $"Authentication.Flow '{auth.Flow}' is not supported.");
        }
    }

    /// <summary>One refresh-token grant for the shared coordinator: the new tokens, with nothing stored or handed over yet (the coordinator writes first).</summary>
    private async Task<SharedRefreshResult> RefreshOnceAsync(SalesforceChatExportOptions options, string refreshToken, CancellationToken cancellationToken)
    {
        // Never retried: with rotation, a refresh whose response was lost has already invalidated the token we hold.
        var response = await PostTokenRequestAsync(
            SalesforceAuthFlow.RefreshToken,
            TokenBase(options, fallbackToLogin: true),
            () => RefreshForm(options.Authentication, refreshToken),
            retry: false,
            cancellationToken).ConfigureAwait(false);
        var rotated = string.IsNullOrEmpty(response.RefreshToken) ? null : response.RefreshToken;
        try
        {
            return new SharedRefreshResult(ToAccessToken(SalesforceAuthFlow.RefreshToken, response), rotated);
        }
        catch (SalesforceAuthenticationException refusal) when (rotated is not null)
        {
            // Rotation first (as in CompleteAsync): Salesforce has already invalidated the refresh token we sent, so the
            // coordinator must still keep the new one; the refusal is thrown once it is written and handed over.
            return new SharedRefreshResult(null, rotated, refusal);
        }
    }

    private static List<KeyValuePair<string, string>> RefreshForm(SalesforceAuthenticationOptions auth, string refreshToken)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", auth.ClientId ?? string.Empty),
        ];
        if (!string.IsNullOrEmpty(auth.ClientSecret))
        {
            form.Add(new("client_secret", auth.ClientSecret));
        }

        return form;
    }

    private static Uri TokenBase(SalesforceChatExportOptions options, bool fallbackToLogin)
    {
        var auth = options.Authentication;
        return auth.TokenUrl ?? options.InstanceUrl ?? (fallbackToLogin ? auth.LoginUrl : null)
               ?? throw new SalesforceAuthenticationException(null, null, "No token URL: set InstanceUrl to the org's My Domain URL.");
    }

    private RSA GetSigningKey(SalesforceAuthenticationOptions auth)
    {
        if (_signingKey is { } key)
        {
            return key;
        }

        string pem;
        if (!string.IsNullOrWhiteSpace(auth.PrivateKeyPem))
        {
            pem = auth.PrivateKeyPem;
        }
        else if (!string.IsNullOrWhiteSpace(auth.PrivateKeyPath))
        {
            try
            {
                pem = File.ReadAllText(auth.PrivateKeyPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SalesforceAuthenticationException(null, null, "The JWT private key file (Authentication.PrivateKeyPath) could not be read.", ex);
            }
        }
        else
        {
            throw new SalesforceAuthenticationException(null, null, "The JwtBearer flow needs Authentication.PrivateKeyPem or PrivateKeyPath.");
        }

        _signingKey = JwtAssertion.LoadKey(pem);
        return _signingKey;
    }

    private async Task<SalesforceAccessToken> RequestTokenAsync(
        SalesforceAuthFlow flow, Uri tokenBase, Func<List<KeyValuePair<string, string>>> form, bool retry, CancellationToken cancellationToken)
    {
        var response = await PostTokenRequestAsync(flow, tokenBase, form, retry, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(flow, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One token request through the pipeline (retried only when <paramref name="retry"/>); an unreachable endpoint becomes <c>temporarily_unavailable</c>.</summary>
    private async Task<TokenResponse> PostTokenRequestAsync(
        SalesforceAuthFlow flow, Uri tokenBase, Func<List<KeyValuePair<string, string>>> form, bool retry, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(new Uri(tokenBase.GetLeftPart(UriPartial.Authority)), "/services/oauth2/token");
        TransportLog.TokenRequested(_logger, flow, endpoint.Host);
        var state = (Self: this, Flow: flow, Endpoint: endpoint, Form: form);
        TokenResponse response;
        try
        {
            response = await _pipelines.For(retry).ExecuteAsync(
                static (s, ct) => s.Self.SendTokenRequestAsync(s.Flow, s.Endpoint, s.Form, ct),
                state,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TransientTokenEndpointException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            throw new SalesforceAuthenticationException(
                "temporarily_unavailable",
                null,
                $"The Salesforce token endpoint {endpoint.Host} could not be reached or answered with a server error ({flow} flow); try again later.",
                ex);
        }

        return response;
    }

    private async ValueTask<TokenResponse> SendTokenRequestAsync(
        SalesforceAuthFlow flow, Uri endpoint, Func<List<KeyValuePair<string, string>>> form, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tokenRequestCount);
        var http = _httpClientFactory.CreateClient(Microsoft.Extensions.DependencyInjection.SalesforceChatExportServiceCollectionExtensions.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form()) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage answered;
        try
        {
            answered = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ChatToSalesforceDiagnostics.RecordTokenRequest(TenantId, flow.ToString(), null, ex is OperationCanceledException ? "timeout" : ex.GetType().Name);
            throw;
        }

        using var response = answered;
        var status = (int)response.StatusCode;
        ChatToSalesforceDiagnostics.RecordTokenRequest(TenantId, flow.ToString(), status, null);
        if (RedirectAnswer.IsRedirect(status))
        {
            var target = RedirectAnswer.TargetHost(endpoint, response.Headers);
            TransportLog.TokenRequestFailed(_logger, flow, status, "redirect");
            throw new SalesforceAuthenticationException(
                "redirect",
                null,
                $"The token endpoint {endpoint.Host} answered with a redirect (HTTP {status}) to {target}; redirects are never followed, so no credentials were sent there. Point Authentication.TokenUrl (or InstanceUrl) at the org's My Domain token host directly.");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return JsonSerializer.Deserialize(bytes, SalesforceJsonContext.Default.TokenResponse)
                       ?? throw new JsonException("empty");
            }
            catch (JsonException ex)
            {
                throw new SalesforceAuthenticationException(null, null, $"The Salesforce token endpoint answered HTTP {status} with a body that is not a token response.", ex);
            }
        }

        OAuthErrorResponse? error = null;
        try
        {
            error = bytes.Length > 0 ? JsonSerializer.Deserialize(bytes, SalesforceJsonContext.Default.OAuthErrorResponse) : null;
        }
        catch (JsonException)
        {
            // Not an OAuth error body (for example an HTML error page from a proxy).
        }

        TransportLog.TokenRequestFailed(_logger, flow, status, error?.Error);
        if (status >= 500 && error?.Error is null)
        {
            throw new TransientTokenEndpointException(status);
        }

        throw TokenErrors.ToException(flow, status, error?.Error, error?.ErrorDescription);
    }

    private async Task<SalesforceAccessToken> CompleteAsync(SalesforceAuthFlow flow, TokenResponse response, CancellationToken cancellationToken)
    {
        // Rotation first: Salesforce has already invalidated the refresh token we sent, so the new one is kept even when
        // the rest of the answer is refused below (else the next refresh presents the dead token and the grant is revoked).
        if (flow == SalesforceAuthFlow.RefreshToken && !string.IsNullOrEmpty(response.RefreshToken)
            && !string.Equals(response.RefreshToken, _refreshToken, StringComparison.Ordinal))
        {
            await HandOverRotatedAsync(response.RefreshToken, cancellationToken).ConfigureAwait(false);
        }

        return ToAccessToken(flow, response);
    }

    private SalesforceAccessToken ToAccessToken(SalesforceAuthFlow flow, TokenResponse response)
    {
        if (string.IsNullOrEmpty(response.AccessToken))
        {
            throw new SalesforceAuthenticationException(null, null, "The Salesforce token response has no access_token.");
        }

        var options = _options.CurrentValue;
        if (InstanceUrlRules.CheckTokenInstanceUrl(response.InstanceUrl, options.AllowTestEndpoint) is { } problem)
        {
            throw new SalesforceAuthenticationException(null, null, problem);
        }

        Uri.TryCreate(response.Id, UriKind.Absolute, out var identity);
        var token = new SalesforceAccessToken(response.AccessToken, new Uri(response.InstanceUrl!), identity);
        var (org, user) = IdentityUrl.Parse(identity);
        TransportLog.TokenAcquired(_logger, flow, org, user, token.InstanceUrl.Host);
        return token;
    }

    /// <summary>Rotation: the old refresh token is dead from now on; the new one goes to the host's store.</summary>
    private async Task HandOverRotatedAsync(string refreshToken, CancellationToken cancellationToken)
    {
        _refreshToken = refreshToken;
        TransportLog.RefreshTokenRotated(_logger);
        if (_refreshTokenStore is not null)
        {
            try
            {
                await _refreshTokenStore.SaveRefreshTokenAsync(refreshToken, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                TransportLog.RefreshTokenStoreFailed(_logger, ex);
            }
        }
    }
}
