using System.CommandLine;
using System.Data.Common;
using ChatToSalesforce.Journal;
using ChatToSalesforce.Journal.Internal;
using ChatToSalesforce.Journal.PostgreSql.Internal;

namespace ChatToSalesforce.Cli.Commands;

/// <summary>The options <c>journal</c> and <c>replay</c> share: where the journal is, and which failures.</summary>
internal sealed class JournalOptions
{
    public Option<string> Journal { get; } = new("--journal", "-j")
    {
        Description = "The export journal: a SQLite file (journal.db, or a \"Data Source=...\" connection string), or a PostgreSQL connection string (\"Host=...;Database=...;Username=...\"; the password can come from the PGPASSWORD environment variable).",
        Required = true,
    };

    public Option<string?> Kind { get; } = new("--kind", "-k")
    {
        Description = "Only this failure kind: retry-later, wait-for-window, reconnect, fix-configuration or rejected-data.",
    };

    public Option<string?> Tenant { get; } = new("--tenant", "-t")
    {
        Description = "Only this tenant (the conversations' TenantId).",
    };

    public Option<bool> DefaultTenant { get; } = new("--default-tenant")
    {
        Description = "Only the default tenant (conversations without a TenantId).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Journal);
        command.Options.Add(Kind);
        command.Options.Add(Tenant);
        command.Options.Add(DefaultTenant);
    }

    /// <summary>Whether a journal value is a PostgreSQL connection string (it names a host) rather than a SQLite file.</summary>
    public static bool IsPostgreSql(string value) =>
        value.Contains("Host=", StringComparison.OrdinalIgnoreCase) || value.Contains("Server=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the query, or reports what is wrong and returns <see langword="null"/>.</summary>
    public JournalQuery? TryQuery(ParseResult parseResult, CliConsole console, bool kindRequired)
    {
        var kindText = parseResult.GetValue(Kind);
        string? kind = null;
        if (kindText is not null && (kind = FailureKinds.Parse(kindText)) is null)
        {
            console.WriteError($"--kind: unknown failure kind '{kindText}'; use one of {string.Join(", ", FailureKinds.All)}.");
            return null;
        }

        if (kindRequired && kind is null)
        {
            console.WriteError($"--kind: say which failures to replay ({string.Join(", ", FailureKinds.All)}); usually fix-configuration after the fix, or retry-later.");
            return null;
        }

        var tenant = parseResult.GetValue(Tenant);
        var defaultTenant = parseResult.GetValue(DefaultTenant);
        if (tenant is not null && defaultTenant)
        {
            console.WriteError("--tenant and --default-tenant: give one of them.");
            return null;
        }

        if (tenant is { Length: 0 })
        {
            console.WriteError("--tenant: give a tenant id, or use --default-tenant for conversations without one.");
            return null;
        }

        return new JournalQuery { FailureKind = kind, TenantId = defaultTenant ? JournalQuery.DefaultTenant : tenant, Limit = 1_000 };
    }

    /// <summary>Opens the journal's store for reading, or reports what is wrong and returns <see langword="null"/>.</summary>
    public IJournalStore? TryOpen(ParseResult parseResult, CliConsole console, out Func<IJournalStore>? factory)
    {
        factory = null;
        var value = parseResult.GetValue(Journal)!;
        try
        {
            if (IsPostgreSql(value))
            {
                factory = () => new PostgreSqlJournalStore(value);
                return factory();
            }

            var connectionString = value.Contains('=', StringComparison.Ordinal) ? value : $"Data Source={value}";
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            if (!File.Exists(file))
            {
                console.WriteError($"--journal: the SQLite journal '{Path.GetFullPath(file)}' does not exist. Give the file the exporter writes (AddExportJournal(o => o.UseSqlite(...))), or a PostgreSQL connection string (Host=...).");
                return null;
            }

            factory = () => new SqliteJournalStore(connectionString, mustExist: true);
            return factory();
        }
        catch (ArgumentException e)
        {
            console.WriteError($"--journal: not a valid connection string ({e.Message}).");
            return null;
        }
    }

    /// <summary>Whether an exception is the journal's store failing (unreachable, rejected login, unreadable file).</summary>
    public static bool IsStoreFailure(Exception e) => e is DbException or TimeoutException or System.Net.Sockets.SocketException;

    public static string Describe(JournalQuery query) =>
        (query.FailureKind ?? "all") + " failures of " + (query.TenantId switch
        {
            null => "every tenant",
            JournalQuery.DefaultTenant => "the default tenant",
            var t => $"tenant {t}",
        });

    public static string TenantText(string? tenantId) => tenantId ?? "(default)";

    /// <summary>What to do about a failure kind, in the operator's words.</summary>
    public static string Advice(string kind) => kind switch
    {
        FailureKinds.RetryLater => "transient: the host's queue retries; or replay",
        FailureKinds.WaitForWindow => "daily API limit or budget: replay after the window resets",
        FailureKinds.Reconnect => "the tenant's Salesforce grant is gone: reconnect, then replay",
        FailureKinds.FixConfiguration => "fix the mapping, object or permission, then replay",
        FailureKinds.RejectedData => "Salesforce rejected this conversation's data (validation rule, required field)",
        _ => string.Empty,
    };
}
