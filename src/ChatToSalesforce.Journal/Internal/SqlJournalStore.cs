using System.Data;
using System.Data.Common;

namespace ChatToSalesforce.Journal.Internal;

/// <summary>
/// The journal's SQL, shared by SQLite and PostgreSQL: one row per tenant and conversation holding its latest outcome, written
/// with <c>INSERT ... ON CONFLICT DO UPDATE</c> so concurrent writers converge. Times are Unix milliseconds (UTC).
/// </summary>
internal abstract class SqlJournalStore : IJournalStore
{
    public const string Table = "chat2sf_export_journal";

    private const string Columns =
        "tenant_id, conversation_id, status, failure_kind, error_code, person_type, person_id, person_change, activity_type, activity_id, " +
        "activity_change, file_ids, attempts, first_attempt_ms, last_attempt_ms, exported_ms, payload, payload_expires_ms";

    private const string EntryColumns =
        "tenant_id, conversation_id, status, failure_kind, error_code, person_type, person_id, person_change, activity_type, activity_id, " +
        "activity_change, file_ids, attempts, first_attempt_ms, last_attempt_ms, exported_ms, " +
        "CASE WHEN payload IS NOT NULL AND (payload_expires_ms IS NULL OR payload_expires_ms > @now) THEN 1 ELSE 0 END AS can_replay";

    private const string Kept = "payload IS NOT NULL AND (payload_expires_ms IS NULL OR payload_expires_ms > @now)";

    private const string Filter = "status = 'Failed' AND (@kind IS NULL OR failure_kind = @kind) AND (@tenant IS NULL OR tenant_id = @tenant)";

    // The newest outcome wins (a late write of an older one still counts as an attempt); a success or skip drops the kept conversation.
    private const string Newest = "excluded.last_attempt_ms >= " + Table + ".last_attempt_ms";

    private static readonly string UpsertSql =
        $"INSERT INTO {Table} ({Columns}) VALUES (@tenant, @conversation, @status, @kind, @code, @person_type, @person_id, @person_change, " +
        "@activity_type, @activity_id, @activity_change, @file_ids, 1, @at, @at, @exported, @payload, @payload_expires) " +
        $"ON CONFLICT (tenant_id, conversation_id) DO UPDATE SET " +
        $"status = CASE WHEN {Newest} THEN excluded.status ELSE {Table}.status END, " +
        $"failure_kind = CASE WHEN {Newest} THEN excluded.failure_kind ELSE {Table}.failure_kind END, " +
        $"error_code = CASE WHEN {Newest} THEN excluded.error_code ELSE {Table}.error_code END, " +
        Keep("person_type", "person_id") + Keep("person_id", "person_id") + Keep("person_change", "person_id") +
        Keep("activity_type", "activity_id") + Keep("activity_id", "activity_id") + Keep("activity_change", "activity_id") +
        Keep("file_ids", "file_ids") +
        $"attempts = {Table}.attempts + 1, " +
        $"first_attempt_ms = CASE WHEN excluded.first_attempt_ms < {Table}.first_attempt_ms THEN excluded.first_attempt_ms ELSE {Table}.first_attempt_ms END, " +
        $"last_attempt_ms = CASE WHEN {Newest} THEN excluded.last_attempt_ms ELSE {Table}.last_attempt_ms END, " +
        $"exported_ms = CASE WHEN excluded.exported_ms IS NOT NULL AND ({Table}.exported_ms IS NULL OR excluded.exported_ms > {Table}.exported_ms) THEN excluded.exported_ms ELSE {Table}.exported_ms END, " +
        $"payload = CASE WHEN NOT ({Newest}) THEN {Table}.payload WHEN excluded.status = 'Failed' THEN COALESCE(excluded.payload, {Table}.payload) ELSE NULL END, " +
        $"payload_expires_ms = CASE WHEN NOT ({Newest}) THEN {Table}.payload_expires_ms WHEN excluded.status = 'Failed' THEN COALESCE(excluded.payload_expires_ms, {Table}.payload_expires_ms) ELSE NULL END, " +
        $"replay_claimed_until_ms = CASE WHEN {Newest} THEN NULL ELSE {Table}.replay_claimed_until_ms END";

    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public abstract string Description { get; }

