namespace ChatToSalesforce.Tenancy;

/// <summary>
/// The tenant's Salesforce grant is gone (a revoked or expired refresh token, an inactive or frozen user, an app that is
/// blocked or not approved): its exports fail fast, without a token request, until the tenant's credentials change.
/// </summary>
public sealed class SalesforceReconnectRequiredException : ChatToSalesforceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="tenantId">The tenant that must reconnect.</param>
    /// <param name="reason">Why, in the user's terms (never a secret).</param>
    /// <param name="innerException">The token endpoint's answer, if this is the first failure.</param>
    public SalesforceReconnectRequiredException(string tenantId, string reason, Exception? innerException = null)
        : base($"Tenant '{tenantId}' must reconnect to Salesforce: {reason} Nothing was sent; its exports resume when its credentials change.", ExportFailureKind.Reconnect, innerException)
    {
        TenantId = tenantId;
        Reason = reason;
    }

    /// <summary>The tenant that must reconnect.</summary>
    public string TenantId { get; }

    /// <summary>Why the tenant must reconnect.</summary>
    public string Reason { get; }
}
