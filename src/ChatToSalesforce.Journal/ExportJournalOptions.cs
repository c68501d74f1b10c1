using ChatToSalesforce.Journal.Internal;

namespace ChatToSalesforce.Journal;

/// <summary>Settings of the export journal added by <c>builder.AddExportJournal(...)</c>.</summary>
/// <remarks>
/// Choose a store with <see cref="UseSqlite"/> (one process; the embedded default) or <c>UsePostgreSql</c> from the
/// ChatToSalesforce.Journal.PostgreSql package (many worker processes). The journal never holds message text or any other
/// conversation content unless <see cref="KeepFailedConversations"/> is on.
/// </remarks>
public sealed class ExportJournalOptions
{
    /// <summary>
    /// Gets or sets whether a failed conversation is kept (serialized, content included) so that it can be replayed after the
    /// cause is fixed. Off by default: then the journal holds outcomes only, and a replay has nothing to send.
    /// </summary>
    public bool KeepFailedConversations { get; set; }

    /// <summary>Gets or sets how long a kept failed conversation stays in the journal after its last failure; then it is purged. Default 7 days.</summary>
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how long the journal waits, after it could not write, before it tries its store again. Default 30 seconds.</summary>
    /// <remarks>Meanwhile outcomes are kept in memory (up to <see cref="BufferCapacity"/>) and written with the next successful write.</remarks>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long one write to the store may take before it counts as failed. Default 5 seconds.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many outcomes are kept in memory while the store cannot be written; beyond it the oldest are dropped (and counted). Default 10,000.</summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>Gets the store, set by <see cref="UseSqlite"/> or <c>UsePostgreSql</c>.</summary>
    internal Func<IJournalStore>? StoreFactory { get; private set; }

    /// <summary>Keeps the journal in a SQLite database file (created with its table when missing). For one process; several processes need PostgreSQL.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, for example <c>Data Source=journal.db</c>.</param>
    /// <returns>The same options.</returns>
    public ExportJournalOptions UseSqlite(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = SqliteJournalStore.Describe(connectionString); // a malformed connection string fails here, not at the first export
        return UseStore(() => new SqliteJournalStore(connectionString));
    }

    /// <summary>Sets the store factory (the PostgreSQL package and tests).</summary>
    internal ExportJournalOptions UseStore(Func<IJournalStore> factory)
    {
        StoreFactory = factory;
        return this;
    }

    internal void Validate()
    {
        var problems = new List<string>();
        if (StoreFactory is null)
        {
            problems.Add("no store is chosen: call o.UseSqlite(\"Data Source=journal.db\") or, with ChatToSalesforce.Journal.PostgreSql, o.UsePostgreSql(connectionString)");
        }

        if (RetentionPeriod <= TimeSpan.Zero)
        {
            problems.Add($"RetentionPeriod must be positive (it is {RetentionPeriod})");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            problems.Add($"RetryDelay must not be negative (it is {RetryDelay})");
        }

        if (WriteTimeout <= TimeSpan.Zero)
        {
            problems.Add($"WriteTimeout must be positive (it is {WriteTimeout})");
        }

        if (BufferCapacity < 0)
        {
            problems.Add($"BufferCapacity must not be negative (it is {BufferCapacity})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("AddExportJournal: " + string.Join("; ", problems) + ".");
        }
    }
}
