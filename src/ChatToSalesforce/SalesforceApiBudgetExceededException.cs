namespace ChatToSalesforce;

/// <summary>The export was not attempted: the org's daily API usage is above the configured <see cref="SalesforceChatExportOptions.ApiBudget"/>, or Salesforce reported the allocation exhausted.</summary>
public sealed class SalesforceApiBudgetExceededException : ChatToSalesforceException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="used">API calls used in the rolling 24 hours.</param>
    /// <param name="limit">The daily allocation.</param>
    /// <param name="message">The message.</param>
    public SalesforceApiBudgetExceededException(long used, long limit, string message)
        : base(message, ExportFailureKind.WaitForWindow)
    {
        Used = used;
        Limit = limit;
    }

    /// <summary>Gets the API calls used in the rolling 24 hours, as last reported by Salesforce.</summary>
    public long Used { get; }

    /// <summary>Gets the daily API allocation, as last reported by Salesforce.</summary>
    public long Limit { get; }

    /// <summary>Gets when the SDK will next let a request through to learn whether the window has freed calls, when known.</summary>
    /// <value>The end of the request-limit circuit, or the next budget probe; <see cref="ChatToSalesforceException.RetryAfter"/> is the same moment as a delay from the failure.</value>
    public DateTimeOffset? RetryAt { get; init; }
}
