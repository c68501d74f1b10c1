namespace ChatToSalesforce.Salesforce;

/// <summary>Each tenant's API usage as last reported by Salesforce (<c>null</c> before the tenant's first response, or after its state was evicted).</summary>
/// <remarks>Registered in DI by <c>AddSalesforceChatExport</c>; the same numbers are the usage, limit and utilisation gauges tagged with the tenant.</remarks>
public interface ISalesforceTenantUsage
{
    /// <summary>Gets the tenant's last reported usage.</summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for the org configured at start-up.</param>
    /// <returns>The usage, or <see langword="null"/>.</returns>
    SalesforceApiUsageSnapshot? GetUsage(string? tenantId);
}
