using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Benchmarks.Economy;

/// <summary>
/// The API-economy benchmark: the same workload exported four ways against a fresh emulator each (in-process handler,
/// injected latency per request): the SDK one conversation at a time, the SDK's batch export, a skilled hand-written
/// integration (<see cref="SkilledPeer"/>) and a naive one.
/// API calls are counted by the emulator; every run must leave the org in the same end state.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project benchmarks/ChatToSalesforce.Benchmarks -- economy [--conversations n] [--latency-ms ms] [--runs a,b] [--warmup-rounds n] [--label text] [--json file]</c>.
/// Exit code 0 when every run verified; 1 when an end state differed; 2 on bad arguments.
/// </remarks>
internal static class EconomyBenchmark
{
    internal const int MessagesPerConversation = 20;
    internal const int Agents = 10;
    internal const string SubjectTemplate = "Chat {conversationId} with {visitor}";

    /// <summary>Issue #10's target: sdk-batch's wall time at most this fraction of skilled-peer's, with fewer API calls.</summary>
    internal const double TargetWallRatio = 0.7;

    /// <summary>The most warm-up rounds before measuring (see <see cref="RunAsync"/>).</summary>
    internal const int WarmupRounds = 15;

    /// <summary>A warm-up round that compiled fewer methods than this means the JIT has settled.</summary>
    internal const int SettledJitMethods = 50;

    /// <summary>Conversations of each warm-up run: enough chunks that code run once per request (HTTP, the transport,
    /// the org's request handling), not only code run once per conversation, is called often enough to be optimised.</summary>
    internal const int WarmupConversations = 2_000;

    private const string Usage = "Usage: economy [--conversations <n>] [--latency-ms <ms>] [--runs <name,name,...>] [--warmup-rounds <n>] [--label <text>] [--json <file>]; runs: sdk-single, sdk-batch, skilled-peer, naive (default: all).";

