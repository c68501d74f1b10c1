using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Benchmarks.Economy;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Benchmarks.Memory;

/// <summary>
/// The streaming-memory benchmark: <c>ExportManyAsync</c> over lazily generated conversations (each visitor new, 20
/// messages, 10 agents) through an org that answers at once and stores nothing (<see cref="InstantSalesforceHandler"/>).
/// Measures the managed heap after a full collection at checkpoints during the stream, at the last result (the
/// enumeration still open) and after the enumeration completed, and the process's peak working set.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project benchmarks/ChatToSalesforce.Benchmarks -- memory [--conversations n] [--checkpoints k] [--label text] [--json file]</c>.
/// Exit code 0 when every conversation was exported; 1 otherwise; 2 on bad arguments.
/// </remarks>
internal static class MemoryBenchmark
{
    /// <summary>Issue #10's target: at most 50 MB of managed heap retained after streaming 1,000,000 conversations.</summary>
    internal const double TargetRetainedMegabytes = 50;

    internal const int TargetConversations = 1_000_000;

    private const string Usage = "Usage: memory [--conversations <n>] [--checkpoints <k>] [--label <text>] [--json <file>]";

    public static async Task<int> RunAsync(string[] args)
    {
        var conversations = TargetConversations;
        var checkpointCount = 10;
        string? jsonPath = null;
        string? label = null;
        if (!await BenchmarkArguments.TryReadAsync(args, Usage, new Dictionary<string, Func<string, bool>>
        {
            ["--conversations"] = BenchmarkArguments.Int(n => n > 0, n => conversations = n),
            ["--checkpoints"] = BenchmarkArguments.Int(n => n > 0, n => checkpointCount = n),
            ["--label"] = BenchmarkArguments.Text(v => label = v),
            ["--json"] = BenchmarkArguments.Text(v => jsonPath = v),
        }))
        {
            return 2;
        }

        var shapeProblems = await InstantOrgSelfCheck.RunAsync();
        if (shapeProblems.Count > 0)
        {
            await Console.Error.WriteLineAsync($"The fake org's answers differ from the emulator's ({shapeProblems.Count}):{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", shapeProblems)}");
            return 1;
        }

        Console.WriteLine("Self-check: the fake org answers composite, composite graph, sObject Collections, query and create requests in the emulator's shapes.");