    /// <summary>Gets the column type of the kept conversation (<c>BLOB</c>, <c>bytea</c>).</summary>
    protected abstract string BinaryType { get; }

    /// <summary>Gets what the replay's claim adds to its row selection (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL).</summary>
    protected virtual string ClaimLockClause => string.Empty;

    protected string SchemaSql =>
        $"CREATE TABLE IF NOT EXISTS {Table} (" +
        "tenant_id TEXT NOT NULL, conversation_id TEXT NOT NULL, status TEXT NOT NULL, failure_kind TEXT NULL, error_code TEXT NULL, " +
        "person_type TEXT NULL, person_id TEXT NULL, person_change TEXT NULL, activity_type TEXT NULL, activity_id TEXT NULL, activity_change TEXT NULL, " +
        "file_ids TEXT NULL, attempts INTEGER NOT NULL, first_attempt_ms BIGINT NOT NULL, last_attempt_ms BIGINT NOT NULL, exported_ms BIGINT NULL, " +
        $"payload {BinaryType} NULL, payload_expires_ms BIGINT NULL, replay_claimed_until_ms BIGINT NULL, replay_run TEXT NULL, " +
        "PRIMARY KEY (tenant_id, conversation_id)); " +
        $"CREATE INDEX IF NOT EXISTS {Table}_failures ON {Table} (status, failure_kind, tenant_id); " +
        $"CREATE INDEX IF NOT EXISTS {Table}_expiry ON {Table} (payload_expires_ms)";

