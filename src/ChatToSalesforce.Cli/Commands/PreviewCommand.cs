using System.CommandLine;
using System.Globalization;
using ChatToSalesforce.Export.Internal;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf preview &lt;file&gt;</c>: a dry run that shows what an export would match and write, reading from Salesforce but writing nothing.</summary>
internal static class PreviewCommand
{
    // Values longer than this are shown as a length, so transcripts and long notes are not dumped on the console.
    private const int MaxShownValueLength = 120;

    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "Conversations: a JSON array, or JSON Lines (.jsonl). Format: docs/conversation-format.md." };
        var assumeUtc = new Option<bool>("--assume-utc") { Description = "Read date-times without a zone (2026-03-02T10:00:00) as UTC. Without it they are rejected, because they would be read in this machine's zone." };
        var common = new CommonOptions();
        var command = new Command("preview", "Dry run: show, per conversation, the person it would match or create, the field values it would write, the owner and the files, without writing anything. Exit codes: 0 ok, 1 some previews failed, 2 bad input or configuration, 3 credentials rejected or Salesforce unreachable, 130 interrupted.")
        {
            file,
            assumeUtc,
        };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, common, parseResult, parseResult.GetValue(file)!, new ConversationFileOptions(AssumeUtc: parseResult.GetValue(assumeUtc)), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, CommonOptions common, ParseResult parseResult, FileInfo file, ConversationFileOptions readOptions, CancellationToken stopToken)
    {
        IReadOnlyList<Conversation> conversations;
        try
        {
            conversations = ConversationFileReader.Read(file.FullName, readOptions).Conversations;
        }
        catch (ConversationFileException e)
        {
            console.WriteError($"Input error: {e.Message}");
            return CliApp.BadInput;
        }

        if (common.TryCreateHost(parseResult, console) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            console.Out.MarkupLine($"Previewing [bold]{conversations.Count}[/] conversation(s) from [blue]{Markup.Escape(ConsoleText.Escape(file.Name))}[/] against {Markup.Escape(ConsoleText.Escape(host.TargetDescription))} ({host.Options.Mode}). [grey]Nothing is written.[/]");
            int wouldExport = 0, wouldSkip = 0, failed = 0, readCalls = 0;
            var byId = conversations.GroupBy(c => c.Id ?? string.Empty).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            // Chunk by chunk, as an export reads: the reads of a chunk's conversations are shared.
            try
            {
                await foreach (var preview in host.Previewer.PreviewManyAsync(conversations, stopToken).ConfigureAwait(false))
                {
                    var conversation = byId[preview.ConversationId];
                    readCalls += preview.ReadCalls;
                    if (host.Tenants is null && preview.Error is { } e && ConnectionProblem.From(e, host.TargetDescription) is { } problem)
                    {
                        // Every further preview would fail the same way: stop with one message (the exit code of export and check).
                        // With tenants, one org's problem is that tenant's failures only, as in export.
                        console.WriteError($"Stopped: {problem.Summary}");
                        return CliApp.ConnectionFailed;
                    }

                    if (preview.Error is { } error)
                    {
                        failed++;
                        console.Out.Write(new Rule($"[red]{Markup.Escape(ConsoleText.Escape(conversation.Id))}: preview failed[/]").LeftJustified());
                        console.Line(ExportCommand.ErrorText(error));
                        continue;
                    }

                    if (preview.SkipReason is not null)
                    {
                        wouldSkip++;
                    }
                    else
                    {
                        wouldExport++;
                    }

                    console.Out.Write(Render(preview, conversation));
                }
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
            {
                // Interrupted: reported below.
            }

            var total = wouldExport + wouldSkip + failed;
            console.Out.WriteLine();
            console.Out.Write(new Text(string.Create(CultureInfo.InvariantCulture,
                $"Preview: {wouldExport} would be exported, {wouldSkip} skipped, {failed} failed; {readCalls} read API call(s); nothing was written.{Environment.NewLine}")));
            if (total < conversations.Count)
            {
                console.WriteError($"Interrupted: {total} of {conversations.Count} conversation(s) previewed.");
                return CliApp.Interrupted;
            }

            return failed > 0 ? CliApp.SomeFailed : CliApp.Success;
        }
    }

    private static Table Render(ExportPreview preview, Conversation conversation)
    {
        var table = new Table().Title(Markup.Escape(ConsoleText.Escape(conversation.Id))).HideHeaders().AddColumn("What").AddColumn("Value");
        if (preview.SkipReason is not null)
        {
            table.AddRow(ExportCommand.Cells("Would skip", preview.SkipReason));
            return table;
        }

        var match = preview.Match;
        var plan = preview.Plan!;
        var rule = match?.Rule is { } r ? $" (rule: {r})" : string.Empty;
        table.AddRow(ExportCommand.Cells("Match", match is { IsFound: true }
            ? $"existing {match.ObjectType} {match.Id}{rule}{(match.ConvertedLeadId is { } lead ? $", followed from converted Lead {lead}" : string.Empty)}"
            : $"new {plan.Person.ObjectType}{rule}"));
        var person = plan.Person;
        var target = person.Action switch
        {
            Records.RecordAction.Upsert => $"Upsert {person.ObjectType} on {person.ExternalIdField}",
            Records.RecordAction.Keep => $"Keep {person.ObjectType} {person.Id} (no field changes)",
            _ => $"{person.Action} {person.ObjectType}{(person.Id is null ? string.Empty : " " + person.Id)}",
        };
        table.AddRow(ExportCommand.Cells("Person", target));
        foreach (var name in person.Fields.Fields)
        {
            table.AddRow(ExportCommand.Cells($"  {person.ObjectType}.{name}", Show(person.Fields.GetString(name))));
        }

        if (plan.Activity is { } activity)
        {
            var upsert = activity.ExternalIdField is null ? string.Empty : $" (upsert on {activity.ExternalIdField})";
            table.AddRow(ExportCommand.Cells("Activity", $"{activity.ObjectType}{upsert}{(activity.Truncated ? ", transcript truncated (full transcript attached)" : string.Empty)}"));
            foreach (var name in activity.Fields.Fields)
            {
                var value = activity.Fields.GetString(name);
                var shown = name is "Description" or "Comments"
                    ? $"{value?.Length ?? 0:N0} characters"
                    : Show(value);
                table.AddRow(ExportCommand.Cells($"  {activity.ObjectType}.{name}", shown));
            }

            foreach (var f in activity.Files)
            {
                table.AddRow(ExportCommand.Cells("File", string.Create(CultureInfo.InvariantCulture, $"{f.FileName} ({f.Content.Length:N0} bytes{(f.ContentType is null ? string.Empty : ", " + f.ContentType)})")));
            }
        }

        table.AddRow(ExportCommand.Cells("Owner", plan.Owner.OwnerId is { } owner ? $"{owner} ({plan.Owner.Strategy})" : "the connecting user (OwnerId not set)"));
        if (plan.CampaignId is { } campaign)
        {
            table.AddRow(ExportCommand.Cells("Campaign", campaign));
        }

        foreach (var w in plan.Warnings)
        {
            table.AddRow(ExportCommand.Cells("Warning", w));
        }

        table.AddRow(ExportCommand.Cells("Read calls", preview.ReadCalls.ToString(CultureInfo.InvariantCulture)));
        return table;
    }

    private static string Show(string? text)
    {
        if (text is null)
        {
            return "(blank)";
        }

        return text.Length > MaxShownValueLength ? string.Create(CultureInfo.InvariantCulture, $"({text.Length:N0} characters)") : text;
    }
}