    /// <summary>The runs, in the order they run; <c>--runs</c> selects among them.</summary>
    /// <remarks>Warm-up: how many conversations each round of its warm-up exports (fewer for the runs that send one
    /// request at a time, so that a round stays short).</remarks>
    private static readonly (string Name, Func<OrgEndpoint, EconomyWorkload, Task> Run, int Warmup)[] AllRuns =
    [
        ("sdk-single", SdkSingleAsync, 200),
        ("sdk-batch", SdkBatchAsync, WarmupConversations),
        ("skilled-peer", SkilledPeer.RunAsync, WarmupConversations),
        ("naive", NaiveAsync, 200),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var conversations = 1000;
        var latencyMs = 20;
        var warmupRounds = WarmupRounds;
        var orgProcess = true;
        string? jsonPath = null;
        string? label = null;
        var selected = AllRuns.Select(r => r.Name).ToList();
        if (!await BenchmarkArguments.TryReadAsync(args, Usage, new Dictionary<string, Func<string, bool>>
        {
            ["--conversations"] = BenchmarkArguments.Int(n => n > 0, n => conversations = n),
            ["--latency-ms"] = BenchmarkArguments.Int(n => n >= 0, n => latencyMs = n),
            ["--runs"] = v =>
            {
                selected = [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                return selected.Count > 0 && selected.All(s => AllRuns.Any(r => r.Name == s));
            },
            ["--warmup-rounds"] = BenchmarkArguments.Int(n => n >= 1, n => warmupRounds = n),
            ["--org"] = v => v switch
            {
                "process" => (orgProcess = true) is var _,
                "in-process" => (orgProcess = false) is var _,
                _ => false,
            },
            ["--label"] = BenchmarkArguments.Text(v => label = v),
            ["--json"] = BenchmarkArguments.Text(v => jsonPath = v),
        }))
        {
            return 2;
        }

        var workload = EconomyWorkload.Create(conversations);
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        Console.WriteLine($"Workload: {conversations} conversations of {MessagesPerConversation} messages, {workload.ExistingCount} existing contacts, {Agents} agents; latency {latencyMs} ms per request; runs: {string.Join(", ", selected)}.");

        // Warm-up: each selected run on a smaller workload with little latency, not reported, in rounds until the JIT has
        // settled. The runtime compiles a method quickly first, optimises it (with profile data) only after it ran 30 times,
        // and counts calls only once compilation has been quiet for a moment; a run whose code is larger (the SDK's) was
        // otherwise measured while hundreds of its methods were still being recompiled on the 2 cores (one round:
        // 1,800 methods and 1.5 s of JIT time inside the measured run; settled: about 50), unlike a long-running
        // worker. Rounds end with a pause for the background compilations, and stop when a round compiled fewer than
        // SettledJitMethods methods (at least 3 rounds, at most warmupRounds).
        await using var org = orgProcess ? (EconomyOrg)EconomyOrg.OwnProcess.Launch() : new EconomyOrg.InProcess();
        var warmups = new Dictionary<int, EconomyWorkload>();
        // A little latency, so that the code paths of requests that wait (the gate, timers) are warmed as well.
        var warmupLatency = TimeSpan.FromMilliseconds(Math.Min(latencyMs, 5));
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var rounds = 0;
        while (rounds < warmupRounds)
        {
            foreach (var (_, run, size) in AllRuns.Where(r => selected.Contains(r.Name)))
            {
                var count = Math.Min(conversations, size);
                var warmup = warmups.TryGetValue(count, out var existing) ? existing : warmups[count] = EconomyWorkload.Create(count);
                await run(await org.StartAsync(warmup, warmupLatency), warmup);
                await org.FinishAsync();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
            rounds++;
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (rounds >= 3 && now - compiled < SettledJitMethods)
            {
                break;
            }

            compiled = now;
        }

        Console.WriteLine($"Warm-up: {rounds} rounds.");

        var runs = new List<RunResult>();
        var ok = true;
        foreach (var (name, run, _) in AllRuns.Where(r => selected.Contains(r.Name)))
        {
            var endpoint = await org.StartAsync(workload, latency);
            GcStats.Settle();
            var (clientCpu, orgCpu, clientGc) = (Process.GetCurrentProcess().TotalProcessorTime, org.OrgProcessorTime, GcStats.Capture());
            var stopwatch = Stopwatch.StartNew();
            await run(endpoint, workload);
            stopwatch.Stop();
            clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu;
            orgCpu = org.OrgProcessorTime - orgCpu;
            clientGc = GcStats.Capture() - clientGc;

            var (calls, problems, orgGc) = await org.FinishAsync();
            ok &= problems.Count == 0;
            runs.Add(new RunResult(name, conversations, calls, (double)calls / conversations, stopwatch.Elapsed.TotalSeconds, clientCpu.TotalSeconds, orgCpu?.TotalSeconds, problems));
            Console.WriteLine($"  {name}: {calls} calls, {stopwatch.Elapsed.TotalSeconds:F2} s (processor time: client {clientCpu.TotalSeconds:F2} s{(orgCpu is { } o ? $", org {o.TotalSeconds:F2} s" : " with the org")}; client GC: {clientGc}{(orgGc is { } g ? $"; org GC: {g}" : string.Empty)}){(problems.Count == 0 ? string.Empty : $", END STATE WRONG ({problems.Count} problems): {problems[0]}")}");
        }

        var comparison = Compare(runs);
        Print(runs, comparison);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, ToJson(workload, latencyMs, label, runs, comparison).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"Wrote {jsonPath}");
        }

        return ok ? 0 : 1;
    }

