namespace ChatToSalesforce.Salesforce;

/// <summary>The org's API usage as last reported by Salesforce (the <c>Sforce-Limit-Info</c> header of every response).</summary>
/// <remarks>Registered in DI by <c>AddSalesforceChatExport</c>. Also published as metrics on the <see cref="Telemetry.ChatToSalesforceTelemetry.SourceName"/> meter.</remarks>
public interface ISalesforceApiUsage
{
    /// <summary>Gets the last reported usage, or <see langword="null"/> before the first response.</summary>
    SalesforceApiUsageSnapshot? Current { get; }
}

/// <summary>Each tenant's API usage as last reported by Salesforce (<c>null</c> before the tenant's first response, or after its state was evicted).</summary>
/// <remarks>Registered in DI by <c>AddSalesforceChatExport</c>; the same numbers are the usage, limit and utilisation gauges tagged with the tenant.</remarks>
public interface ISalesforceTenantUsage
{
    /// <summary>Gets the tenant's last reported usage.</summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for the org configured at start-up.</param>
    /// <returns>The usage, or <see langword="null"/>.</returns>
    SalesforceApiUsageSnapshot? GetUsage(string? tenantId);
}

/// <summary>API usage reported by Salesforce over the rolling 24 hours.</summary>
/// <param name="Used">API requests used (<c>api-usage=Used/Limit</c>).</param>
/// <param name="Limit">The daily allocation.</param>
/// <param name="ObservedAt">When the response carrying it was received.</param>
public sealed record SalesforceApiUsageSnapshot(long Used, long Limit, DateTimeOffset ObservedAt)
{
    /// <summary>Gets the org id the usage belongs to, when known.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>Gets the per-app usage (<c>per-app-api-usage=N/M(appName=...)</c>), when reported.</summary>
    public long? AppUsed { get; init; }

    /// <summary>Gets the per-app limit, when reported.</summary>
    public long? AppLimit { get; init; }

    /// <summary>Gets how many of the org's requests this process's SDK sent for the tenant since its state was created (its share of <see cref="Used"/>).</summary>
    public long SentByThisProcess { get; init; }

    /// <summary>Gets the app name of the per-app usage, when reported.</summary>
    public string? AppName { get; init; }

    /// <summary>Gets the share of the daily allocation used (0 to 1, or more when over the allocation).</summary>
    public double Share => Limit > 0 ? (double)Used / Limit : 0;
}
