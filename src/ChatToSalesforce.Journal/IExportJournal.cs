namespace ChatToSalesforce.Journal;

/// <summary>Reads the export journal and replays failed conversations.</summary>
/// <remarks>Registered by <c>builder.AddExportJournal(...)</c>; thread-safe.</remarks>
public interface IExportJournal
{
    /// <summary>Counts the failed conversations by tenant and failure kind.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One row per tenant and kind, ordered by tenant then kind.</returns>
    Task<IReadOnlyList<JournalFailureCount>> CountFailuresAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists failed conversations (their latest outcome is a failure).</summary>
    /// <param name="query">The kind and tenant, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The entries, most recent failure first.</returns>
    Task<IReadOnlyList<JournalEntry>> GetFailuresAsync(JournalQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Finds one conversation's entry.</summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for the default tenant.</param>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The entry, or <see langword="null"/> when nothing was recorded for it.</returns>
    Task<JournalEntry?> FindAsync(string? tenantId, string conversationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports the kept failed conversations of a kind and tenant again, through the registered exporter; the journal records the new
    /// outcomes. Idempotent: a conversation exported since its failure (its latest outcome is no longer a failure) is not sent again,
    /// and two replays running at once do not send the same conversation twice.
    /// </summary>
    /// <param name="query">The kind and tenant, or <see langword="null"/> for every kept failure.</param>
    /// <param name="cancellationToken">Cancels the replay (conversations already sent are recorded).</param>
    /// <returns>What was replayed.</returns>
    Task<JournalReplayResult> ReplayAsync(JournalQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the kept conversations whose retention period has passed (their outcome entries stay). Also done as the journal writes, at most hourly.</summary>
    /// <param name="cancellationToken">Cancels the purge.</param>
    /// <returns>How many kept conversations were removed.</returns>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes what the journal holds about conversations: their outcome rows and any kept copy (an erasure request; see
    /// docs/journal.md). Outcomes still buffered in memory for them are dropped too.
    /// </summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for the default tenant.</param>
    /// <param name="conversationIds">The conversation ids.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>How many conversations the journal held and removed.</returns>
    Task<int> ForgetAsync(string? tenantId, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default);

    /// <summary>Writes the outcomes kept in memory while the store could not be written (see <see cref="ExportJournalOptions.RetryDelay"/>) now.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when nothing is left in memory.</returns>
    Task<bool> FlushAsync(CancellationToken cancellationToken = default);
}
