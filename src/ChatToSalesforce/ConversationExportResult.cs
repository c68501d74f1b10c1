using ChatToSalesforce.Failures.Internal;

namespace ChatToSalesforce;

/// <summary>The outcome of exporting one conversation.</summary>
public sealed class ConversationExportResult
{
    /// <summary>Gets the id of the conversation this result is for.</summary>
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>The tenant of the conversation (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets whether the conversation was exported, skipped or (in a batch) failed.</summary>
    public ExportStatus Status { get; init; }

    /// <summary>Gets why the conversation was skipped, when <see cref="Status"/> is <see cref="ExportStatus.Skipped"/>.</summary>
    public string? SkipReason { get; init; }

    /// <summary>Gets the failure, when <see cref="Status"/> is <see cref="ExportStatus.Failed"/>.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gets what the failed conversation needs before it can succeed, when <see cref="Status"/> is <see cref="ExportStatus.Failed"/>; otherwise <see langword="null"/>.</summary>
    /// <value>Derived from <see cref="Error"/>; see <see cref="ExportFailureKind"/> and docs/failures-and-queues.md.</value>
    public ExportFailureKind? FailureKind => Error is null ? null : ExportFailureClassifier.Classify(Error).Kind;

    /// <summary>Gets the suggested delay before the failed conversation is tried again; <see langword="null"/> when it did not fail or a timer will not help.</summary>
    /// <value>Derived from <see cref="Error"/>, as <see cref="ChatToSalesforceException.RetryAfter"/>.</value>
    public TimeSpan? RetryAfter => Error is null ? null : ExportFailureClassifier.Classify(Error).RetryAfter;

    /// <summary>Gets the person (Contact, Lead, or generic target record) written or matched.</summary>
    public SalesforceRecordRef? Person { get; init; }

    /// <summary>Gets the activity (Task, Case or Event) holding the transcript.</summary>
    public SalesforceRecordRef? Activity { get; init; }

    /// <summary>Gets the files (ContentVersion records) created for attachments and full transcripts.</summary>
    public IReadOnlyList<SalesforceRecordRef> Files { get; init; } = [];

    /// <summary>Gets the owner id the SDK set, or <see langword="null"/> when the connecting user owns the records.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Gets how many Salesforce API calls this export spent (shared batch calls are apportioned to the first item that used them).</summary>
    public int ApiCalls { get; init; }

    /// <summary>Gets non-fatal notes about the export (truncated values, dropped picklist values, owner fallbacks). Never contains conversation content.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Creates a skipped result.</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="reason">Why it was skipped.</param>
    /// <returns>The result.</returns>
    public static ConversationExportResult Skipped(string conversationId, string reason) =>
        new() { ConversationId = conversationId, Status = ExportStatus.Skipped, SkipReason = reason };

    /// <summary>Creates a failed result (used by batch exports).</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="error">The failure.</param>
    /// <returns>The result.</returns>
    public static ConversationExportResult Failed(string conversationId, Exception error) =>
        new() { ConversationId = conversationId, Status = ExportStatus.Failed, Error = error };

    /// <inheritdoc />
    public override string ToString() => FailureKind is { } kind ? $"{ConversationId}: {Status} ({kind})" : $"{ConversationId}: {Status}";
}
