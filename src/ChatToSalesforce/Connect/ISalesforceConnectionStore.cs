namespace ChatToSalesforce.Connect;

/// <summary>
/// Where a tenant's connection (its refresh token, instance URL and identity) is kept: the host's vault or database. The
/// refresh token is a secret: encrypt it at rest. <see cref="Tenancy.InMemorySalesforceTenantStore"/> implements it for tests.
/// </summary>
public interface ISalesforceConnectionStore
{
    /// <summary>Stores (or replaces) the tenant's connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    ValueTask SaveConnectionAsync(SalesforceTenantConnection connection, CancellationToken cancellationToken);

    /// <summary>Returns the tenant's connection, or <see langword="null"/>.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection, or <see langword="null"/>.</returns>
    ValueTask<SalesforceTenantConnection?> GetConnectionAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Deletes the tenant's connection; its exports then fail with "disconnected" until it connects again.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    ValueTask DeleteConnectionAsync(string tenantId, CancellationToken cancellationToken);
}
