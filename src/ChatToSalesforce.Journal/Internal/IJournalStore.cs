namespace ChatToSalesforce.Journal.Internal;

/// <summary>Where the journal is kept (SQLite, PostgreSQL). Implementations are thread-safe.</summary>
internal interface IJournalStore : IAsyncDisposable
{
    /// <summary>Gets a description for messages: the engine and the database, never a password.</summary>
    string Description { get; }

    /// <summary>Upserts outcomes: the newest outcome of a conversation wins, attempts add up, a success drops the kept conversation.</summary>
    Task WriteAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalFailureCount>> CountFailuresAsync(DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalEntry>> GetFailuresAsync(JournalQuery query, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JournalEntry?> FindAsync(string tenantKey, string conversationId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> kept failures that no other replay holds and that replay <paramref name="run"/> has not
    /// claimed before, until <paramref name="claimUntil"/>; returns their kept conversations.
    /// </summary>
    Task<IReadOnlyList<ClaimedConversation>> ClaimForReplayAsync(JournalQuery query, string run, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the rows of these conversations of one tenant; returns how many existed.</summary>
    Task<int> DeleteAsync(string tenantKey, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken);

    /// <summary>Drops kept conversations whose retention passed.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A short, secret-free code for a failure of this store, for the <c>error.type</c> tag and logs (e.g. <c>sqlite_full</c>).</summary>
    string Classify(Exception error);
}
