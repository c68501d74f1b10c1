using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf export &lt;file&gt;</c>: exports a conversation file into Salesforce (or the in-process emulator) and prints a summary.</summary>
internal static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "Conversations: a JSON array, or JSON Lines (.jsonl, one conversation per line). Format: docs/conversation-format.md." };
        var report = new Option<FileInfo?>("--report", "-r") { Description = "Write every conversation's outcome (status, skip reason, error, record ids, API calls) to this JSON file." };
        var common = new CommonOptions();
        var command = new Command("export", "Export conversations into Salesforce: find or create each visitor, write the transcript activity and files. Exit codes: 0 all exported or skipped, 1 some failed, 2 bad input or configuration, 130 interrupted.")
        {
            file,
            report,
        };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, common, parseResult, parseResult.GetValue(file)!, parseResult.GetValue(report), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, CommonOptions common, ParseResult parseResult, FileInfo file, FileInfo? reportFile, CancellationToken stopToken)
    {
        IReadOnlyList<Conversation> conversations;
        try
        {
            conversations = ConversationFileReader.Read(file.FullName);
        }
        catch (ConversationFileException e)
        {
            await console.Error.WriteLineAsync($"Input error: {e.Message}").ConfigureAwait(false);
            await console.Error.WriteLineAsync("Nothing was exported.").ConfigureAwait(false);
            return CliApp.BadInput;
        }

        ProgressTask? progressTask = null;
        if (common.TryCreateHost(parseResult, console, o => o.OnProgress = p =>
            {
                if (progressTask is { } task)
                {
                    task.Value = p.Completed;
                    task.Description = $"Exporting ({p.Exported} exported, {p.Skipped} skipped, {p.Failed} failed)";
                }
            }) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            var run = new ExportRun { File = file.FullName, Target = host.Emulator is null ? host.TargetDescription : "emulator", Total = conversations.Count };
            console.Out.MarkupLine($"Exporting [bold]{conversations.Count}[/] conversation(s) from [blue]{Markup.Escape(file.Name)}[/] into {Markup.Escape(host.TargetDescription)} ({host.Options.Mode}).");

            var exporter = host.Exporter;
            if (console.Interactive && conversations.Count > 1)
            {
                await console.Out.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        progressTask = ctx.AddTask("Exporting", maxValue: conversations.Count);
                        await ExportAllAsync(exporter, conversations, run, onResult: null, stopToken).ConfigureAwait(false);
                        progressTask.Value = run.Results.Count;
                        progressTask.StopTask();
                    }).ConfigureAwait(false);
            }
            else
            {
                await ExportAllAsync(exporter, conversations, run, r => console.Out.Write(new Text(Line(r) + Environment.NewLine)), stopToken).ConfigureAwait(false);
            }

            run.CompletedAt = DateTimeOffset.UtcNow;
            if (host.Emulator is { } emulator)
            {
                run.UsageUsed = emulator.ApiCallsUsed;
                run.UsageLimit = emulator.DailyApiLimit;
            }
            else if (host.ApiUsage.Current is { } usage)
            {
                run.UsageUsed = usage.Used;
                run.UsageLimit = usage.Limit;
            }

            run.ExitCode = run.Cancelled ? CliApp.Interrupted : run.Failed > 0 ? CliApp.SomeFailed : CliApp.Success;

            if (host.Emulator is { } org)
            {
                console.Out.Write(RecordsTable(org, run));
            }

            console.Out.Write(SummaryTable(run));
            WriteOutcomeDetails(console, run);

            if (reportFile is not null)
            {
                try
                {
                    await ReportWriter.WriteAsync(reportFile.FullName, run, CancellationToken.None).ConfigureAwait(false);
                    console.Out.MarkupLine($"Report written to [blue]{Markup.Escape(reportFile.FullName)}[/].");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await console.Error.WriteLineAsync($"The report could not be written to {reportFile.FullName}: {e.Message}").ConfigureAwait(false);
                }
            }

            if (run.Cancelled)
            {
                await console.Error.WriteLineAsync($"Interrupted: {run.Results.Count} of {run.Total} conversation(s) were processed; the others were not started.").ConfigureAwait(false);
            }

            return run.ExitCode;
        }
    }

    private static async Task ExportAllAsync(IConversationExporter exporter, IReadOnlyList<Conversation> conversations, ExportRun run, Action<ConversationExportResult>? onResult, CancellationToken stopToken)
    {
        // Ctrl+C stops feeding new conversations; the ones in flight finish (their requests are not cancelled).
        await foreach (var result in exporter.ExportManyAsync(Feed(conversations, stopToken), CancellationToken.None).ConfigureAwait(false))
        {
            run.Results.Add(result);
            onResult?.Invoke(result);
        }

        run.Cancelled = stopToken.IsCancellationRequested && run.Results.Count < conversations.Count;
    }

    private static async IAsyncEnumerable<Conversation> Feed(IReadOnlyList<Conversation> conversations, [EnumeratorCancellation] CancellationToken stopToken = default)
    {
        foreach (var conversation in conversations)
        {
            if (stopToken.IsCancellationRequested)
            {
                yield break;
            }

            yield return conversation;
            await Task.CompletedTask.ConfigureAwait(false);
        }
    }

    private static string Line(ConversationExportResult r) => r.Status switch
    {
        ExportStatus.Exported => $"  exported  {r.ConversationId}: {Describe(r.Person)}, {Describe(r.Activity)}{(r.Files.Count > 0 ? $", {r.Files.Count} file(s)" : string.Empty)} ({r.ApiCalls} API call(s))",
        ExportStatus.Skipped => $"  skipped   {r.ConversationId}: {r.SkipReason}",
        _ => $"  FAILED    {r.ConversationId}: {ErrorText(r.Error)}",
    };

    private static string Describe(SalesforceRecordRef? r) => r is null ? "-" : $"{r.ObjectType} {r.Id} ({r.Change.ToString().ToLowerInvariant()})";

    /// <summary>The error for the operator's console. Salesforce's verbatim message is shown (escaped) here, never in the report file.</summary>
    internal static string ErrorText(Exception? e) => e switch
    {
        null => "unknown error",
        SalesforceApiException api => $"{api.ErrorCode ?? ((int)api.StatusCode).ToString(CultureInfo.InvariantCulture)}: {api.Message}{SalesforceSaid(api.SalesforceMessage)}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>Salesforce's own text, quoted, with control characters escaped (it can hold record values and anything a record holds).</summary>
    internal static string SalesforceSaid(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var escaped = new System.Text.StringBuilder(" Salesforce said: \"");
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.Append('"').ToString();
    }

    private static Table SummaryTable(ExportRun run)
    {
        var table = new Table().Title("Summary").AddColumn("Outcome").AddColumn(new TableColumn("Count").RightAligned());
        table.AddRow(Cells("Exported", Num(run.Exported)));
        table.AddRow(Cells("Skipped", Num(run.Skipped)));
        table.AddRow(Cells("Failed", Num(run.Failed)));
        if (run.Cancelled)
        {
            table.AddRow(Cells("Not started (interrupted)", Num(run.Total - run.Results.Count)));
        }

        table.AddRow(Cells("API calls spent", Num(run.ApiCalls)));
        if (run.UsageUsed is { } used && run.UsageLimit is { } limit)
        {
            var share = limit > 0 ? (double)used / limit : 0;
            table.AddRow(Cells("Daily API usage after the run", string.Create(CultureInfo.InvariantCulture, $"{used:N0} / {limit:N0} ({share:P1})")));
        }

        return table;
    }

    private static void WriteOutcomeDetails(CliConsole console, ExportRun run)
    {
        var skipped = run.Results.Where(r => r.Status == ExportStatus.Skipped).ToList();
        if (skipped.Count > 0)
        {
            var table = new Table().Title("Skipped").AddColumn("Conversation").AddColumn("Reason");
            foreach (var r in skipped)
            {
                table.AddRow(Cells(r.ConversationId, r.SkipReason ?? string.Empty));
            }

            console.Out.Write(table);
        }

        var failed = run.Results.Where(r => r.Status == ExportStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            var table = new Table().Title("Failed").AddColumn("Conversation").AddColumn("Error");
            foreach (var r in failed)
            {
                table.AddRow(Cells(r.ConversationId, ErrorText(r.Error)));
            }

            console.Out.Write(table);
        }

        var warnings = run.Results.Where(r => r.Warnings.Count > 0).ToList();
        if (warnings.Count > 0)
        {
            var table = new Table().Title("Warnings").AddColumn("Conversation").AddColumn("Warning");
            foreach (var r in warnings)
            {
                foreach (var w in r.Warnings)
                {
                    table.AddRow(Cells(r.ConversationId, w));
                }
            }

            console.Out.Write(table);
        }
    }

    private static Table RecordsTable(Testing.SalesforceEmulator org, ExportRun run)
    {
        var table = new Table().Title("Records in the emulator").AddColumn("Conversation").AddColumn("Object").AddColumn("Id").AddColumn("Change").AddColumn("Key fields");
        foreach (var r in run.Results.Where(r => r.Status == ExportStatus.Exported))
        {
            foreach (var record in new[] { r.Person, r.Activity }.Concat(r.Files))
            {
                if (record is null)
                {
                    continue;
                }

                var fields = org.Find(record.ObjectType, record.Id);
                table.AddRow(Cells(r.ConversationId, record.ObjectType, record.Id, record.Change.ToString(), KeyFields(record.ObjectType, fields)));
            }
        }

        return table;
    }

    private static string KeyFields(string objectType, System.Text.Json.Nodes.JsonObject? fields)
    {
        if (fields is null)
        {
            return string.Empty;
        }

        string? S(string name) => fields[name] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var parts = objectType switch
        {
            "Contact" or "Lead" => new[] { Join(S("FirstName"), S("LastName")), S("Email"), objectType == "Lead" ? S("Company") : null },
            "Task" or "Case" or "Event" => [S("Subject")],
            "ContentVersion" => [S("Title") ?? S("PathOnClient")],
            _ => [S("Name")],
        };
        return string.Join(" | ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

        static string? Join(string? a, string? b) => string.Join(' ', new[] { a, b }.Where(x => !string.IsNullOrWhiteSpace(x)));
    }

    private static string Num(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    internal static IRenderable[] Cells(params string[] values) => values.Select(v => (IRenderable)new Text(v)).ToArray();
}
