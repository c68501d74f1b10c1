namespace ChatToSalesforce.Connect;

/// <summary>The outcome of a connection attempt, shaped for the page the admin sees next.</summary>
public sealed class SalesforceConnectResult
{
    /// <summary>Connected, denied by the admin, or failed.</summary>
    public required SalesforceConnectStatus Status { get; init; }

    /// <summary>The tenant, when the state identified one.</summary>
    public string? TenantId { get; init; }

    /// <summary>The connected org and user, when connected.</summary>
    public SalesforceConnectedOrg? Org { get; init; }

    /// <summary>A short code for what went wrong (<c>access_denied</c>, <c>invalid_state</c>, <c>invalid_grant</c>, ...); <see langword="null"/> when connected.</summary>
    public string? Error { get; init; }

    /// <summary>What to show the admin: "Connected as … to org …", or what went wrong and what to do. Never contains a secret.</summary>
    public required string Message { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"SalesforceConnectResult {{ Status = {Status}, TenantId = {TenantId}, Error = {Error} }}";
}

/// <summary>The outcome of a connection attempt.</summary>
public enum SalesforceConnectStatus
{
    /// <summary>The tenant is connected; its refresh token is stored.</summary>
    Connected,

    /// <summary>The admin clicked Deny (or closed the consent).</summary>
    Denied,

    /// <summary>The attempt failed (a bad, expired or reused state, a code exchange Salesforce refused, ...); nothing was stored.</summary>
    Failed,
}

/// <summary>The org and user a tenant connected as.</summary>
/// <param name="OrganizationId">The org id (00D...).</param>
/// <param name="UserId">The user id (005...).</param>
/// <param name="Username">The username.</param>
/// <param name="DisplayName">The user's display name.</param>
/// <param name="InstanceUrl">The org's instance URL (its My Domain).</param>
/// <param name="IsSandbox">Whether the org is a sandbox.</param>
public sealed record SalesforceConnectedOrg(string OrganizationId, string UserId, string? Username, string? DisplayName, Uri InstanceUrl, bool IsSandbox);

/// <summary>The outcome of a disconnect.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="WasConnected">Whether the store held a connection for the tenant.</param>
/// <param name="Revoked">Whether Salesforce confirmed the revocation (or already considered the token revoked).</param>
/// <param name="Message">What happened, for the admin; never a secret.</param>
public sealed record SalesforceDisconnectResult(string TenantId, bool WasConnected, bool Revoked, string Message);
