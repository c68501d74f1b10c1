namespace ChatToSalesforce.Journal.Internal;

/// <summary>One outcome to write: the columns of the journal's row, and the kept conversation when the host opted in.</summary>
internal sealed record JournalRecord(
    string TenantKey,
    string ConversationId,
    ExportStatus Status,
    string? FailureKind,
    string? ErrorCode,
    SalesforceRecordRef? Person,
    SalesforceRecordRef? Activity,
    IReadOnlyList<string> FileIds,
    DateTimeOffset At,
    byte[]? Payload,
    DateTimeOffset? PayloadExpiresAt)
{
    /// <summary>The tenant key stored for a <see langword="null"/> <see cref="Conversation.TenantId"/> (a primary key column cannot be NULL).</summary>
    public static string KeyOf(string? tenantId) => tenantId ?? JournalQuery.DefaultTenant;

    public static string? TenantOf(string key) => key.Length == 0 ? null : key;

    public static JournalRecord FromResult(Conversation? conversation, ConversationExportResult result, DateTimeOffset at, ExportJournalOptions options)
    {
        var failed = result.Status == ExportStatus.Failed;
        var kind = failed ? FailureClassifier.Classify(result) : null;
        var payload = failed && options.KeepFailedConversations && conversation is not null ? ConversationPayload.Encode(conversation) : null;
        return new JournalRecord(
            KeyOf(conversation?.TenantId),
            result.ConversationId,
            result.Status,
            kind,
            failed ? FailureClassifier.ErrorCodeOf(result.Error) : null,
            result.Person,
            result.Activity,
            result.Files.Select(f => f.Id).ToList(),
            at,
            payload,
            payload is null ? null : at + options.RetentionPeriod);
    }

    public static JournalRecord FromException(Conversation conversation, Exception error, DateTimeOffset at, ExportJournalOptions options)
    {
        var payload = options.KeepFailedConversations ? ConversationPayload.Encode(conversation) : null;
        return new JournalRecord(
            KeyOf(conversation.TenantId),
            conversation.Id,
            ExportStatus.Failed,
            FailureClassifier.Classify(error),
            FailureClassifier.ErrorCodeOf(error),
            null,
            null,
            [],
            at,
            payload,
            payload is null ? null : at + options.RetentionPeriod);
    }
}

/// <summary>A kept failed conversation claimed by a replay.</summary>
internal sealed record ClaimedConversation(string TenantKey, string ConversationId, byte[] Payload);
