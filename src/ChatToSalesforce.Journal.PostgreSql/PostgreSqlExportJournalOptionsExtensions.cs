using ChatToSalesforce.Journal.PostgreSql.Internal;

namespace ChatToSalesforce.Journal;

/// <summary>Chooses PostgreSQL as the export journal's store.</summary>
public static class PostgreSqlExportJournalOptionsExtensions
{
    /// <summary>Keeps the journal in PostgreSQL, shared by every worker process (the table is created on first use).</summary>
    /// <param name="options">The journal options.</param>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Database=chat2sf;Username=chat2sf;Password=...</c>.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static ExportJournalOptions UsePostgreSql(this ExportJournalOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = PostgreSqlJournalStore.Describe(connectionString); // a malformed connection string fails here, not at the first export
        return options.UseStore(() => new PostgreSqlJournalStore(connectionString));
    }
}
