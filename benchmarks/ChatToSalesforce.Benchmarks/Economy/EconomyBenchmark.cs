using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Benchmarks.Economy;

/// <summary>
/// The API-economy benchmark: the same workload exported three ways against a fresh emulator each (in-process handler,
/// injected latency per request): the SDK one conversation at a time, the SDK's batch export, and a naive integration.
/// API calls are counted by the emulator; every run must leave the org in the same end state.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project benchmarks/ChatToSalesforce.Benchmarks -- economy [--conversations n] [--latency-ms ms] [--json file]</c>.
/// Exit code 0 when every run verified; 1 when an end state differed; 2 on bad arguments.
/// </remarks>
internal static class EconomyBenchmark
{
    internal const int MessagesPerConversation = 20;
    internal const int Agents = 10;
    internal const string SubjectTemplate = "Chat {conversationId} with {visitor}";

    public static async Task<int> RunAsync(string[] args)
    {
        var conversations = 1000;
        var latencyMs = 20;
        string? jsonPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--conversations" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    conversations = n;
                    i++;
                    break;
                case "--latency-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var ms) && ms >= 0:
                    latencyMs = ms;
                    i++;
                    break;
                case "--json" when i + 1 < args.Length:
                    jsonPath = args[++i];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown or invalid argument '{args[i]}'. Usage: economy [--conversations <n>] [--latency-ms <ms>] [--json <file>]");
                    return 2;
            }
        }

        var workload = EconomyWorkload.Create(conversations);
        var latency = TimeSpan.FromMilliseconds(latencyMs);
        Console.WriteLine($"Workload: {conversations} conversations of {MessagesPerConversation} messages, {workload.ExistingCount} existing contacts, {Agents} agents; latency {latencyMs} ms per request.");

        var runs = new List<RunResult>();
        var ok = true;
        foreach (var (name, run) in new (string, Func<SalesforceEmulator, EconomyWorkload, Task>)[]
        {
            ("sdk-single", SdkSingleAsync),
            ("sdk-batch", SdkBatchAsync),
            ("naive", NaiveAsync),
        })
        {
            await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { Latency = latency, DailyApiLimit = 10_000_000 });
            workload.Seed(emulator);
            emulator.ResetApiUsage();

            var stopwatch = Stopwatch.StartNew();
            await run(emulator, workload);
            stopwatch.Stop();

            var calls = emulator.ApiCallsUsed;
            var problems = workload.Verify(emulator);
            ok &= problems.Count == 0;
            runs.Add(new RunResult(name, conversations, calls, (double)calls / conversations, stopwatch.Elapsed.TotalSeconds, problems));
            Console.WriteLine($"  {name}: {calls} calls, {stopwatch.Elapsed.TotalSeconds:F2} s{(problems.Count == 0 ? string.Empty : $", END STATE WRONG: {problems[0]}")}");
        }

        Print(runs);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, ToJson(workload, latencyMs, runs).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"Wrote {jsonPath}");
        }

        return ok ? 0 : 1;
    }

    private static async Task SdkSingleAsync(SalesforceEmulator emulator, EconomyWorkload workload)
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

    private static async Task SdkBatchAsync(SalesforceEmulator emulator, EconomyWorkload workload)
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

    private static IConversationExporter Exporter(SalesforceEmulator emulator)
    {
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = emulator.IssueAccessToken();
            o.Transcript.SubjectTemplate = SubjectTemplate;
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        return services.BuildServiceProvider().GetRequiredService<IConversationExporter>();
    }

    /// <summary>
    /// A typical hand-written integration: per conversation, query the contact by email, create it if missing, query the
    /// agent's user by email, create the task. One HTTP call each, one conversation after another.
    /// </summary>
    private static async Task NaiveAsync(SalesforceEmulator emulator, EconomyWorkload workload)
    {
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri(emulator.InstanceUrl, "/services/data/v62.0/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueAccessToken());
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

    private static void Print(List<RunResult> runs)
    {
        var naive = runs.FirstOrDefault(r => r.Name == "naive");
        Console.WriteLine();
        Console.WriteLine("| Run        | Conversations | API calls | Calls / conversation | Wall time (s) | vs naive (wall) |");
        Console.WriteLine("|------------|--------------:|----------:|---------------------:|--------------:|----------------:|");
        foreach (var r in runs)
        {
            var speedup = naive is null || r.WallSeconds <= 0 ? "-" : $"{naive.WallSeconds / r.WallSeconds:F1}x";
            Console.WriteLine($"| {r.Name,-10} | {r.Conversations,13} | {r.ApiCalls,9} | {r.ApiCallsPerConversation,20:F3} | {r.WallSeconds,13:F2} | {speedup,15} |");
        }

        Console.WriteLine();
    }

    private static JsonObject ToJson(EconomyWorkload workload, int latencyMs, List<RunResult> runs)
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
                ["endStateVerified"] = r.Problems.Count == 0,
            });
        }

        return new JsonObject
        {
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
    }

    private sealed record RunResult(string Name, int Conversations, long ApiCalls, double ApiCallsPerConversation, double WallSeconds, IReadOnlyList<string> Problems);
}
