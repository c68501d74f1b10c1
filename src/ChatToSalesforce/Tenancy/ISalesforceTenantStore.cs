namespace ChatToSalesforce.Tenancy;

/// <summary>
/// The host's source of tenants: each tenant is one customer with its own Salesforce org, connection and export settings.
/// </summary>
/// <remarks>
/// <para>The exporter asks the store for a tenant on each export of that tenant, so keep <see cref="GetTenantAsync"/>
/// cheap (the host's own cache). A tenant whose <see cref="SalesforceTenant.Version"/> is unchanged keeps its token,
/// caches and usage; a new version takes effect on the tenant's next export, without a restart.</para>
/// <para>A store that throws fails that tenant's conversations only; other tenants proceed.</para>
/// </remarks>
public interface ISalesforceTenantStore
{
    /// <summary>Returns the tenant, or <see langword="null"/> when no tenant has this id.</summary>
    /// <param name="tenantId">The tenant id from <see cref="Conversation.TenantId"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The tenant's current settings, or <see langword="null"/>.</returns>
    ValueTask<SalesforceTenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Called when Salesforce issued a new refresh token for the tenant (refresh-token rotation): keep it, it replaces
    /// the previous one. Also called once when Salesforce says the tenant's grant is gone, with a <see langword="null"/>
    /// token and the reason, so the host can ask the customer to reconnect.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="change">What changed.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the change is stored.</returns>
    ValueTask OnConnectionChangedAsync(string tenantId, SalesforceConnectionChange change, CancellationToken cancellationToken);
}