    /// <summary>sdk-batch against skilled-peer: wall time ratio (target at most 0.7) and API call ratio (target below 1).</summary>
    private static Comparison? Compare(List<RunResult> runs)
    {
        var batch = runs.FirstOrDefault(r => r.Name == "sdk-batch");
        var peer = runs.FirstOrDefault(r => r.Name == "skilled-peer");
        if (batch is null || peer is null || peer.WallSeconds <= 0 || peer.ApiCalls == 0)
        {
            return null;
        }

        var wall = batch.WallSeconds / peer.WallSeconds;
        var calls = (double)batch.ApiCalls / peer.ApiCalls;
        return new Comparison(wall, calls, wall <= TargetWallRatio && batch.ApiCalls < peer.ApiCalls);
    }

    private static async Task SdkSingleAsync(OrgEndpoint emulator, EconomyWorkload workload)
    {
        var exporter = Exporter(emulator);
        foreach (var conversation in workload.Conversations)
        {
            var result = await exporter.ExportAsync(conversation);
            if (result.Status != ExportStatus.Exported)
            {
                throw new InvalidOperationException($"{conversation.Id}: {result.Status} {result.SkipReason}");
            }
        }
    }

    private static async Task SdkBatchAsync(OrgEndpoint emulator, EconomyWorkload workload)
    {
        var exporter = Exporter(emulator);
        await foreach (var result in exporter.ExportManyAsync(workload.Conversations))
        {
            if (result.Status != ExportStatus.Exported)
            {
                throw new InvalidOperationException($"{result.ConversationId}: {result.Status} {result.SkipReason} {result.Error?.Message}");
            }
        }
    }

    private static IConversationExporter Exporter(OrgEndpoint emulator)
    {
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = emulator.AccessToken;
            o.AllowTestEndpoint = emulator.InstanceUrl.Scheme == Uri.UriSchemeHttp; // the org process serves plain http on loopback
            o.Transcript.SubjectTemplate = SubjectTemplate;
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        return services.BuildServiceProvider().GetRequiredService<IConversationExporter>();
    }

