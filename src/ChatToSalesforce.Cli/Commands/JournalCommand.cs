using System.CommandLine;
using System.Globalization;
using ChatToSalesforce.Journal;
using ChatToSalesforce.Journal.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf journal --journal &lt;file or connection string&gt;</c>: failures by kind and tenant, and with a filter, the conversations.</summary>
internal static class JournalCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new JournalOptions();
        var command = new Command("journal", "Show an export journal: failed conversations counted by failure kind and tenant, with what to do; with --kind or --tenant, also the conversations (id, kind, error code, attempts, last attempt, replayable). Exit codes: 0 shown, 2 bad input, 3 the journal could not be read.");
        options.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, options, parseResult, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, JournalOptions options, ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (options.TryQuery(parseResult, console, kindRequired: false) is not { } query || options.TryOpen(parseResult, console, out _) is not { } store)
        {
            return CliApp.BadInput;
        }

        var recorder = new JournalRecorder(store, new ExportJournalOptions(), TimeProvider.System, NullLogger<JournalRecorder>.Instance);
        await using (recorder.ConfigureAwait(false))
        {
            var journal = new ExportJournal(recorder, exporter: null, NullLogger<ExportJournal>.Instance);
            IReadOnlyList<JournalFailureCount> counts;
            IReadOnlyList<JournalEntry> entries = [];
            try
            {
                counts = await journal.CountFailuresAsync(cancellationToken).ConfigureAwait(false);
                if (query.FailureKind is not null || query.TenantId is not null)
                {
                    entries = await journal.GetFailuresAsync(query, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (JournalOptions.IsStoreFailure(e))
            {
                console.WriteError($"Could not read the {store.Description} ({store.Classify(e)}). Check that it is reachable and that the user may read it.");
                return CliApp.ConnectionFailed;
            }

            counts = counts
                .Where(c => query.FailureKind is null || c.FailureKind == query.FailureKind)
                .Where(c => query.TenantId is null || JournalRecord.KeyOf(c.TenantId) == query.TenantId)
                .ToList();
            if (counts.Count == 0)
            {
                console.Line($"No {JournalOptions.Describe(query)} in the {store.Description}.");
                return CliApp.Success;
            }

            var table = new Table().Title($"Failures by kind and tenant ({store.Description})").AddColumn("Tenant").AddColumn("Kind").AddColumn(new TableColumn("Failed").RightAligned()).AddColumn(new TableColumn("Replayable").RightAligned()).AddColumn("What to do");
            foreach (var c in counts)
            {
                table.AddRow(ExportCommand.Cells(JournalOptions.TenantText(c.TenantId), c.FailureKind, Number(c.Count), Number(c.Replayable), JournalOptions.Advice(c.FailureKind)));
            }

            console.Out.Write(table);
            console.Line($"{counts.Sum(c => c.Count)} failed conversation(s), {counts.Sum(c => c.Replayable)} replayable (chat2sf replay --journal ... --kind <kind> [--tenant <id>]).");
            if (entries.Count > 0)
            {
                var rows = entries.Select(e => new[]
                {
                    JournalOptions.TenantText(e.TenantId), e.ConversationId, e.FailureKind ?? string.Empty, e.ErrorCode ?? string.Empty, Number(e.Attempts),
                    e.LastAttemptAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), e.CanReplay ? "yes" : "no",
                });
                var list = new Table().Title($"Conversations ({JournalOptions.Describe(query)}, most recent first)").AddColumn("Tenant").AddColumn("Conversation").AddColumn("Kind").AddColumn("Error code").AddColumn(new TableColumn("Attempts").RightAligned()).AddColumn("Last attempt (UTC)").AddColumn("Replayable");
                console.Out.Write(ExportCommand.Capped(list, rows));
            }

            return CliApp.Success;
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
