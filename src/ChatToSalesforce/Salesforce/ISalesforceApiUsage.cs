namespace ChatToSalesforce.Salesforce;

/// <summary>The org's API usage as last reported by Salesforce (the <c>Sforce-Limit-Info</c> header of every response).</summary>
/// <remarks>Registered in DI by <c>AddSalesforceChatExport</c>. Also published as metrics on the <see cref="Telemetry.ChatToSalesforceTelemetry.SourceName"/> meter.</remarks>
public interface ISalesforceApiUsage
{
    /// <summary>Gets the last reported usage, or <see langword="null"/> before the first response.</summary>
    SalesforceApiUsageSnapshot? Current { get; }
}