    /// <summary>
    /// A typical hand-written integration: per conversation, query the contact by email, create it if missing, query the
    /// agent's user by email, create the task. One HTTP call each, one conversation after another.
    /// </summary>
    private static async Task NaiveAsync(OrgEndpoint emulator, EconomyWorkload workload)
    {
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri(emulator.InstanceUrl, "/services/data/v62.0/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.AccessToken);
        foreach (var conversation in workload.Conversations)
        {
            var email = conversation.Visitor.Email!;
            var contacts = await QueryAsync(http, $"SELECT Id FROM Contact WHERE Email = '{email.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}' LIMIT 1");
            var contactId = contacts.Count > 0
                ? contacts[0]!["Id"]!.GetValue<string>()
                : await CreateAsync(http, "Contact", new JsonObject
                {
                    ["FirstName"] = conversation.Visitor.FirstName,
                    ["LastName"] = conversation.Visitor.LastName,
                    ["Email"] = email,
                    ["Phone"] = conversation.Visitor.Phone,
                });

            var users = await QueryAsync(http, $"SELECT Id FROM User WHERE Email = '{conversation.Agent!.Email}' AND IsActive = true LIMIT 1");
            var task = new JsonObject
            {
                ["Subject"] = $"Chat {conversation.Id} with {conversation.Visitor.FirstName} {conversation.Visitor.LastName}",
                ["Description"] = string.Join('\n', conversation.Messages.Select(m => $"[{m.SentAt:u}] {m.Role}: {m.Text}")),
                ["Status"] = "Completed",
                ["ActivityDate"] = conversation.StartedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["WhoId"] = contactId,
            };
            if (users.Count > 0)
            {
                task["OwnerId"] = users[0]!["Id"]!.GetValue<string>();
            }

            await CreateAsync(http, "Task", task);
        }
    }

    private static async Task<JsonArray> QueryAsync(HttpClient http, string soql)
    {
        using var response = await http.GetAsync(new Uri("query?q=" + Uri.EscapeDataString(soql), UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["records"]!.AsArray();
    }

    private static async Task<string> CreateAsync(HttpClient http, string objectType, JsonObject record)
    {
        using var content = new StringContent(record.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("sobjects/" + objectType, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating {objectType} failed: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    private static void Print(List<RunResult> runs, Comparison? comparison)
    {
        var naive = runs.FirstOrDefault(r => r.Name == "naive");
        var peer = runs.FirstOrDefault(r => r.Name == "skilled-peer");
        Console.WriteLine();
        Console.WriteLine("| Run          | Conversations | API calls | Calls / conversation | Wall time (s) | Speed-up vs naive | Wall time / skilled-peer's |");
        Console.WriteLine("|--------------|--------------:|----------:|---------------------:|--------------:|------------------:|---------------------------:|");
        foreach (var r in runs)
        {
            var speedup = naive is null || r.WallSeconds <= 0 ? "-" : $"{naive.WallSeconds / r.WallSeconds:F1}x";
            var vsPeer = peer is null || peer.WallSeconds <= 0 ? "-" : $"{r.WallSeconds / peer.WallSeconds:F2}";
            Console.WriteLine($"| {r.Name,-12} | {r.Conversations,13} | {r.ApiCalls,9} | {r.ApiCallsPerConversation,20:F4} | {r.WallSeconds,13:F2} | {speedup,17} | {vsPeer,26} |");
        }

        Console.WriteLine();
        if (comparison is not null)
        {
            Console.WriteLine($"sdk-batch / skilled-peer: wall time {comparison.WallRatio:F2} (target <= {TargetWallRatio:F1}), API calls {comparison.CallsRatio:F2} (target < 1): {(comparison.TargetMet ? "met" : "NOT met")}.");
            Console.WriteLine();
        }
    }

    private static JsonObject ToJson(EconomyWorkload workload, int latencyMs, string? label, List<RunResult> runs, Comparison? comparison)
    {
        var array = new JsonArray();
        foreach (var r in runs)
        {
            array.Add((JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["conversations"] = r.Conversations,
                ["apiCalls"] = r.ApiCalls,
                ["apiCallsPerConversation"] = Math.Round(r.ApiCallsPerConversation, 4),
                ["wallSeconds"] = Math.Round(r.WallSeconds, 3),
                ["clientProcessorSeconds"] = Math.Round(r.ClientCpuSeconds, 3),
                ["orgProcessorSeconds"] = r.OrgCpuSeconds is { } orgCpu ? Math.Round(orgCpu, 3) : null,
                ["endStateVerified"] = r.Problems.Count == 0,
            });
        }

        var json = new JsonObject
        {
            ["label"] = label,
            ["measuredAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["processors"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                ["loadAverage"] = LoadAverage(),
            },
            ["workload"] = new JsonObject
            {
                ["conversations"] = workload.Conversations.Count,
                ["messagesPerConversation"] = MessagesPerConversation,
                ["newVisitors"] = workload.Conversations.Count - workload.ExistingCount,
                ["existingContacts"] = workload.ExistingCount,
                ["agents"] = Agents,
                ["latencyMs"] = latencyMs,
            },
            ["runs"] = array,
        };
        if (comparison is not null)
        {
            json["sdkBatchVsSkilledPeer"] = new JsonObject
            {
                ["wallRatio"] = Math.Round(comparison.WallRatio, 3),
                ["apiCallsRatio"] = Math.Round(comparison.CallsRatio, 3),
                ["target"] = $"wall ratio at most {TargetWallRatio.ToString(CultureInfo.InvariantCulture)}, fewer API calls",
                ["targetMet"] = comparison.TargetMet,
            };
        }

        return json;
    }

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), to judge how much the wall times were inflated by other work.</summary>
    internal static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed record Comparison(double WallRatio, double CallsRatio, bool TargetMet);

    private sealed record RunResult(string Name, int Conversations, long ApiCalls, double ApiCallsPerConversation, double WallSeconds, double ClientCpuSeconds, double? OrgCpuSeconds, IReadOnlyList<string> Problems);
}
