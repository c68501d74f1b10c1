namespace ChatToSalesforce;

/// <summary>Configures how the SDK authenticates to Salesforce.</summary>
/// <remarks>Secrets set here never appear in logs, exception messages or <see cref="ToString"/>.</remarks>
public sealed class SalesforceAuthenticationOptions
{
    /// <summary>Gets or sets the OAuth flow.</summary>
    /// <value>Defaults to <see cref="SalesforceAuthFlow.JwtBearer"/>.</value>
    public SalesforceAuthFlow Flow { get; set; } = SalesforceAuthFlow.JwtBearer;

    /// <summary>Gets or sets the login URL used as the JWT audience: <c>https://login.salesforce.com</c> (production) or <c>https://test.salesforce.com</c> (sandbox).</summary>
    /// <value>Defaults to <c>https://login.salesforce.com</c>.</value>
    public Uri LoginUrl { get; set; } = new("https://login.salesforce.com");

    /// <summary>Gets or sets the token endpoint base; <see langword="null"/> uses <see cref="SalesforceChatExportOptions.InstanceUrl"/> (the My Domain), falling back to <see cref="LoginUrl"/> for JWT.</summary>
    public Uri? TokenUrl { get; set; }

    /// <summary>Gets or sets the External Client App's consumer key (client id).</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the consumer secret (client credentials and, when the app requires it, refresh token flows).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the Salesforce username the JWT bearer flow acts as.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the RSA private key (PEM text) that signs JWT assertions.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Gets or sets a path to a PEM file holding the RSA private key (instead of <see cref="PrivateKeyPem"/>).</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Gets or sets the refresh token (refresh token flow). With rotation on, new tokens are handed to <c>ISalesforceRefreshTokenStore</c>.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Gets or sets an access token the host manages (access token flow).</summary>
    public string? AccessToken { get; set; }

    /// <summary>A copy (a tenant's private connection settings).</summary>
    internal SalesforceAuthenticationOptions Copy() => (SalesforceAuthenticationOptions)MemberwiseClone();

    /// <inheritdoc />
    public override string ToString() => $"SalesforceAuthenticationOptions {{ Flow = {Flow} }}";
}

/// <summary>The OAuth flow the SDK uses.</summary>
public enum SalesforceAuthFlow
{
    /// <summary>JWT bearer: a certificate-signed assertion for a named user (recommended for server-to-server).</summary>
    JwtBearer,

    /// <summary>Client credentials: client id and secret, acting as the app's Run As user (My Domain token URL only).</summary>
    ClientCredentials,

    /// <summary>Refresh token: rotation-safe refresh of a token obtained interactively.</summary>
    RefreshToken,

    /// <summary>A plain access token managed by the host.</summary>
    AccessToken,

    /// <summary>A host-registered <c>ISalesforceTokenProvider</c> supplies tokens.</summary>
    Custom,
}
