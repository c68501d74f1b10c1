using System.Data.Common;
using System.Net.Sockets;
using ChatToSalesforce.Journal.Internal;
using Npgsql;

namespace ChatToSalesforce.Journal.PostgreSql.Internal;

/// <summary>The journal in PostgreSQL, for many worker processes: upserts converge, replay claims skip rows another replay holds.</summary>
internal sealed class PostgreSqlJournalStore : SqlJournalStore
{
    /// <summary>An arbitrary, fixed advisory lock key: workers starting together create the table one at a time.</summary>
    private const long SchemaLockKey = 0x63_68_61_74_32_73_66; // "chat2sf"

    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlJournalStore(string connectionString)
    {
        Description = Describe(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override string Description { get; }

    protected override string BinaryType => "bytea";

    protected override string ClaimLockClause => " FOR UPDATE SKIP LOCKED";

    /// <summary>Describes the journal by host, port and database; never the user's password.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL journal '{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}'";
    }

    public override string Classify(Exception error) => error switch
    {
        PostgresException { SqlState: "53100" } => "postgresql_disk_full",
        PostgresException { SqlState: "53300" } => "postgresql_too_many_connections",
        PostgresException { SqlState: "28P01" or "28000" } => "postgresql_login_rejected",
        PostgresException { SqlState: "3D000" } => "postgresql_no_database",
        PostgresException { SqlState: "42501" } => "postgresql_permission_denied",
        PostgresException e => "postgresql_" + e.SqlState,
        NpgsqlException { InnerException: SocketException } => "unreachable",
        NpgsqlException { InnerException: TimeoutException } or TimeoutException or OperationCanceledException => "timeout",
        NpgsqlException => "postgresql_error",
        _ => "error",
    };

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLockKey}); {SchemaSql}";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
