namespace ChatToSalesforce.Connect;

/// <summary>A tenant's connection to its org, as the web-server flow produced it.</summary>
public sealed class SalesforceTenantConnection
{
    /// <summary>The tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>The org's instance URL (its My Domain).</summary>
    public required Uri InstanceUrl { get; init; }

    /// <summary>The login host the admin used (production, sandbox or My Domain): the token endpoint for refreshes.</summary>
    public required Uri LoginUrl { get; init; }

    /// <summary>The refresh token: a secret, never logged and never in <see cref="ToString"/>.</summary>
    public required string RefreshToken { get; init; }

    /// <summary>The consumer key of the app the tenant authorized (the vendor's or its own).</summary>
    public required string ClientId { get; init; }

    /// <summary>The org and user.</summary>
    public required SalesforceConnectedOrg Org { get; init; }

    /// <summary>When the tenant connected.</summary>
    public DateTimeOffset ConnectedAt { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"SalesforceTenantConnection {{ TenantId = {TenantId}, InstanceUrl = {InstanceUrl}, Org = {Org.OrganizationId} }}";
}
