namespace ChatToSalesforce.Tenancy;

/// <summary>A change to a tenant's connection that the host should store: a rotated refresh token, or a grant that is gone.</summary>
public sealed class SalesforceConnectionChange
{
    /// <summary>The new refresh token Salesforce issued (rotation), or <see langword="null"/> when the grant is gone.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>Why the tenant must reconnect, when <see cref="ReconnectRequired"/> is <see langword="true"/>; never contains a secret.</summary>
    public string? Reason { get; init; }

    /// <summary>Whether Salesforce said the tenant's grant is gone: its exports fail fast until its credentials change.</summary>
    public bool ReconnectRequired { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"SalesforceConnectionChange {{ ReconnectRequired = {ReconnectRequired} }}";
}
