using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// The wire of the OAuth 2.0 web-server flow: the authorize URL, the authorization-code grant, the identity URL and
/// revocation (Salesforce "OAuth 2.0 Web Server Flow for Web App Integration", "Identity URLs", "Revoke OAuth Tokens").
/// </summary>
internal static class OAuthWebServerWire
{
    public static readonly Uri ProductionLogin = new("https://login.salesforce.com");

    public static readonly Uri SandboxLogin = new("https://test.salesforce.com");

    public static Uri AuthorizeUrl(Uri loginHost, string clientId, Uri redirectUri, IEnumerable<string> scopes, string state, string codeChallenge, string? prompt)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", clientId),
            new("redirect_uri", redirectUri.ToString()),
            new("scope", string.Join(' ', scopes)),
            new("state", state),
            new("code_challenge", codeChallenge),
            new("code_challenge_method", "S256"),
        };
        if (!string.IsNullOrWhiteSpace(prompt))
        {
            query.Add(new("prompt", prompt));
        }

        var text = string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return new Uri(new Uri(loginHost.GetLeftPart(UriPartial.Authority)), "/services/oauth2/authorize?" + text);
    }

    /// <summary>Exchanges the code; returns the token, or Salesforce's OAuth error.</summary>
    public static async Task<(TokenResponse? Token, string? Error, string? Description)> ExchangeCodeAsync(
        HttpClient http, Uri loginHost, string code, string clientId, string? clientSecret, Uri redirectUri, string codeVerifier, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("client_id", clientId),
            new("redirect_uri", redirectUri.ToString()),
            new("code_verifier", codeVerifier),
        };
        if (!string.IsNullOrEmpty(clientSecret))
        {
            form.Add(new("client_secret", clientSecret));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(loginHost.GetLeftPart(UriPartial.Authority)), "/services/oauth2/token")) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return (JsonSerializer.Deserialize(bytes, SalesforceJsonContext.Default.TokenResponse), null, null);
            }
            catch (JsonException)
            {
                return (null, "invalid_response", "the token endpoint answered with a body that is not a token response");
            }
        }

        try
        {
            var error = bytes.Length > 0 ? JsonSerializer.Deserialize(bytes, SalesforceJsonContext.Default.OAuthErrorResponse) : null;
            return (null, error?.Error ?? $"http_{(int)response.StatusCode}", error?.ErrorDescription);
        }
        catch (JsonException)
        {
            return (null, $"http_{(int)response.StatusCode}", null);
        }
    }

    /// <summary>Reads the identity URL (user id, org id, username, display name) with the new access token; <see langword="null"/> when the call fails or its answer is not JSON.</summary>
    public static async Task<(string? OrganizationId, string? UserId, string? Username, string? DisplayName)?> IdentityAsync(HttpClient http, Uri identityUrl, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, identityUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject;
        }
        catch (JsonException)
        {
            // Not an identity answer (a proxy's page): the code is spent, so it is read as no answer, as a failed call is.
            return null;
        }

        static string? Text(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return (Text(body, "organization_id"), Text(body, "user_id"), Text(body, "username"), Text(body, "display_name"));
    }

    /// <summary>Revokes a token; true when Salesforce revoked it or says it is not valid (already revoked).</summary>
    public static async Task<bool> RevokeAsync(HttpClient http, Uri host, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(host.GetLeftPart(UriPartial.Authority)), "/services/oauth2/revoke"))
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]),
        };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return (int)response.StatusCode == 400 && text.Contains("invalid_token", StringComparison.Ordinal);
    }
}
