namespace ChatToSalesforce.Tenancy;

/// <summary>
/// A conversation names a tenant the SDK cannot use: the tenant is not configured (<see cref="ExportFailureKind.FixConfiguration"/>),
/// or the tenant store failed (<see cref="ExportFailureKind.RetryLater"/>; the store's exception is the inner exception).
/// </summary>
public sealed class SalesforceTenantException : ChatToSalesforceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The store's exception, if any.</param>
    public SalesforceTenantException(string tenantId, string message, Exception? innerException = null)
        : base(message, innerException is null ? ExportFailureKind.FixConfiguration : ExportFailureKind.RetryLater, innerException)
    {
        TenantId = tenantId;
    }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }
}