        // The emulator only answers what the fake passes on (token, userinfo, describes): no request log, no records.
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { RequestLogCapacity = 0, DailyApiLimit = long.MaxValue });
        var org = new InstantOrg();
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = emulator.IssueAccessToken();
            o.Transcript.SubjectTemplate = EconomyBenchmark.SubjectTemplate;
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => new InstantSalesforceHandler(org, emulator.CreateHandler()));
        await using var provider = services.BuildServiceProvider();
        var exporter = provider.GetRequiredService<IConversationExporter>();

        Console.WriteLine($"Streaming {conversations:N0} conversations of {EconomyBenchmark.MessagesPerConversation} messages through ExportManyAsync; the org answers at once and stores nothing. GC: {(GCSettings.IsServerGC ? "server" : "workstation")}.");
        var baseline = Heap();
        var every = Math.Max(1, conversations / checkpointCount);
        var checkpoints = new List<(long Processed, long Heap, double Seconds)>();
        long processed = 0, exported = 0;
        string? firstProblem = null;
        var heapAtLastResult = 0L;
        var stopwatch = Stopwatch.StartNew();
        var measuring = TimeSpan.Zero;
        await foreach (var result in exporter.ExportManyAsync(Generate(conversations)))
        {
            processed++;
            if (result.Status == ExportStatus.Exported)
            {
                exported++;
            }
            else
            {
                firstProblem ??= $"{result.ConversationId}: {result.Status} {result.SkipReason} {result.Error?.Message}";
            }

            if (processed % every == 0 || processed == conversations)
            {
                var before = stopwatch.Elapsed;
                var heap = Heap();
                measuring += stopwatch.Elapsed - before;
                checkpoints.Add((processed, heap, (stopwatch.Elapsed - measuring).TotalSeconds));
                Console.WriteLine($"  {processed,10:N0} exported: heap {Megabytes(heap),8:F1} MB after a full collection");
                if (processed == conversations)
                {
                    heapAtLastResult = heap;
                }
            }
        }

        stopwatch.Stop();
        var heapAfter = Heap();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakWorkingSet = process.PeakWorkingSet64;
        GC.KeepAlive(exporter);

        // Growth per conversation: least squares over the checkpoints taken while the source still had conversations to
        // give (the last result may come after the engine let go of per-call state), and the linear projection to
        // 1,000,000. The retained figure compared with the target is the largest heap seen, during or after the stream.
        var during = checkpoints.Where(c => c.Processed < conversations).ToList();
        var (growth, intercept) = Fit(during);
        var projected = intercept + (growth * TargetConversations);
        var maxDuring = checkpoints.Count == 0 ? 0 : checkpoints.Max(c => c.Heap);
        var retained = Math.Max(maxDuring, heapAfter);
        var targetMet = conversations >= TargetConversations ? Megabytes(retained) <= TargetRetainedMegabytes : (bool?)null;

        Console.WriteLine();
        Console.WriteLine($"Exported {exported:N0} of {processed:N0} in {(stopwatch.Elapsed - measuring).TotalSeconds:F1} s (measuring excluded); fake org: {org.Requests:N0} requests ({org.Queries:N0} queries, {org.Writes:N0} records written), {org.PassedThrough:N0} passed to the emulator.");
        Console.WriteLine($"Heap: {Megabytes(baseline):F1} MB before, at most {Megabytes(maxDuring):F1} MB during the stream, {Megabytes(heapAtLastResult):F1} MB at the last result, {Megabytes(heapAfter):F1} MB after the enumeration completed; growth {growth:F0} bytes per conversation; peak working set {Megabytes(peakWorkingSet):F1} MB.");
        if (conversations < TargetConversations)
        {
            Console.WriteLine($"Projected heap at {TargetConversations:N0} conversations (linear fit): {Megabytes((long)projected):F1} MB (target <= {TargetRetainedMegabytes} MB).");
        }
        else
        {
            Console.WriteLine($"Retained {Megabytes(retained):F1} MB (target <= {TargetRetainedMegabytes} MB): {(targetMet == true ? "met" : "NOT met")}.");
        }

        if (firstProblem is not null)
        {
            Console.WriteLine($"NOT EXPORTED: {processed - exported} conversations; first: {firstProblem}");
        }

        if (jsonPath is not null)
        {
            var json = new JsonObject
            {
                ["label"] = label,
                ["measuredAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture),
                ["machine"] = new JsonObject
                {
                    ["processors"] = Environment.ProcessorCount,
                    ["os"] = RuntimeInformation.OSDescription,
                    ["runtime"] = RuntimeInformation.FrameworkDescription,
                    ["gc"] = GCSettings.IsServerGC ? "server" : "workstation",
                    ["loadAverage"] = EconomyBenchmark.LoadAverage(),
                },
                ["workload"] = new JsonObject
                {
                    ["conversations"] = conversations,
                    ["messagesPerConversation"] = EconomyBenchmark.MessagesPerConversation,
                    ["agents"] = EconomyBenchmark.Agents,
                    ["visitors"] = "all new, each once",
                    ["transport"] = "InstantSalesforceHandler: answers at once, stores nothing",
                },
                ["exported"] = exported,
                ["wallSeconds"] = Math.Round((stopwatch.Elapsed - measuring).TotalSeconds, 2),
                ["requests"] = org.Requests,
                ["passedToEmulator"] = org.PassedThrough,
                ["heapBeforeMB"] = Round(baseline),
                ["heapMaxDuringStreamMB"] = Round(maxDuring),
                ["heapAtLastResultMB"] = Round(heapAtLastResult),
                ["heapAfterEnumerationMB"] = Round(heapAfter),
                ["growthBytesPerConversation"] = Math.Round(growth, 1),
                ["projectedHeapAt1000000MB"] = conversations < TargetConversations ? Round((long)projected) : null,
                ["peakWorkingSetMB"] = Round(peakWorkingSet),
                ["targetRetainedMB"] = TargetRetainedMegabytes,
                ["retainedMB"] = Round(retained),
                ["targetMet"] = targetMet,
                ["checkpoints"] = new JsonArray([.. checkpoints.Select(c => (JsonNode)new JsonObject
                {
                    ["processed"] = c.Processed,
                    ["heapMB"] = Round(c.Heap),
                    ["seconds"] = Math.Round(c.Seconds, 2),
                })]),
            };
            await File.WriteAllTextAsync(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"Wrote {jsonPath}");
        }

        return exported == processed ? 0 : 1;
    }

    /// <summary>Conversations made one at a time, as they are asked for: nothing of them is kept here.</summary>
    private static async IAsyncEnumerable<Conversation> Generate(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 1000 == 999)
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            var number = i.ToString("D7", CultureInfo.InvariantCulture);
            yield return Workload.Conversation($"conv-{number}", $"new.{number}@example.com", $"Visitor{number}", EconomyWorkload.AgentEmail(i % EconomyBenchmark.Agents), EconomyBenchmark.MessagesPerConversation);
        }
    }

    /// <summary>Least-squares slope (bytes per conversation) and intercept of heap against conversations processed.</summary>
    private static (double Slope, double Intercept) Fit(List<(long Processed, long Heap, double Seconds)> points)
    {
        if (points.Count < 2)
        {
            return (0, points.Count == 1 ? points[0].Heap : 0);
        }

        var meanX = points.Average(p => (double)p.Processed);
        var meanY = points.Average(p => (double)p.Heap);
        var sxy = points.Sum(p => (p.Processed - meanX) * (p.Heap - meanY));
        var sxx = points.Sum(p => (p.Processed - meanX) * (p.Processed - meanX));
        var slope = sxx == 0 ? 0 : sxy / sxx;
        return (slope, meanY - (slope * meanX));
    }

    internal static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);

    private static double Round(long bytes) => Math.Round(Megabytes(bytes), 1);
}
