namespace ChatToSalesforce.Salesforce;

/// <summary>Persists the refresh token of the <see cref="SalesforceAuthFlow.RefreshToken"/> flow, so refresh token rotation survives restarts.</summary>
/// <remarks>
/// With Refresh Token Rotation on, every refresh returns a new refresh token and invalidates the old one; reusing an old
/// one revokes the user's authorization. Register an implementation as a singleton and the SDK will:
/// <list type="bullet">
/// <item>call <see cref="LoadRefreshTokenAsync"/> once, before its first refresh (return <see langword="null"/> to use <see cref="SalesforceAuthenticationOptions.RefreshToken"/>);</item>
/// <item>call <see cref="SaveRefreshTokenAsync"/> each time Salesforce returns a new refresh token, before using it.</item>
/// </list>
/// Refreshes are never concurrent within one client. When several processes share one refresh token, the store is
/// also where they must coordinate (for example a compare-and-swap in a database).
/// </remarks>
public interface ISalesforceRefreshTokenStore
{
    /// <summary>Loads the current refresh token.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored token, or <see langword="null"/> to use the configured one.</returns>
    ValueTask<string?> LoadRefreshTokenAsync(CancellationToken cancellationToken);

    /// <summary>Persists a new refresh token Salesforce issued (rotation). The old one is no longer valid.</summary>
    /// <param name="refreshToken">The new refresh token (a secret: never log it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the token is stored.</returns>
    ValueTask SaveRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken);
}
