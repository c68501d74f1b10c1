using System.Text.Json.Serialization;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>A successful OAuth token response. Only <c>access_token</c> and <c>instance_url</c> are guaranteed; there is no <c>expires_in</c>.</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("instance_url")]
    public string? InstanceUrl { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }

    [JsonPropertyName("issued_at")]
    public string? IssuedAt { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }
}

/// <summary>An OAuth token endpoint error: <c>{"error": "...", "error_description": "..."}</c>.</summary>
internal sealed class OAuthErrorResponse
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; set; }
}

/// <summary>The REST error item: <c>{"message", "errorCode" | "statusCode", "fields"}</c> (used for documentation of the shape; parsing goes through <see cref="SalesforceErrorParser"/>).</summary>
internal sealed class RestErrorItem
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("errorCode")]
    public string? ErrorCode { get; set; }

    [JsonPropertyName("statusCode")]
    public string? StatusCode { get; set; }

    [JsonPropertyName("fields")]
    public List<string>? Fields { get; set; }
}

/// <summary>Source-generated (trim/AOT safe) serialization of Salesforce's OAuth and error DTOs.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthErrorResponse))]
[JsonSerializable(typeof(RestErrorItem))]
[JsonSerializable(typeof(List<RestErrorItem>))]
internal sealed partial class SalesforceJsonContext : JsonSerializerContext;
