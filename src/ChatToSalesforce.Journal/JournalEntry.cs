namespace ChatToSalesforce.Journal;

/// <summary>What the journal knows about one conversation of one tenant: its latest outcome. Never conversation content.</summary>
public sealed class JournalEntry
{
    /// <summary>Gets the tenant (<see cref="Conversation.TenantId"/>), or <see langword="null"/> for the default tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the conversation id.</summary>
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>Gets the latest outcome: exported, skipped or failed (a thrown export counts as failed).</summary>
    public ExportStatus Status { get; init; }

    /// <summary>
    /// Gets what to do about a failure: <c>retry-later</c>, <c>wait-for-window</c>, <c>reconnect</c>, <c>fix-configuration</c> or
    /// <c>rejected-data</c> (docs/journal.md); <see langword="null"/> unless <see cref="Status"/> is <see cref="ExportStatus.Failed"/>.
    /// </summary>
    public string? FailureKind { get; init; }

    /// <summary>Gets Salesforce's error code of the latest failure (for example <c>INVALID_FIELD</c>), when it had one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the person (Contact, Lead, ...) the latest successful export wrote or matched.</summary>
    public SalesforceRecordRef? Person { get; init; }

    /// <summary>Gets the activity (Task, Case, Event) the latest successful export wrote.</summary>
    public SalesforceRecordRef? Activity { get; init; }

    /// <summary>Gets the ids of the files (ContentVersion) the latest successful export wrote.</summary>
    public IReadOnlyList<string> FileIds { get; init; } = [];

    /// <summary>Gets how many outcomes were recorded for this conversation (first export, retries, re-exports and replays).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when the first outcome was recorded.</summary>
    public DateTimeOffset FirstAttemptAt { get; init; }

    /// <summary>Gets when the latest outcome was recorded.</summary>
    public DateTimeOffset LastAttemptAt { get; init; }

    /// <summary>Gets when the conversation was last exported, if ever.</summary>
    public DateTimeOffset? ExportedAt { get; init; }

    /// <summary>Gets whether the journal keeps the failed conversation, so that a replay can send it again.</summary>
    public bool CanReplay { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{TenantId ?? "(default tenant)"}/{ConversationId}: {Status}{(FailureKind is null ? string.Empty : " (" + FailureKind + ")")}";
}
