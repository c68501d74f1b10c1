using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>Answers HttpClient requests for every org of a cluster in-process, routing by host (and, on the shared login hosts, by credentials).</summary>
internal sealed class ClusterHttpHandler : HttpMessageHandler
{
    private readonly SalesforceEmulatorCluster _cluster;

    public ClusterHttpHandler(SalesforceEmulatorCluster cluster) => _cluster = cluster;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        if (!uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("The cluster's handler routes each request by its host, so it needs an absolute URL: set the HttpClient's BaseAddress to the org's InstanceUrl.");
        }

        using var apiRequest = await EmulatorHttpHandler.ReadAsync(request, uri, cancellationToken).ConfigureAwait(false);
        var org = _cluster.FindByAuthority(uri);
        if (org is null && IsLoginHost(uri.Host))
        {
            var (routed, answer) = LoginHost.Route(_cluster.Orgs, apiRequest);
            if (answer is not null)
            {
                return EmulatorHttpHandler.ToHttp(answer, request);
            }

            org = routed;
        }

        if (org is null)
        {
            // What a client sees for a My Domain that does not exist: the name does not resolve.
            throw new HttpRequestException(HttpRequestError.NameResolutionError, $"No such host is known. ({uri.Host}:{uri.Port})");
        }

        var response = await org.ProcessAsync(apiRequest, cancellationToken).ConfigureAwait(false);
        return EmulatorHttpHandler.ToHttp(response, request);
    }

    internal static bool IsLoginHost(string host) =>
        host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase) || host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// login.salesforce.com and test.salesforce.com in a cluster: which org a request belongs to, from what it carries (Salesforce knows it
/// from the username, the token or the code). Either an org, or the answer Salesforce gives when no org recognizes the request.
/// </summary>
internal static class LoginHost
{
    private static readonly ApiResponse NotFound = ApiResponse.Error(404, [new ApiError("NOT_FOUND", "The requested resource does not exist")]);

    public static (SalesforceEmulator? Org, ApiResponse? Answer) Route(IReadOnlyList<SalesforceEmulator> orgs, ApiRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["id", var orgId, _])
        {
            var org = orgs.FirstOrDefault(o => SameId(o.OrganizationId, orgId));
            return org is null ? (null, new ApiResponse(404) { Raw = "Bad_Id"u8.ToArray(), ContentType = "text/plain;charset=UTF-8" }) : (org, null);
        }

        if (segments is not ["services", "oauth2", var endpoint])
        {
            return (null, NotFound);
        }

