using System.Security.Cryptography;
using System.Text;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>An authorization code of the web-server flow: one-time, expiring, bound to its client, redirect URI and PKCE challenge.</summary>
internal sealed record AuthorizationCodeGrant(string ClientId, string RedirectUri, string UserId, string? Challenge, string Scope, DateTimeOffset Expires);

/// <content>
/// The OAuth 2.0 web-server flow (authorization code grant with PKCE): GET/POST /services/oauth2/authorize, the
/// <c>authorization_code</c> grant, and POST /services/oauth2/revoke. Sources: Salesforce's "Web Server OAuth Authentication
/// Flow" (https://developer.salesforce.com/docs/atlas.en-us.222.0.api_rest.meta/api/intro_understanding_web_server_oauth_flow.htm:
/// a code_challenge whose verifier is missing fails with invalid_grant, a mismatch with invalid_request), "OAuth 2.0 Authorization
/// Errors" (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm: errors go to the callback URL),
/// and "Revoking OAuth Tokens" (https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html:
/// 200 on success, 400 invalid_token otherwise; a refresh token's revocation ends its access tokens).
/// </content>
internal sealed partial class OAuthServer
{
    /// <summary>How long an authorization code can be exchanged (Salesforce: 15 minutes).</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, AuthorizationCodeGrant> _codes = new(StringComparer.Ordinal);

    /// <summary>Whether this org issued the code and it is still unused (a cluster's login host routes the code grant by it).</summary>
    public bool KnowsCode(string code) => _codes.ContainsKey(code);

    /// <summary>GET shows the login and consent page (or, with auto-approve, redirects at once); POST is the page's answer.</summary>
    public ApiResponse Authorize(ApiRequest request)
    {
        if (request.Method is not ("GET" or "POST"))
        {
            return AuthorizePage.Error("invalid_request", "must use HTTP GET or POST");
        }

        var form = ParseForm(request);
        var clientId = form.GetValueOrDefault("client_id");
        if (string.IsNullOrEmpty(clientId) || !_clients.TryGetValue(clientId, out var client))
        {
            return AuthorizePage.Error("invalid_client_id", "client identifier invalid");
        }

        var redirectUri = form.GetValueOrDefault("redirect_uri");
        if (string.IsNullOrEmpty(redirectUri) || !client.CallbackUrls.Contains(redirectUri, StringComparer.Ordinal))
        {
            // Never redirect to a URL the app did not register: Salesforce shows its error page instead.
            return AuthorizePage.Error("redirect_uri_mismatch", "redirect_uri must match configuration");
        }

        var state = form.GetValueOrDefault("state");
        if (form.GetValueOrDefault("response_type") != "code")
        {
            return Redirect(redirectUri, state, ("error", "unsupported_response_type"), ("error_description", "response type not supported"));
        }

        var method = form.GetValueOrDefault("code_challenge_method");
        var challenge = form.GetValueOrDefault("code_challenge");
        if ((method is not null && method != "S256") || (challenge is not null && !IsBase64Url(challenge, 43)))
        {
            return Redirect(redirectUri, state, ("error", "invalid_request"), ("error_description", "invalid code challenge"));
        }

        var scope = string.IsNullOrWhiteSpace(form.GetValueOrDefault("scope")) ? "api refresh_token" : form["scope"].Trim();
        if (request.Method == "GET")
        {
            return _options.AutoApproveAuthorization
                ? IssueCode(client, redirectUri, state, IntegrationUserId, challenge, scope)
                : AuthorizePage.Login(form, problem: null);
        }

        if (form.GetValueOrDefault("action") != "allow")
        {
            return Redirect(redirectUri, state, ("error", "access_denied"), ("error_description", "end-user denied authorization"));
        }

        var user = FindUser(form.GetValueOrDefault("username"));
        if (user is null || !Json.Bool(user["IsActive"]))
        {
            return AuthorizePage.Login(form, "Please check your username and password. If you still can't log in, contact your Salesforce administrator.");
        }

        return IssueCode(client, redirectUri, state, user.Id, challenge, scope);
    }

