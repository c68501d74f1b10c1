namespace ChatToSalesforce.Salesforce;

/// <summary>Supplies Salesforce access tokens when <see cref="SalesforceAuthenticationOptions.Flow"/> is <see cref="SalesforceAuthFlow.Custom"/>.</summary>
/// <remarks>
/// Register an implementation as a singleton (<c>services.AddSingleton&lt;ISalesforceTokenProvider, MyProvider&gt;()</c>).
/// The SDK caches the token it returns and calls the provider again only when it has none, or with
/// <see cref="SalesforceTokenContext.ForceRefresh"/> set after Salesforce rejected the cached token with
/// <c>401 INVALID_SESSION_ID</c>. Calls are never concurrent for one client: all callers share one in-flight request.
/// Throw <see cref="SalesforceAuthenticationException"/> when no token can be obtained.
/// </remarks>
public interface ISalesforceTokenProvider
{
    /// <summary>Gets an access token and the instance URL it is valid for.</summary>
    /// <param name="context">Why the token is requested.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The token.</returns>
    ValueTask<SalesforceAccessToken> GetTokenAsync(SalesforceTokenContext context, CancellationToken cancellationToken);
}

/// <summary>Why the SDK asks an <see cref="ISalesforceTokenProvider"/> for a token.</summary>
public sealed class SalesforceTokenContext
{
    /// <summary>Gets whether Salesforce rejected the previous token (<c>401 INVALID_SESSION_ID</c>), so a cached token must not be returned.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool ForceRefresh { get; init; }
}

/// <summary>An access token and the instance URL API calls made with it go to.</summary>
/// <remarks><see cref="ToString"/> never shows the token.</remarks>
public sealed class SalesforceAccessToken
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="accessToken">The bearer token.</param>
    /// <param name="instanceUrl">The instance URL (the token response's <c>instance_url</c>).</param>
    /// <param name="identityUrl">The identity URL (the token response's <c>id</c>: <c>.../id/{orgId}/{userId}</c>), when known.</param>
    /// <exception cref="ArgumentException"><paramref name="accessToken"/> is empty or <paramref name="instanceUrl"/> is not absolute.</exception>
    public SalesforceAccessToken(string accessToken, Uri instanceUrl, Uri? identityUrl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentNullException.ThrowIfNull(instanceUrl);
        if (!instanceUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The instance URL must be absolute.", nameof(instanceUrl));
        }

        AccessToken = accessToken;
        InstanceUrl = instanceUrl;
        IdentityUrl = identityUrl;
    }

    /// <summary>Gets the bearer token.</summary>
    public string AccessToken { get; }

    /// <summary>Gets the instance URL API calls go to.</summary>
    public Uri InstanceUrl { get; }

    /// <summary>Gets the identity URL, when known; its last two path segments are the org id and the user id.</summary>
    public Uri? IdentityUrl { get; }

    /// <inheritdoc />
    public override string ToString() => $"SalesforceAccessToken {{ InstanceUrl = {InstanceUrl} }}";
}
