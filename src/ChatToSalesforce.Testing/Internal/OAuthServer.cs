using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

internal sealed class Session
{
    public required string UserId { get; init; }
    public DateTimeOffset LastUsed { get; set; }

    /// <summary>The refresh-token family the session was issued from (ends with it when the refresh token is revoked); null for other grants.</summary>
    public string? Family { get; init; }
}

internal sealed class RegisteredClient
{
    public required string ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public RSA? PublicKey { get; init; }

    /// <summary>The callback URLs the web-server flow may redirect to (exact matches).</summary>
    public IReadOnlyList<string> CallbackUrls { get; init; } = [];

    /// <summary>"Require secret for web server flow": the authorization-code grant must present the secret.</summary>
    public bool RequireSecretForWebServer { get; init; } = true;
}

/// <summary>POST /services/oauth2/token and the session table. Callers hold the emulator lock.</summary>
internal sealed partial class OAuthServer
{
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string UserId, string Family)> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _rotatedAway = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegisteredClient> _clients = new(StringComparer.Ordinal);
    private readonly SalesforceEmulatorOptions _options;
    private readonly OrgState _org;
    private readonly Func<Uri> _instanceUrl;

    public OAuthServer(SalesforceEmulatorOptions options, OrgState org, Func<Uri> instanceUrl)
    {
        _options = options;
        _org = org;
        _instanceUrl = instanceUrl;
    }

    public required string IntegrationUserId { get; set; }

    public void RegisterClient(string clientId, string? clientSecret, string? publicKeyPem, IReadOnlyList<string>? callbackUrls = null, bool requireSecretForWebServer = true)
    {
        RSA? key = null;
        if (publicKeyPem is not null)
        {
            if (publicKeyPem.Contains("CERTIFICATE", StringComparison.Ordinal))
            {
                using var certificate = X509Certificate2.CreateFromPem(publicKeyPem);
                key = certificate.GetRSAPublicKey() ?? throw new ArgumentException("The certificate has no RSA public key (Salesforce accepts only RSA).", nameof(publicKeyPem));
            }
            else
            {
                key = RSA.Create();
                key.ImportFromPem(publicKeyPem);
            }
        }

        _clients[clientId] = new RegisteredClient
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            PublicKey = key,
            CallbackUrls = callbackUrls ?? [],
            RequireSecretForWebServer = requireSecretForWebServer,
        };
    }

    public string IssueAccessToken(string userId, string? family = null)
    {
        var token = $"{_org.OrganizationId[..15]}!{Random(48)}";
        _sessions[token] = new Session { UserId = userId, LastUsed = _options.TimeProvider.GetUtcNow(), Family = family };
        return token;
    }

    public string IssueRefreshToken(string userId, string? token = null)
    {
        token ??= Random(64);
        _refreshTokens[token] = (userId, Guid.NewGuid().ToString("N"));
        return token;
    }

    public void ExpireAllSessions() => _sessions.Clear();

    /// <summary>Whether this org issued the refresh token (current or rotated away): a cluster's login host routes the refresh grant by it.</summary>
    public bool KnowsRefreshToken(string token) => _refreshTokens.ContainsKey(token) || _rotatedAway.ContainsKey(token);

    /// <summary>Whether the client id is this org's configured or a registered client.</summary>
    public bool KnowsClient(string clientId) => _clients.ContainsKey(clientId) || string.Equals(clientId, _options.ClientId, StringComparison.Ordinal);

    /// <summary>Validates a bearer token; null when it is missing, unknown or timed out.</summary>
    public Session? Authenticate(string? authorization)
    {
        if (authorization is null)
        {
            return null;
        }

        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim()
            : authorization.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase) ? authorization[6..].Trim() : null;
        if (token is null || !_sessions.TryGetValue(token, out var session))
        {
            return null;
        }

        var now = _options.TimeProvider.GetUtcNow();
        if (_options.SessionTimeout is { } timeout && now - session.LastUsed > timeout)
        {
            _sessions.Remove(token);
            return null;
        }

        var user = _org.Get(session.UserId);
        if (user is null || !Json.Bool(user["IsActive"]))
        {
            return null;
        }

        session.LastUsed = now;
        return session;
    }

    public ApiResponse Token(ApiRequest request)
    {
        if (request.Method != "POST")
        {
            return ApiResponse.OAuthError(400, "invalid_request", "must use HTTP POST");
        }

        var form = ParseForm(request);
        var grant = form.GetValueOrDefault("grant_type");
        var (clientId, clientSecret) = ClientCredentials(request, form);
        switch (grant)
        {
            case "client_credentials":
            {
                if (request.Host is { } host && (host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase) || host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase)))
                {
                    // The client credentials flow only works on the org's My Domain token URL.
                    return ApiResponse.OAuthError(400, "invalid_grant", "request not supported on this domain");
                }

                if (CheckClient(clientId, clientSecret, requireSecret: true, request.Served) is { } error)
                {
                    return error;
                }

                return Success(IntegrationUserId, clientSecret, refreshToken: null);
            }

            case "password":
            {
                if (CheckClient(clientId, clientSecret, requireSecret: false, request.Served) is { } error)
                {
                    return error;
                }

                var user = FindUser(form.GetValueOrDefault("username"));
                if (user is null || !Json.Bool(user["IsActive"]))
                {
                    return ApiResponse.OAuthError(400, "invalid_grant", "authentication failure");
                }

                return Success(user.Id, clientSecret, refreshToken: null);
            }

            case "authorization_code":
                return AuthorizationCode(form, clientId, clientSecret);
            case "refresh_token":
                return Refresh(form.GetValueOrDefault("refresh_token"), clientId, clientSecret, request.Served);
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                return JwtBearer(form.GetValueOrDefault("assertion"), request.Served);
            case null or "":
                return ApiResponse.OAuthError(400, "unsupported_grant_type", "grant type not supported");
            default:
                return ApiResponse.OAuthError(400, "unsupported_grant_type", "grant type not supported");
        }
    }

    /// <summary>Whether clients other than the configured and registered ones get tokens (see <see cref="SalesforceEmulatorOptions.AcceptAnyClient"/>).</summary>
    private bool AcceptAny(bool served) => _options.AcceptAnyClient ?? !served;

    private ApiResponse? CheckClient(string? clientId, string? clientSecret, bool requireSecret, bool served)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return ApiResponse.OAuthError(400, "invalid_client_id", "client identifier invalid");
        }

        if (_clients.TryGetValue(clientId, out var client))
        {
            if (client.ClientSecret is not null && (requireSecret || clientSecret is not null) && !FixedEquals(client.ClientSecret, clientSecret))
            {
                return ApiResponse.OAuthError(400, "invalid_client", "invalid client credentials");
            }

            return null;
        }

        if (AcceptAny(served))
        {
            return null;
        }

        if (string.Equals(clientId, _options.ClientId, StringComparison.Ordinal))
        {
            return (requireSecret || clientSecret is not null) && !FixedEquals(_options.ClientSecret, clientSecret)
                ? ApiResponse.OAuthError(400, "invalid_client", "invalid client credentials")
                : null;
        }

        return ApiResponse.OAuthError(400, "invalid_client_id", "client identifier invalid");
    }

    internal static bool FixedEquals(string expected, string? actual) =>
        actual is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private ApiResponse Refresh(string? token, string? clientId, string? clientSecret, bool served)
    {
        if (!string.IsNullOrEmpty(clientId) && CheckClient(clientId, clientSecret, requireSecret: false, served) is { } error)
        {
            return error;
        }

        if (token is null)
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "expired access/refresh token");
        }

        if (_rotatedAway.TryGetValue(token, out var family))
        {
            // Reusing a rotated-away token revokes the whole family and its access tokens (Salesforce's Refresh Token Rotation).
            RevokeFamily(family);

            return ApiResponse.OAuthError(400, "invalid_grant", "expired access/refresh token");
        }

        if (!_refreshTokens.TryGetValue(token, out var entry))
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "expired access/refresh token");
        }

        var user = _org.Get(entry.UserId);
        if (user is null || !Json.Bool(user["IsActive"]))
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "inactive user");
        }

        string? next = null;
        if (_options.RefreshTokenRotation)
        {
            _refreshTokens.Remove(token);
            _rotatedAway[token] = entry.Family;
            next = Random(64);
            _refreshTokens[next] = entry;
        }

        return Success(entry.UserId, clientSecret, next, entry.Family);
    }

    private ApiResponse JwtBearer(string? assertion, bool served)
    {
        var parts = assertion?.Split('.');
        if (parts is not { Length: 3 })
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "invalid assertion");
        }

        JsonObject? header;
        JsonObject? claims;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Base64Url(parts[0])) as JsonObject;
            claims = JsonNode.Parse(Base64Url(parts[1])) as JsonObject;
            signature = Base64Url(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "invalid assertion");
        }

        if (header is null || claims is null || Json.Str(header["alg"]) != "RS256")
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "invalid assertion");
        }

        var issuer = Json.Str(claims["iss"]);
        if (string.IsNullOrEmpty(issuer))
        {
            return ApiResponse.OAuthError(400, "invalid_client_id", "client identifier invalid");
        }

        if (_clients.TryGetValue(issuer, out var client))
        {
            if (client.PublicKey is not null)
            {
                var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
                if (!client.PublicKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                {
                    return ApiResponse.OAuthError(400, "invalid_grant", "invalid assertion");
                }
            }
        }
        else if (!AcceptAny(served))
        {
            return ApiResponse.OAuthError(400, "invalid_client_id", "client identifier invalid");
        }

        var audience = claims["aud"] switch
        {
            JsonArray a => a.Select(Json.Str).ToList(),
            var single => [Json.Str(single)],
        };
        var instance = _instanceUrl().GetLeftPart(UriPartial.Authority);
        if (!audience.Any(a => a is not null && (a.TrimEnd('/') is "https://login.salesforce.com" or "https://test.salesforce.com" || string.Equals(a.TrimEnd('/'), instance, StringComparison.OrdinalIgnoreCase))))
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "audience is invalid");
        }

        if (claims["exp"] is not JsonValue expValue || !expValue.TryGetValue<long>(out var exp))
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "expired authorization code");
        }

        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (exp < now || exp > now + 86_400)
        {
            // Expired, or in milliseconds (a common bug), which Salesforce also rejects.
            return ApiResponse.OAuthError(400, "invalid_grant", "expired authorization code");
        }

        var subject = Json.Str(claims["sub"]) ?? Json.Str(claims["prn"]);
        var user = FindUser(subject);
        if (user is null)
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "user hasn't approved this consumer");
        }

        if (!Json.Bool(user["IsActive"]))
        {
            return ApiResponse.OAuthError(400, "invalid_grant", "inactive user");
        }

        return Success(user.Id, client?.ClientSecret, refreshToken: null);
    }

    public Record? FindUser(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return null;
        }

        var users = _org.Object("User")!;
        return _org.FindByField(users, users.Field("Username")!, JsonValue.Create(username)).FirstOrDefault();
    }

    private ApiResponse Success(string userId, string? clientSecret, string? refreshToken, string? family = null, string scope = "api refresh_token")
    {
        var issuedAt = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var id = $"{IdentityHost()}/id/{_org.OrganizationId}/{userId}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret ?? "emulator"), Encoding.UTF8.GetBytes(id + issuedAt)));
        var body = new JsonObject
        {
            ["access_token"] = IssueAccessToken(userId, family),
        };
        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        body["signature"] = signature;
        body["scope"] = scope;
        body["instance_url"] = _instanceUrl().GetLeftPart(UriPartial.Authority);
        body["id"] = id;
        body["token_type"] = "Bearer";
        body["issued_at"] = issuedAt;
        return new ApiResponse(200, body);
    }

    public static Dictionary<string, string> ParseForm(ApiRequest request)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string text)
        {
            foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = ApiRequest.Decode(eq < 0 ? pair : pair[..eq]);
                form[key] = eq < 0 ? string.Empty : ApiRequest.Decode(pair[(eq + 1)..]);
            }
        }

        Add(request.Query);
        if (request.Body.Length > 0)
        {
            Add(Encoding.UTF8.GetString(request.Body.Span));
        }

        return form;
    }

    private static (string? Id, string? Secret) ClientCredentials(ApiRequest request, Dictionary<string, string> form)
    {
        var authorization = request.Header("Authorization");
        if (authorization is not null && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        return (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        return Convert.FromBase64String(s);
    }

    internal static string Random(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