    /// <summary>grant_type=authorization_code: the code once, before it expires, by its client (with the secret when required), the same redirect URI and the PKCE verifier.</summary>
    private ApiResponse AuthorizationCode(Dictionary<string, string> form, string? clientId, string? clientSecret)
    {
        var code = form.GetValueOrDefault("code");
        if (string.IsNullOrEmpty(code) || !_codes.Remove(code, out var grant))
        {
            // A code is used at most once: whatever the outcome of its first exchange, it is gone.
            return ApiResponse.OAuthError(400, "invalid_grant", "invalid authorization code");
        }

        if (_options.TimeProvider.GetUtcNow() >= grant.Expires)
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "expired authorization code");
        }

        if (string.IsNullOrEmpty(clientId))
        {
            return ApiResponse.OAuthError(400, "invalid_client_id", "client identifier invalid");
        }

        if (!string.Equals(clientId, grant.ClientId, StringComparison.Ordinal))
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "invalid authorization code");
        }

        var client = _clients[grant.ClientId];
        if (client.ClientSecret is not null && (client.RequireSecretForWebServer || clientSecret is not null) && !FixedEquals(client.ClientSecret, clientSecret))
        {
            return ApiResponse.OAuthError(400, "invalid_client", "invalid client credentials");
        }

        if (!string.Equals(form.GetValueOrDefault("redirect_uri"), grant.RedirectUri, StringComparison.Ordinal))
        {
            return ApiResponse.OAuthError(400, "redirect_uri_mismatch", "redirect_uri must match configuration");
        }

        if (grant.Challenge is not null)
        {
            var verifier = form.GetValueOrDefault("code_verifier");
            if (string.IsNullOrEmpty(verifier))
            {
                return ApiResponse.OAuthError(400, "invalid_grant", "invalid code verifier");
            }

            var computed = Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (!FixedEquals(grant.Challenge, computed))
            {
                return ApiResponse.OAuthError(400, "invalid_request", "invalid code verifier");
            }
        }

        var user = _org.Get(grant.UserId);
        if (user is null || !Json.Bool(user["IsActive"]))
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "inactive user");
        }

        var scopes = grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? refreshToken = null;
        string? family = null;
        if (scopes.Contains("refresh_token") || scopes.Contains("offline_access") || scopes.Contains("full"))
        {
            refreshToken = IssueRefreshToken(grant.UserId);
            family = _refreshTokens[refreshToken].Family;
        }

        return Success(grant.UserId, client.ClientSecret, refreshToken, family, grant.Scope);
    }

    /// <summary>POST (or GET) /services/oauth2/revoke with token=: an access token ends alone; a refresh token ends with its family and their access tokens.</summary>
    public ApiResponse Revoke(ApiRequest request)
    {
        if (request.Method is not ("POST" or "GET"))
        {
            return ApiResponse.OAuthError(400, "invalid_request", "must use HTTP POST or GET");
        }

        var token = ParseForm(request).GetValueOrDefault("token");
        if (string.IsNullOrEmpty(token))
        {
            return ApiResponse.OAuthError(400, "unsupported_token_type", "token type not supported");
        }

        if (_refreshTokens.TryGetValue(token, out var entry))
        {
            RevokeFamily(entry.Family);
            return new ApiResponse(200);
        }

        if (_sessions.Remove(token))
        {
            return new ApiResponse(200);
        }

        return ApiResponse.OAuthError(400, "invalid_token", "invalid token");
    }

    /// <summary>Ends every refresh token of a family (current and rotated away) and every access token issued from it.</summary>
    private void RevokeFamily(string family)
    {
        foreach (var key in _refreshTokens.Where(p => p.Value.Family == family).Select(p => p.Key).ToList())
        {
            _refreshTokens.Remove(key);
            _rotatedAway[key] = family;
        }

        foreach (var key in _sessions.Where(p => p.Value.Family == family).Select(p => p.Key).ToList())
        {
            _sessions.Remove(key);
        }
    }

    private ApiResponse IssueCode(RegisteredClient client, string redirectUri, string? state, string userId, string? challenge, string scope)
    {
        var now = _options.TimeProvider.GetUtcNow();
        foreach (var expired in _codes.Where(p => p.Value.Expires <= now).Select(p => p.Key).ToList())
        {
            _codes.Remove(expired);
        }

        var code = "aPrx" + Random(60);
        _codes[code] = new AuthorizationCodeGrant(client.ClientId, redirectUri, userId, challenge, scope, now + CodeLifetime);
        return Redirect(redirectUri, state, ("code", code));
    }

    private static ApiResponse Redirect(string redirectUri, string? state, params (string Name, string Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in state is null ? parameters : [.. parameters, ("state", state)])
        {
            query.Append(query.Length == 0 ? string.Empty : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var response = new ApiResponse(302) { Raw = [] };
        response.Headers["Location"] = redirectUri + separator + query;
        response.Headers["Cache-Control"] = "no-cache,must-revalidate,max-age=0,no-store,private";
        return response;
    }

    private static bool IsBase64Url(string text, int minLength) =>
        text.Length >= minLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
