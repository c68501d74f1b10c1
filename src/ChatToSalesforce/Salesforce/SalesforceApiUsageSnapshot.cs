namespace ChatToSalesforce.Salesforce;

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