        var form = OAuthServer.ParseForm(request);
        return endpoint switch
        {
            "token" => Token(orgs, request, form),
            "userinfo" => ByAccessToken(orgs, Bearer(request.Header("Authorization")) ?? form.GetValueOrDefault("access_token"))
                ?? (null, ApiResponse.Error(401, [new ApiError("INVALID_SESSION_ID", "Session expired or invalid")])),
            "authorize" => Authorize(orgs, form),
            "revoke" => ByAnyToken(orgs, form.GetValueOrDefault("token")) ?? (null, ApiResponse.OAuthError(400, "invalid_token", "invalid token")),
            _ => (null, NotFound),
        };
    }

    private static (SalesforceEmulator?, ApiResponse?) Token(IReadOnlyList<SalesforceEmulator> orgs, ApiRequest request, Dictionary<string, string> form)
    {
        if (request.Method != "POST")
        {
            return (null, ApiResponse.OAuthError(400, "invalid_request", "must use HTTP POST"));
        }

        switch (form.GetValueOrDefault("grant_type"))
        {
            case "password":
                return ByUsername(orgs, form.GetValueOrDefault("username"), null) ?? (null, ApiResponse.OAuthError(400, "invalid_grant", "authentication failure"));
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
            {
                var claims = Claims(form.GetValueOrDefault("assertion"));
                if (claims is null)
                {
                    return (null, ApiResponse.OAuthError(400, "invalid_grant", "invalid assertion"));
                }

                var subject = Json.Str(claims["sub"]) ?? Json.Str(claims["prn"]);
                return ByUsername(orgs, subject, Json.Str(claims["iss"])) ?? (null, ApiResponse.OAuthError(400, "invalid_grant", "user hasn't approved this consumer"));
            }

            case "refresh_token":
            {
                var token = form.GetValueOrDefault("refresh_token");
                var org = token is null ? null : orgs.FirstOrDefault(o => o.Recognizes(s => s.KnowsRefreshToken(token)));
                return org is null ? (null, ApiResponse.OAuthError(400, "invalid_grant", "expired access/refresh token")) : (org, null);
            }

            case "authorization_code":
            {
                var code = form.GetValueOrDefault("code");
                var org = code is null ? null : orgs.FirstOrDefault(o => o.Recognizes(s => s.KnowsCode(code)));
                return org is null ? (null, ApiResponse.OAuthError(400, "invalid_grant", "invalid authorization code")) : (org, null);
            }

            case "client_credentials":
            {
                // Every org answers this one the same on a login host ("request not supported on this domain"); the client's org logs it.
                var clientId = ClientId(request, form);
                var org = clientId is null ? null : orgs.FirstOrDefault(o => o.Recognizes(s => s.KnowsClient(clientId)));
                return org is null ? (null, ApiResponse.OAuthError(400, "invalid_grant", "request not supported on this domain")) : (org, null);
            }

            default:
                return (null, ApiResponse.OAuthError(400, "unsupported_grant_type", "grant type not supported"));
        }
    }

    /// <summary>The authorize page on a login host: the org of the login hint or of the posted username, else the one org that knows the client.</summary>
    private static (SalesforceEmulator?, ApiResponse?) Authorize(IReadOnlyList<SalesforceEmulator> orgs, Dictionary<string, string> form)
    {
        var byUser = ByUsername(orgs, form.GetValueOrDefault("username") ?? form.GetValueOrDefault("login_hint"), null);
        if (byUser is not null)
        {
            return byUser.Value;
        }

        var clientId = form.GetValueOrDefault("client_id");
        var known = clientId is null ? [] : orgs.Where(o => o.Recognizes(s => s.KnowsClient(clientId))).Take(2).ToList();
        return known.Count == 1
            ? (known[0], null)
            : (null, AuthorizePage.Error("OAUTH_EC_APP_NOT_FOUND", "The external client app isn't installed in your org, or the login host can't tell which org you log in to. Use your org's My Domain login URL, or pass login_hint with your username."));
    }

    private static (SalesforceEmulator?, ApiResponse?)? ByUsername(IReadOnlyList<SalesforceEmulator> orgs, string? username, string? clientId)
    {
        if (string.IsNullOrEmpty(username))
        {
            return null;
        }

        var withUser = orgs.Where(o => o.Recognizes(s => s.FindUser(username) is not null)).ToList();
        var org = withUser.FirstOrDefault(o => clientId is not null && o.Recognizes(s => s.KnowsClient(clientId))) ?? withUser.FirstOrDefault();
        return org is null ? null : (org, null);
    }

    private static (SalesforceEmulator?, ApiResponse?)? ByAccessToken(IReadOnlyList<SalesforceEmulator> orgs, string? token)
    {
        // An access token starts with the 15-character org id and '!', as Salesforce's do.
        var bang = token?.IndexOf('!', StringComparison.Ordinal) ?? -1;
        if (bang != 15)
        {
            return null;
        }

        var org = orgs.FirstOrDefault(o => o.OrganizationId.StartsWith(token![..15], StringComparison.Ordinal));
        return org is null ? null : (org, null);
    }

    private static (SalesforceEmulator?, ApiResponse?)? ByAnyToken(IReadOnlyList<SalesforceEmulator> orgs, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var org = orgs.FirstOrDefault(o => o.Recognizes(s => s.KnowsRefreshToken(token)));
        return org is null ? ByAccessToken(orgs, token) : (org, null);
    }

    private static string? Bearer(string? authorization) =>
        authorization is not null && AuthenticationHeaderValue.TryParse(authorization, out var value) && value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? value.Parameter : null;

    private static string? ClientId(ApiRequest request, Dictionary<string, string> form)
    {
        var authorization = request.Header("Authorization");
        if (authorization is not null && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 ? Uri.UnescapeDataString(decoded[..colon]) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return form.GetValueOrDefault("client_id");
    }

    /// <summary>The claims of a JWT (not verified: the org it routes to verifies it); null when it is not a JWT.</summary>
    private static JsonObject? Claims(string? assertion)
    {
        var parts = assertion?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var s = parts[1].Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            return JsonNode.Parse(Convert.FromBase64String(s)) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static bool SameId(string orgId, string candidate) =>
        SalesforceId.Normalize(candidate) is { } normalized && string.Equals(normalized, orgId, StringComparison.Ordinal);
}
