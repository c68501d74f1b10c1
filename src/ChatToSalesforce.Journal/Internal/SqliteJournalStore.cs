using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ChatToSalesforce.Journal.Internal;

/// <summary>The embedded journal: a SQLite file in write-ahead-log mode, for one process.</summary>
internal sealed class SqliteJournalStore : SqlJournalStore
{
    private readonly string _connectionString;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string.</param>
    /// <param name="mustExist">Open an existing file only (the CLI reads a journal; it never creates an empty one by mistake).</param>
    public SqliteJournalStore(string connectionString, bool mustExist = false)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (mustExist && builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        _connectionString = builder.ToString();
        Description = Describe(connectionString);
    }

    public override string Description { get; }

    protected override string BinaryType => "BLOB";

    /// <summary>Describes a SQLite journal by its file (a SQLite connection string holds a password only with encryption, which is never shown).</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static string Describe(string connectionString) =>
        $"SQLite journal '{new SqliteConnectionStringBuilder(connectionString).DataSource}'";

    public override string Classify(Exception error) => error switch
    {
        SqliteException { SqliteErrorCode: 13 } => "sqlite_full",
        SqliteException { SqliteErrorCode: 14 } => "sqlite_cannot_open",
        SqliteException { SqliteErrorCode: 5 or 6 } => "sqlite_busy",
        SqliteException { SqliteErrorCode: 8 } => "sqlite_readonly",
        SqliteException { SqliteErrorCode: 10 } => "sqlite_io_error",
        SqliteException { SqliteErrorCode: 11 or 26 } => "sqlite_corrupt",
        SqliteException e => "sqlite_error_" + e.SqliteErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        OperationCanceledException or TimeoutException => "timeout",
        _ => "error",
    };

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override async Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        // WAL lets the CLI read while an exporter writes; it is a property of the file, so it is set once here.
        command.CommandText = "PRAGMA journal_mode=WAL; " + SchemaSql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
