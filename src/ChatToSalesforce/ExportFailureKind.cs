namespace ChatToSalesforce;

/// <summary>What a failed export needs before it can succeed: the one decision a work queue has to make about it.</summary>
/// <remarks>
/// Every failed <see cref="ConversationExportResult"/> (<see cref="ConversationExportResult.FailureKind"/>) and every
/// <see cref="ChatToSalesforceException"/> (<see cref="ChatToSalesforceException.FailureKind"/>) carries exactly one kind,
/// with a suggested delay where waiting helps (<see cref="ChatToSalesforceException.RetryAfter"/>). docs/failures-and-queues.md
/// maps the kinds onto a queue's retry and dead-letter handling.
/// </remarks>
public enum ExportFailureKind
{
    /// <summary>
    /// A transient failure (network, timeout, a Salesforce server error, a locked row, the token endpoint down): the SDK
    /// has already retried what was safe to repeat. Retry the conversation after <see cref="ChatToSalesforceException.RetryAfter"/>.
    /// </summary>
    RetryLater,

    /// <summary>
    /// The org's daily API allocation or the configured <see cref="SalesforceChatExportOptions.ApiBudget"/> is used up. Retry
    /// after <see cref="ChatToSalesforceException.RetryAfter"/> (when the window is expected to free up); retrying sooner
    /// costs nothing but fails the same way.
    /// </summary>
    WaitForWindow,

    /// <summary>
    /// Salesforce no longer accepts the tenant's grant (revoked or expired refresh token, inactive user or org, the app no
    /// longer approved for the user). Park the conversation until the customer connects again, then replay it.
    /// </summary>
    Reconnect,

    /// <summary>
    /// The configuration does not fit the org: a mapped field or object that does not exist or cannot be written, missing
    /// permissions, a wrong connection setting. Every conversation of the tenant fails the same way: park them, fix the
    /// configuration or the org, then replay.
    /// </summary>
    FixConfiguration,

    /// <summary>
    /// Salesforce rejected this conversation's data (a validation rule, a required field, a value too long, a trigger or
    /// flow error). Only this conversation is affected: do not retry it as is; dead-letter it for a person to look at.
    /// Salesforce's own message is in <see cref="SalesforceApiException.SalesforceMessage"/>, as data (it can quote record
    /// values: never log it).
    /// </summary>
    RejectedData,
}
