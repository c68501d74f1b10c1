using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf export &lt;file&gt;</c>: exports a conversation file into Salesforce (or the in-process emulator) and prints a summary.</summary>
internal static class ExportCommand
{
    /// <summary>How many rows the records, skipped, failed, warnings and invalid-input tables show; the rest are counted (and all are in the report).</summary>
    internal const int MaxTableRows = 50;

    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "Conversations: a JSON array, or JSON Lines (.jsonl, one conversation per line). Format: docs/conversation-format.md." };
        var report = new Option<FileInfo?>("--report", "-r") { Description = "Write every conversation's outcome (status, skip reason, error, record ids, API calls) and the invalid input skipped to this JSON file." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Skip a bad JSON Lines line (or a bad conversation of an array) instead of stopping: it is listed with its line and reason in the summary and the report, and the good ones are exported." };
        var assumeUtc = new Option<bool>("--assume-utc") { Description = "Read date-times without a zone (2026-03-02T10:00:00) as UTC. Without it they are rejected, because they would be read in this machine's zone." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the summary (no per-conversation lines, no progress bar, no record or detail tables); errors still go to standard error." };
        var open = new Option<bool>("--open") { Description = "With the emulator: serve it on 127.0.0.1, export into it over HTTP, print the dashboard link, open it in a browser, and keep serving until Ctrl+C." };
        var common = new CommonOptions();
        var command = new Command("export", "Export conversations into Salesforce: find or create each visitor, write the transcript activity and files. Exit codes: 0 all exported or skipped, 1 some failed, 2 bad input or configuration, 3 credentials rejected or Salesforce unreachable (stopped early), 130 interrupted.")
        {
            file,
            report,
            skipInvalid,
            assumeUtc,
            quiet,
            open,
        };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            console,
            common,
            parseResult,
            new ExportRequest(parseResult.GetValue(file)!, parseResult.GetValue(report), new ConversationFileOptions(parseResult.GetValue(assumeUtc), parseResult.GetValue(skipInvalid)), parseResult.GetValue(quiet), parseResult.GetValue(open)),
            cancellationToken));
        return command;
    }

    private sealed record ExportRequest(FileInfo File, FileInfo? Report, ConversationFileOptions Read, bool Quiet, bool Open);

    private static async Task<int> RunAsync(CliConsole console, CommonOptions common, ParseResult parseResult, ExportRequest request, CancellationToken stopToken)
    {
        var file = request.File;
        ConversationFile input;
        try
        {
            input = ConversationFileReader.Read(file.FullName, request.Read);
        }
        catch (ConversationFileException e)
        {
            console.WriteError($"Input error: {e.Message}");
            console.WriteError("Nothing was exported.");
            return CliApp.BadInput;
        }

        var conversations = input.Conversations;
        ProgressTask? progressTask = null;
        var progress = new CallbackProgress(p =>
        {
            if (progressTask is { } task)
            {
                task.Value = p.Completed;
                task.Description = $"Exporting ({p.Exported} exported, {p.Skipped} skipped, {p.Failed} failed)";
            }
        });
        if (common.TryCreateHost(parseResult, console, serve: request.Open) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            var run = new ExportRun { File = file.FullName, Target = host.Emulator is null ? host.TargetDescription : "emulator", Total = conversations.Count, Invalid = input.Invalid, PerTenant = host.Tenants is not null };
            if (!request.Quiet)
            {
                console.Out.MarkupLine($"Exporting [bold]{conversations.Count}[/] conversation(s) from [blue]{Markup.Escape(ConsoleText.Escape(file.Name))}[/] into {Markup.Escape(ConsoleText.Escape(host.TargetDescription))} ({host.Options.Mode}).");
            }

            // One token request before the first conversation: rejected credentials or an unreachable org stop here with one
            // message, instead of failing every conversation the same way.
            // With tenants, each tenant's connection problems are that tenant's results, never a stop for the others.
            if (!stopToken.IsCancellationRequested && host.Tenants is null && await ConnectAsync(host, stopToken).ConfigureAwait(false) is { } problem)
            {
                run.StoppedBecause = problem.Summary;
            }
            else
            {
                var exporter = host.Exporter;
                if (console.Interactive && !request.Quiet && conversations.Count > 1)
                {
                    await console.Out.Progress()
                        .AutoClear(false)
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                        .StartAsync(async ctx =>
                        {
                            progressTask = ctx.AddTask("Exporting", maxValue: conversations.Count);
                            await ExportAllAsync(exporter, conversations, run, onResult: null, stopToken, progress).ConfigureAwait(false);
                            progressTask.Value = run.Results.Count;
                            progressTask.StopTask();
                        }).ConfigureAwait(false);
                }
                else
                {
                    await ExportAllAsync(exporter, conversations, run, request.Quiet ? null : r => console.Line(Line(r)), stopToken).ConfigureAwait(false);
                }
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

            run.ExitCode = run.Cancelled ? CliApp.Interrupted
                : run.StoppedBecause is not null ? CliApp.ConnectionFailed
                : run.Failed > 0 ? CliApp.SomeFailed
                : CliApp.Success;

            if (host.Emulator is { } org && !request.Quiet)
            {
                console.Out.Write(RecordsTable(org, run));
            }

            console.Out.Write(SummaryTable(run));
            if (run.PerTenant)
            {
                console.Out.Write(TenantTable(run));
            }

            if (!request.Quiet)
            {
                WriteOutcomeDetails(console, run);
            }

            if (request.Report is { } reportFile)
            {
                try
                {
                    await ReportWriter.WriteAsync(reportFile.FullName, run, CancellationToken.None).ConfigureAwait(false);
                    if (!request.Quiet)
                    {
                        console.Line($"Report written to {reportFile.FullName}.");
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    console.WriteError($"The report could not be written to {reportFile.FullName}: {e.Message}");
                    if (run.ExitCode == CliApp.Success)
                    {
                        run.ExitCode = CliApp.SomeFailed; // never "success" when the report that was asked for is missing (or stale)
                    }
                }
            }

            if (run.StoppedBecause is { } reason)
            {
                console.WriteError($"Stopped: {reason}");
                console.WriteError(run.Results.Count == 0
                    ? "Nothing was exported."
                    : $"{run.Results.Count} of {run.Total} conversation(s) were processed before the export stopped; the others were not started. Running the export again is safe: exported conversations are found, not duplicated.");
            }

            if (run.Cancelled)
            {
                console.WriteError($"Interrupted: {run.Results.Count} of {run.Total} conversation(s) were processed; the others were not started.");
            }
            else if (host.ServedUrl is { } served)
            {
                await ServeDashboardAsync(console, served, stopToken).ConfigureAwait(false);
            }

            return run.ExitCode;
        }
    }

    /// <summary>Obtains the token (and the org and user) once; returns the problem when the connection itself fails.</summary>
    private static async Task<ConnectionProblem?> ConnectAsync(CliHost host, CancellationToken stopToken)
    {
        try
        {
            await host.Client.GetConnectionAsync(stopToken).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
        {
            return null; // Ctrl+C: the export loop starts nothing and reports the interruption
        }
        catch (Exception e) when (ConnectionProblem.From(e, host.TargetDescription) is { } problem)
        {
            return problem;
        }
    }

    /// <summary><c>--open</c>: prints the dashboard link, opens it in a browser if one can be started, and serves until Ctrl+C.</summary>
    internal static async Task ServeDashboardAsync(CliConsole console, Uri baseUrl, CancellationToken stopToken)
    {
        var dashboard = new Uri(baseUrl, "/");
        console.Line($"Dashboard: {dashboard}");
        if (console.Hooks.OpenBrowser is { } open)
        {
            open(dashboard);
        }
        else if (!Browser.TryOpen(dashboard))
        {
            console.Line("(No browser could be started here; open the link above yourself.)");
        }

        console.Line($"Serving the emulator at {baseUrl.ToString().TrimEnd('/')} until Ctrl+C.");
        console.Hooks.Serving?.Invoke(baseUrl);
        try
        {
            await Task.Delay(Timeout.Infinite, stopToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop serving.
        }
    }

    private static async Task ExportAllAsync(IConversationExporter exporter, IReadOnlyList<Conversation> conversations, ExportRun run, Action<ConversationExportResult>? onResult, CancellationToken stopToken, IProgress<ExportProgress>? progress = null)
    {
        // Ctrl+C stops feeding new conversations; the ones in flight finish (their requests are not cancelled). So does a
        // failure of the connection itself (credentials revoked, org unreachable, API limit reached): every further
        // conversation would fail the same way.
        using var stopFeeding = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        var results = progress is null
            ? exporter.ExportManyAsync(Feed(conversations, stopFeeding.Token), CancellationToken.None)
            : exporter.ExportManyAsync(Feed(conversations, stopFeeding.Token), progress, CancellationToken.None);
        await foreach (var result in results.ConfigureAwait(false))
        {
            run.Results.Add(result);
            onResult?.Invoke(result);
            if (!run.PerTenant && run.StoppedBecause is null && result.Status == ExportStatus.Failed && ConnectionProblem.From(result.Error, run.Target) is { } problem)
            {
                run.StoppedBecause = problem.Summary;
                await stopFeeding.CancelAsync().ConfigureAwait(false);
            }
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
        ExportStatus.Exported => $"  exported  {r.ConversationId}: {Describe(r.Person)}, {Describe(r.Activity)}{(r.Files.Count > 0 ? $", {r.Files.Count} file(s)" : string.Empty)}",
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
        if (run.Invalid.Count > 0)
        {
            table.AddRow(Cells("Invalid input, not exported (--skip-invalid)", Num(run.Invalid.Count)));
        }

        if (run.Cancelled || run.StoppedBecause is not null)
        {
            table.AddRow(Cells(run.Cancelled ? "Not started (interrupted)" : "Not started (stopped early)", Num(run.Total - run.Results.Count)));
        }

        // Conversations are exported in chunks that share their reads and writes, so the cost belongs to the run, not to a
        // conversation: the total, and what that makes per exported conversation.
        table.AddRow(Cells("API calls spent", Num(run.ApiCalls)));
        if (run.Exported > 0)
        {
            table.AddRow(Cells("API calls per exported conversation (average)", string.Create(CultureInfo.InvariantCulture, $"{(double)run.ApiCalls / run.Exported:0.00}")));
        }

        if (run.UsageUsed is { } used && run.UsageLimit is { } limit)
        {
            var share = limit > 0 ? (double)used / limit : 0;
            table.AddRow(Cells("Daily API usage after the run", string.Create(CultureInfo.InvariantCulture, $"{used:N0} / {limit:N0} ({share:P1})")));
        }

        return table;
    }

    /// <summary>The summary per tenant (the org of <c>--config</c> is "(default)").</summary>
    private static Table TenantTable(ExportRun run)
    {
        var table = new Table().Title("Per tenant").AddColumn("Tenant").AddColumn(new TableColumn("Exported").RightAligned()).AddColumn(new TableColumn("Skipped").RightAligned())
            .AddColumn(new TableColumn("Failed").RightAligned()).AddColumn(new TableColumn("API calls").RightAligned());
        foreach (var tenant in run.Results.GroupBy(r => r.TenantId ?? string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            table.AddRow(Cells(
                tenant.Key.Length == 0 ? "(default)" : ConsoleText.Escape(tenant.Key),
                Num(tenant.Count(r => r.Status == ExportStatus.Exported)),
                Num(tenant.Count(r => r.Status == ExportStatus.Skipped)),
                Num(tenant.Count(r => r.Status == ExportStatus.Failed)),
                Num(tenant.Sum(r => r.ApiCalls))));
        }

        return table;
    }

    private static void WriteOutcomeDetails(CliConsole console, ExportRun run)
    {
        if (run.Invalid.Count > 0)
        {
            console.Out.Write(Capped(
                new Table().Title("Invalid input (not exported)").AddColumn("Where").AddColumn("Reason"),
                run.Invalid.Select(i => new[] { i.Where, i.Reason })));
        }

        var skipped = run.Results.Where(r => r.Status == ExportStatus.Skipped).ToList();
        if (skipped.Count > 0)
        {
            console.Out.Write(Capped(
                new Table().Title("Skipped").AddColumn("Conversation").AddColumn("Reason"),
                skipped.Select(r => new[] { r.ConversationId, r.SkipReason ?? string.Empty })));
        }

        var failed = run.Results.Where(r => r.Status == ExportStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            console.Out.Write(Capped(
                new Table().Title("Failed").AddColumn("Conversation").AddColumn("Error"),
                failed.Select(r => new[] { r.ConversationId, ErrorText(r.Error) })));
        }

        var warnings = run.Results.SelectMany(r => r.Warnings.Select(w => new[] { r.ConversationId, w })).ToList();
        if (warnings.Count > 0)
        {
            console.Out.Write(Capped(new Table().Title("Warnings").AddColumn("Conversation").AddColumn("Warning"), warnings));
        }
    }

    /// <summary>Adds the first <see cref="MaxTableRows"/> rows, then one row that counts the others.</summary>
    internal static Table Capped(Table table, IEnumerable<string[]> rows)
    {
        var hidden = 0;
        foreach (var row in rows)
        {
            if (table.Rows.Count < MaxTableRows)
            {
                table.AddRow(Cells(row));
            }
            else
            {
                hidden++;
            }
        }

        if (hidden > 0)
        {
            var more = new string[table.Columns.Count];
            Array.Fill(more, string.Empty);
            more[0] = string.Create(CultureInfo.InvariantCulture, $"… and {hidden:N0} more");
            more[^1] = "(all are in the --report file)";
            table.AddRow(Cells(more));
        }

        return table;
    }

    private static Table RecordsTable(Testing.SalesforceEmulator org, ExportRun run)
    {
        var table = new Table().Title("Records in the emulator").AddColumn("Conversation").AddColumn("Object").AddColumn("Id").AddColumn("Change").AddColumn("Key fields");
        var rows = run.Results
            .Where(r => r.Status == ExportStatus.Exported)
            .SelectMany(r => new[] { r.Person, r.Activity }.Concat(r.Files).OfType<SalesforceRecordRef>().Select(record => (r.ConversationId, Record: record)))
            .Select((x, i) => i < MaxTableRows
                ? new[] { x.ConversationId, x.Record.ObjectType, x.Record.Id, x.Record.Change.ToString(), KeyFields(x.Record.ObjectType, org.Find(x.Record.ObjectType, x.Record.Id)) }
                : []);
        return Capped(table, rows);
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

    /// <summary>Table cells; their text is escaped (<see cref="ConsoleText.Escape"/>), so values cannot inject control characters.</summary>
    internal static IRenderable[] Cells(params string[] values) => values.Select(v => (IRenderable)new Text(ConsoleText.Escape(v))).ToArray();

    /// <summary>Reports on the exporting thread (a <see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
    private sealed class CallbackProgress(Action<ExportProgress> report) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => report(value);
    }
}
