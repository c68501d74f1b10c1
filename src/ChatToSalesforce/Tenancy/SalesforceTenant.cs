namespace ChatToSalesforce.Tenancy;

/// <summary>One tenant as the host's <see cref="ISalesforceTenantStore"/> returns it: its connection and export settings.</summary>
public sealed class SalesforceTenant
{
    /// <summary>The tenant id, as in <see cref="Conversation.TenantId"/>.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// A stamp that changes whenever the tenant's settings or credentials change (a row version, an update time). The
    /// SDK keeps the tenant's token, caches and state while the stamp is unchanged, and starts afresh when it changes.
    /// </summary>
    public string? Version { get; init; }

    /// <summary>
    /// The tenant's connection (instance URL, sandbox or production login host, authentication) and export settings,
    /// with the same meaning and validation as the options configured at start-up. A tenant without its own
    /// <see cref="SalesforceAuthenticationOptions.ClientId"/> connects through the vendor's app configured at start-up.
    /// </summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>
    /// Why the tenant is not connected (it disconnected, or the host marked it), or <see langword="null"/>. A disconnected
    /// tenant's conversations fail with <see cref="SalesforceReconnectRequiredException"/> and this reason, with no call to Salesforce.
    /// </summary>
    public string? DisconnectedReason { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"SalesforceTenant {{ Id = {Id}, Version = {Version} }}";
}
