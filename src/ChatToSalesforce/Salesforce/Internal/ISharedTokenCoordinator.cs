using System.Security.Cryptography;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// Shares the tokens of a refresh-token grant between processes and lets exactly one process refresh at a time, so that
/// with refresh-token rotation no process reuses a rotated-away token (ChatToSalesforce.Redis registers one).
/// </summary>
internal interface ISharedTokenCoordinator
{
    /// <summary>
    /// Returns an access token for the grant: the shared one unless it is <paramref name="rejectedAccessToken"/> (Salesforce
    /// answered 401 to it), otherwise one obtained by <paramref name="refresh"/> in whichever process holds the grant's lease.
    /// </summary>
    /// <param name="grant">The grant: tenant, stamp, and the refresh token the host supplied.</param>
    /// <param name="rejectedAccessToken">The access token Salesforce rejected, or <see langword="null"/> when the process simply has none.</param>
    /// <param name="refresh">Exchanges a refresh token for new tokens (one token request, never retried).</param>
    /// <param name="cancellationToken">Bounds the wait and the refresh.</param>
    Task<SharedTokenResult> GetTokenAsync(SharedGrant grant, string? rejectedAccessToken, Func<string, CancellationToken, Task<SharedRefreshResult>> refresh, CancellationToken cancellationToken);
}

/// <summary>A refresh-token grant as processes share it.</summary>
/// <param name="TenantId">The tenant (empty: the org configured at start-up).</param>
/// <param name="Stamp">A hash of the app, user and org the grant connects (never the refresh token: it changes with every rotation).</param>
/// <param name="HostRefreshToken">The refresh token the host supplied (its settings or store); a secret.</param>
internal sealed record SharedGrant(string TenantId, string Stamp, string HostRefreshToken)
{
    /// <summary>What identifies a grant across processes and rotations: flow, app, user, login and token hosts, and org.</summary>
    public static string StampOf(SalesforceChatExportOptions options)
    {
        var a = options.Authentication;
        var text = string.Join('\n', a.Flow, a.ClientId, a.Username, a.LoginUrl, a.TokenUrl, options.InstanceUrl);
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)), 0, 12);
    }

    /// <inheritdoc />
    public override string ToString() => $"SharedGrant {{ TenantId = {TenantId}, Stamp = {Stamp} }}";
}

/// <summary>What one refresh returned: the access token, and the new refresh token when Salesforce rotated it.</summary>
/// <param name="AccessToken">The new access token, or <see langword="null"/> when the answer was refused (<see cref="Refusal"/>).</param>
/// <param name="RefreshToken">The new refresh token when Salesforce rotated it: to be kept even when the rest of the answer was refused.</param>
/// <param name="Refusal">Why the answer was refused (e.g. an http:// instance_url), or <see langword="null"/>; the caller throws it once the rotated token is kept.</param>
internal sealed record SharedRefreshResult(SalesforceAccessToken? AccessToken, string? RefreshToken, SalesforceAuthenticationException? Refusal = null)
{
    /// <inheritdoc />
    public override string ToString() => "SharedRefreshResult";
}

/// <summary>The token to use, and the new refresh token when this process rotated it (to hand to the host's store).</summary>
/// <param name="AccessToken">The token to use, or <see langword="null"/> when this process's refresh answer was refused (<see cref="Refusal"/>).</param>
/// <param name="RotatedRefreshToken">The new refresh token when this process rotated it, refused answer or not.</param>
/// <param name="Refusal">The refusal of this process's refresh answer (see <see cref="SharedRefreshResult.Refusal"/>), thrown after the rotated token is handed over.</param>
internal sealed record SharedTokenResult(SalesforceAccessToken? AccessToken, string? RotatedRefreshToken, SalesforceAuthenticationException? Refusal = null)
{
    /// <inheritdoc />
    public override string ToString() => "SharedTokenResult";
}
