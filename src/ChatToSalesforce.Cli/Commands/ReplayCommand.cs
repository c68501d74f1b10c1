using System.CommandLine;
using ChatToSalesforce.Journal;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf replay --journal ... --kind fix-configuration [--tenant T]</c>: exports the kept failures again, idempotently.</summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new JournalOptions();
        var common = new CommonOptions();
        var command = new Command("replay", "Replay failed conversations the journal keeps (the exporter's KeepFailedConversations): export the ones of a failure kind (and tenant) again into the configured org, and record the new outcomes. Idempotent: a conversation exported since its failure is not sent again. Exit codes: 0 every replayed conversation exported or skipped (or nothing to replay), 1 some failed again, 2 bad input or configuration, 3 the journal could not be read.");
        options.AddTo(command);
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, options, common, parseResult, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, JournalOptions options, CommonOptions common, ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (options.TryQuery(parseResult, console, kindRequired: true) is not { } query || options.TryOpen(parseResult, console, out var factory) is not { } probe)
        {
            return CliApp.BadInput;
        }

        var description = probe.Description;
        await probe.DisposeAsync().ConfigureAwait(false);
        if (common.TryCreateHost(parseResult, console, build: b => b.AddExportJournal(o =>
        {
            o.UseStore(factory!);
            o.KeepFailedConversations = true; // a conversation that fails again stays replayable
        })) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            console.Line($"Replaying {JournalOptions.Describe(query)} from the {description} into {host.TargetDescription}.");
            JournalReplayResult result;
            try
            {
                result = await host.Services.GetRequiredService<IExportJournal>().ReplayAsync(query, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (JournalOptions.IsStoreFailure(e))
            {
                console.WriteError($"Could not read the {description}. Check that it is reachable and that the user may write it; nothing more was replayed.");
                return CliApp.ConnectionFailed;
            }

            if (result.Replayed == 0)
            {
                console.Line($"Nothing to replay: the journal keeps no {JournalOptions.Describe(query)} (conversations exported since their failure are not replayed).");
            }
            else
            {
                console.Line($"Replayed {result.Replayed}: {result.Exported} exported, {result.Skipped} skipped, {result.Failed} failed again.");
            }

            if (result.NotReplayable > 0)
            {
                console.Line($"{result.NotReplayable} matching failure(s) are not kept (KeepFailedConversations was off, or the retention period passed): export them again from your own source.");
            }

            if (result.Failed > 0)
            {
                console.Line("Those that failed again are in the journal with their new failure kind: chat2sf journal --journal ...");
            }

            return result.Failed > 0 ? CliApp.SomeFailed : CliApp.Success;
        }
    }
}