    public async Task WriteAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = UpsertSql;
        foreach (var r in records)
        {
            command.Parameters.Clear();
            Add(command, "@tenant", r.TenantKey);
            Add(command, "@conversation", r.ConversationId);
            Add(command, "@status", r.Status.ToString());
            Add(command, "@kind", r.FailureKind);
            Add(command, "@code", r.ErrorCode);
            Add(command, "@person_type", r.Person?.ObjectType);
            Add(command, "@person_id", r.Person?.Id);
            Add(command, "@person_change", r.Person?.Change.ToString());
            Add(command, "@activity_type", r.Activity?.ObjectType);
            Add(command, "@activity_id", r.Activity?.Id);
            Add(command, "@activity_change", r.Activity?.Change.ToString());
            Add(command, "@file_ids", r.FileIds.Count == 0 ? null : string.Join(',', r.FileIds));
            Add(command, "@at", r.At.ToUnixTimeMilliseconds());
            Add(command, "@exported", r.Status == ExportStatus.Exported ? r.At.ToUnixTimeMilliseconds() : (long?)null);
            AddBinary(command, "@payload", r.Payload);
            Add(command, "@payload_expires", r.PayloadExpiresAt?.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JournalFailureCount>> CountFailuresAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT tenant_id, COALESCE(failure_kind, 'retry-later'), COUNT(*), SUM(CASE WHEN {Kept} THEN 1 ELSE 0 END) FROM {Table} " +
            "WHERE status = 'Failed' GROUP BY tenant_id, COALESCE(failure_kind, 'retry-later') ORDER BY tenant_id, 2";
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        var counts = new List<JournalFailureCount>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new JournalFailureCount(
                JournalRecord.TenantOf(reader.GetString(0)),
                reader.GetString(1),
                Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return counts;
    }

    public async Task<IReadOnlyList<JournalEntry>> GetFailuresAsync(JournalQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EntryColumns} FROM {Table} WHERE {Filter} ORDER BY last_attempt_ms DESC, tenant_id, conversation_id LIMIT @limit";
        AddFilter(command, query, now);
        Add(command, "@limit", (long)Math.Max(0, query.Limit));
        return await ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JournalEntry?> FindAsync(string tenantKey, string conversationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EntryColumns} FROM {Table} WHERE tenant_id = @tenant AND conversation_id = @conversation";
        Add(command, "@tenant", tenantKey);
        Add(command, "@conversation", conversationId);
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        var entries = await ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
        return entries.Count == 0 ? null : entries[0];
    }

    public async Task<IReadOnlyList<ClaimedConversation>> ClaimForReplayAsync(JournalQuery query, string run, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken)
    {
        using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"UPDATE {Table} SET replay_claimed_until_ms = @until, replay_run = @run WHERE (tenant_id, conversation_id) IN (" +
            $"SELECT tenant_id, conversation_id FROM {Table} WHERE {Filter} AND {Kept} " +
            "AND (replay_claimed_until_ms IS NULL OR replay_claimed_until_ms <= @now) AND (replay_run IS NULL OR replay_run <> @run) " +
            $"ORDER BY last_attempt_ms LIMIT @limit{ClaimLockClause}) RETURNING tenant_id, conversation_id, payload";
        AddFilter(command, query, now);
        Add(command, "@until", claimUntil.ToUnixTimeMilliseconds());
        Add(command, "@run", run);
        Add(command, "@limit", (long)limit);
        var claimed = new List<ClaimedConversation>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claimed.Add(new ClaimedConversation(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        }

        return claimed;
    }

    public async Task<int> DeleteAsync(string tenantKey, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DELETE FROM {Table} WHERE tenant_id = @tenant AND conversation_id = @conversation";
        var deleted = 0;
        foreach (var id in conversationIds.Distinct(StringComparer.Ordinal))
        {
            command.Parameters.Clear();
            Add(command, "@tenant", tenantKey);
            Add(command, "@conversation", id);
            deleted += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE {Table} SET payload = NULL, payload_expires_ms = NULL WHERE payload_expires_ms IS NOT NULL AND payload_expires_ms <= @now";
        Add(command, "@now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public abstract string Classify(Exception error);

    public virtual ValueTask DisposeAsync()
    {
        _schemaGate.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Opens a connection to the store.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates the table and its indexes when missing (runs once per store object that succeeds).</summary>
    protected abstract Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    protected static void Add(DbCommand command, string name, string? value) => Add(command, name, value, DbType.String);

    /// <summary>Adds a number (typed even when <see langword="null"/>: PostgreSQL does not guess a NULL's type).</summary>
    protected static void Add(DbCommand command, string name, long? value) => Add(command, name, value, DbType.Int64);

    private static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static string Keep(string column, string presence) =>
        $"{column} = CASE WHEN {Newest} AND excluded.{presence} IS NOT NULL THEN excluded.{column} ELSE {Table}.{column} END, ";

    private static void AddBinary(DbCommand command, string name, byte[]? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = DbType.Binary;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static void AddFilter(DbCommand command, JournalQuery query, DateTimeOffset now)
    {
        Add(command, "@kind", query.FailureKind);
        Add(command, "@tenant", query.TenantId);
        Add(command, "@now", now.ToUnixTimeMilliseconds());
    }

    private static async Task<IReadOnlyList<JournalEntry>> ReadEntriesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new JournalEntry
            {
                TenantId = JournalRecord.TenantOf(reader.GetString(0)),
                ConversationId = reader.GetString(1),
                Status = Enum.Parse<ExportStatus>(reader.GetString(2)),
                FailureKind = Text(reader, 3),
                ErrorCode = Text(reader, 4),
                Person = Ref(reader, 5),
                Activity = Ref(reader, 8),
                FileIds = Text(reader, 11)?.Split(',') ?? [],
                Attempts = Convert.ToInt32(reader.GetValue(12), System.Globalization.CultureInfo.InvariantCulture),
                FirstAttemptAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
                LastAttemptAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(14)),
                ExportedAt = reader.IsDBNull(15) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(15)),
                CanReplay = Convert.ToInt32(reader.GetValue(16), System.Globalization.CultureInfo.InvariantCulture) == 1,
            });
        }

        return entries;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static SalesforceRecordRef? Ref(DbDataReader reader, int ordinal) =>
        Text(reader, ordinal + 1) is { } id
            ? new SalesforceRecordRef(Text(reader, ordinal) ?? string.Empty, id, Enum.TryParse<RecordChange>(Text(reader, ordinal + 2), out var change) ? change : RecordChange.Unchanged)
            : null;

    private async Task<DbConnection> OpenReadyAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (_schemaReady)
        {
            return connection;
        }

        try
        {
            await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_schemaReady)
                {
                    await CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                    _schemaReady = true;
                }
            }
            finally
            {
                _schemaGate.Release();
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return connection;
    }
}
