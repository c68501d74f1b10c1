using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatToSalesforce.Journal;
using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Benchmarks.Soak;

/// <summary>
/// Soak (issue 16): many conversations over four tenants with injected faults, driven like a vendor's queue worker through
/// the export journal's retry and replay. Checks that nothing is lost, nothing is duplicated (one Contact per visitor, one
/// Task per conversation in each org) and every Failed result carries a failure kind.
/// </summary>
/// <remarks>
/// Tenants: <c>acme</c> (transient 503s and row locks), <c>globex</c> (the same plus expired sessions),
/// <c>initech</c> (its org's daily API limit is reached half-way), <c>umbrella</c> (its refresh token is revoked half-way).
/// Faults during the first pass, drawn with a fixed seed per batch and tenant: 4% of REST requests answer 503
/// SERVER_UNAVAILABLE or 400 UNABLE_TO_LOCK_ROW (the kind drawn per batch); now and then a write is applied and its answer
/// lost (503, or 504 with <c>--after-commit-status 504</c>); now and then 503 four times in a row (beyond the SDK's three
/// retries); on globex 401 INVALID_SESSION_ID now and then and every session expired every ten batches. Together about
/// 10-13% of the first pass's REST requests. Replays run with 1% transient 503s (fixed seed) so the loop has to converge
/// under faults, not in a clean room. Retry back-off is shortened to milliseconds and the request-limit break to 1 s.
/// Usage: <c>soak [--conversations n] [--batch n] [--seed n] [--after-commit-status 503|504] [--replay-fault-rate r] [--json file]</c>.
/// </remarks>
internal static partial class SoakBenchmark
{
    private const string Usage = "Usage: soak [--conversations <n>] [--batch <n>] [--seed <n>] [--after-commit-status <503|504>] [--replay-fault-rate <r>] [--json <file>]";
    private const int MaxRounds = 20;
    private const double FaultRate = 0.04;
        private const long Allocation = 1_000_000;
    private const string Api = "/services/data/"; // faults on REST requests; the token and revoke endpoints answer normally
    private static readonly string[] TenantIds = ["acme", "globex", "initech", "umbrella"];
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);
    private static readonly Dictionary<string, string> RefreshTokens = new(StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        int conversations = 10_000, batch = 100, seed = 16, afterCommit = 503;
        var replayFaultRate = 0.01;
        string? jsonPath = null;
        if (!await BenchmarkArguments.TryReadAsync(args, Usage, new Dictionary<string, Func<string, bool>>
        {
            ["--conversations"] = BenchmarkArguments.Int(n => n >= TenantIds.Length, n => conversations = n),
            ["--batch"] = BenchmarkArguments.Int(n => n >= TenantIds.Length, n => batch = n),
            ["--seed"] = BenchmarkArguments.Int(_ => true, n => seed = n),
            ["--after-commit-status"] = BenchmarkArguments.Int(n => n is 503 or 504, n => afterCommit = n),
            ["--replay-fault-rate"] = v =>
            {
                var ok = double.TryParse(v, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1;
                replayFaultRate = ok ? r : replayFaultRate;
                return ok;
            },
            ["--json"] = BenchmarkArguments.Text(v => jsonPath = v),
        }))
        {
            return 2;
        }

        var journalFile = Path.Combine(Path.GetTempPath(), $"chat2sf-soak-{Guid.NewGuid():N}.db");
        try
        {
            return await RunAsync(conversations, batch, seed, afterCommit, replayFaultRate, journalFile, jsonPath);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { journalFile, journalFile + "-wal", journalFile + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<int> RunAsync(int total, int batchSize, int seed, int afterCommit, double replayFaultRate, string journalFile, string? jsonPath)
    {
        var wall = Stopwatch.StartNew();
        await using var cluster = new SalesforceEmulatorCluster();
        var store = new InMemorySalesforceTenantStore();
        foreach (var id in TenantIds)
        {
            var org = cluster.AddOrg(id, new SalesforceEmulatorOptions { RequestLogCapacity = 200_000, DailyApiLimit = Allocation });
            org.RegisterClient("chat2sf", "chat2sf");
            store.Set(id, Settings(org));
        }

        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
            o.Authentication.ClientId = "chat2sf";
            o.Authentication.ClientSecret = "chat2sf";
            Tune(o.Resilience);
        }).UseTenantStore(store);
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(cluster.CreateHandler);
        builder.AddExportJournal(o =>
        {
            o.UseSqlite($"Data Source={journalFile}");
            o.KeepFailedConversations = true;
        });
        await using var provider = services.BuildServiceProvider();
        var exporter = provider.GetRequiredService<IConversationExporter>();
        var journal = provider.GetRequiredService<IExportJournal>();

        var chats = Enumerable.Range(0, total).Select(i => Chat(TenantIds[i % TenantIds.Length], i / TenantIds.Length)).ToArray();
        Console.WriteLine($"Soak: {total:N0} conversations over {TenantIds.Length} tenants (emulator cluster, latency 0), batches of {batchSize}, seed {seed}, lost answers after commit as {afterCommit}, journal on SQLite.");

        // Pass 1: the queue delivers every conversation once, in batches, with 10% injected faults.
        var random = new Random(seed);
        var faultRules = new Dictionary<string, int>(StringComparer.Ordinal);
        var events = new Dictionary<string, int>(StringComparer.Ordinal);
        var unclassified = 0;
        var firstPassErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        var firstPass = new Dictionary<string, int>(StringComparer.Ordinal);
        var batches = (total + batchSize - 1) / batchSize;
        for (var b = 0; b < batches; b++)
        {
            var slice = chats.Skip(b * batchSize).Take(batchSize).ToArray();
            foreach (var (tenant, t) in TenantIds.Select((x, t) => (x, t)))
            {
                // 4% of the tenant's REST requests in this batch answer a transient fault: a 503 or a row lock, drawn per batch.
                var org = cluster[tenant];
                var rowLocks = random.Next(2) == 0;
                org.Faults.SetFailureRate(FaultRate, seed + (b * TenantIds.Length) + t, rowLocks ? 400 : 503, rowLocks ? "UNABLE_TO_LOCK_ROW" : "SERVER_UNAVAILABLE");
                Count(faultRules, rowLocks ? "4% UNABLE_TO_LOCK_ROW (batches)" : "4% 503 SERVER_UNAVAILABLE (batches)");
                if (random.Next(12) == 0)
                {
                    // The write commits, then the answer is lost: the retry must find what it wrote.
                    org.Faults.Add(new FaultRule { PathContains = Api, Method = "POST", StatusCode = afterCommit, ErrorCode = afterCommit == 503 ? "SERVER_UNAVAILABLE" : "GATEWAY_TIMEOUT", AfterCommit = true });
                    Count(faultRules, $"{afterCommit} after commit on a write (rules)");
                }

                if (random.Next(40) == 0)
                {
                    // An outage longer than the SDK's own retries (3): the chunk fails as retry-later and the journal replays it.
                    org.Faults.Add(new FaultRule { PathContains = Api, StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE", Times = 4 });
                    Count(faultRules, "503 four times in a row (rules)");
                }

                if (tenant == "globex" && random.Next(8) == 0)
                {
                    org.Faults.Add(new FaultRule { PathContains = Api, StatusCode = 401, ErrorCode = "INVALID_SESSION_ID", Message = "Session expired or invalid" });
                    Count(faultRules, "globex: 401 INVALID_SESSION_ID (rules)");
                }
            }

            if (b % 10 == 9)
            {
                cluster["globex"].ExpireAllSessions();
                Count(events, "globex: all sessions expired");
            }

            if (b == batches / 2)
            {
                // initech's org has used its allocation for the day; umbrella's admin revoked the app's grant.
                var initech = cluster["initech"];
                initech.DailyApiLimit = initech.ApiCallsUsed;
                Count(events, "initech: daily API limit reached");
                await RevokeAsync(cluster, RefreshTokens["umbrella"]);
                Count(events, "umbrella: refresh token revoked");
            }

            await foreach (var result in exporter.ExportManyAsync(slice))
            {
                if (result.Status == ExportStatus.Failed)
                {
                    firstPassErrors[$"{result.TenantId}/{result.ConversationId}"] = result.Error?.Message ?? "-";
                    if (result.FailureKind is { } kind)
                    {
                        var key = $"{result.TenantId}/{Kind(kind)}";
                        if (!firstPass.ContainsKey(key))
                        {
                            // The first failure of each tenant and kind: the SDK's message names the operation, status and code, never record values.
                            Console.WriteLine($"  first {key}: {result.Error!.GetType().Name}: {result.Error.Message}");
                        }

                        Count(firstPass, key);
                    }
                    else
                    {
                        unclassified++;
                    }
                }
            }
        }

        var firstPassSeconds = wall.Elapsed.TotalSeconds;
        var faultedFirstPass = TenantIds.Sum(t => cluster[t].RequestLog.Count(r => r.FaultInjected));
        var apiFirstPass = TenantIds.Sum(t => cluster[t].RequestLog.Count(r => r.Path.StartsWith(Api, StringComparison.Ordinal)));
        Console.WriteLine($"Pass 1: {firstPassSeconds:0.0} s; faults armed: {Describe(faultRules)}; {faultedFirstPass:N0} of {apiFirstPass:N0} REST requests answered with an injected fault ({100.0 * faultedFirstPass / Math.Max(1, apiFirstPass):0.0}%); events: {Describe(events)}.");
        Console.WriteLine($"  failed: {firstPass.Values.Sum():N0} ({Describe(firstPass)}), unclassified {unclassified}.");

        // Then: the worker loop. Transient faults continue at a lower rate; the causes of the other kinds are fixed.
        foreach (var (tenant, i) in TenantIds.Select((t, i) => (t, i)))
        {
            var org = cluster[tenant];
            org.Faults.Clear();
            org.Faults.SetFailureRate(replayFaultRate, seed + i);
        }

        var rounds = new List<Dictionary<string, object>>();
        var replays = 0;
        var windows = 0;
        var reconnects = 0;
        for (var round = 1; round <= MaxRounds; round++)
        {
            await journal.FlushAsync();
            var failures = await journal.CountFailuresAsync();
            if (failures.Count == 0)
            {
                break;
            }

            var pending = await journal.GetFailuresAsync(new JournalQuery { Limit = total });
            unclassified += pending.Count(e => string.IsNullOrEmpty(e.FailureKind));
            var before = failures.ToDictionary(f => $"{f.TenantId}/{f.FailureKind}", f => f.Count, StringComparer.Ordinal);
            var actions = new List<string>();
            var replayed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in failures.GroupBy(f => f.FailureKind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                switch (group.Key)
                {
                    case "wait-for-window":
                        foreach (var f in group)
                        {
                            // The rolling 24-hour window has freed calls: usage back to 0, the org's full allocation available again.
                            cluster[f.TenantId!].ResetApiUsage();
                            cluster[f.TenantId!].DailyApiLimit = Allocation;
                            windows++;
                            actions.Add($"{f.TenantId}: window passed");
                        }

                        await Task.Delay(BreakDuration + TimeSpan.FromMilliseconds(200)); // RetryAfter: the SDK probes again after the break
                        break;
                    case "reconnect":
                        foreach (var f in group)
                        {
                            store.Set(f.TenantId!, Settings(cluster[f.TenantId!])); // the customer connected again
                            reconnects++;
                            actions.Add($"{f.TenantId}: reconnected");
                        }

                        break;
                    case "retry-later":
                        break;
                    default:
                        // fix-configuration and rejected-data need a person; the soak injects neither, so they stay.
                        actions.Add($"{group.Key}: left for a person");
                        continue;
                }

                var result = await journal.ReplayAsync(new JournalQuery { FailureKind = group.Key });
                replays++;
                replayed[group.Key] = result.ToString();
            }

            await journal.FlushAsync();
            var after = (await journal.CountFailuresAsync()).ToDictionary(f => $"{f.TenantId}/{f.FailureKind}", f => f.Count, StringComparer.Ordinal);
            Console.WriteLine($"Round {round}: failing before {before.Values.Sum():N0} ({Describe(before)}); {string.Join("; ", actions.DefaultIfEmpty("no action"))}; replays: {string.Join("; ", replayed.Select(r => $"{r.Key} {r.Value}"))}; failing after {after.Values.Sum():N0}.");
            rounds.Add(new Dictionary<string, object>
            {
                ["round"] = round,
                ["failingBefore"] = before,
                ["actions"] = actions,
                ["replays"] = replayed,
                ["failingAfter"] = after,
            });
            if (after.Count == 0)
            {
                break;
            }
        }

        // What still fails: one conversation per tenant and kind exported once more, its error shown (message only: no record values).
        foreach (var entry in (await journal.GetFailuresAsync(new JournalQuery { Limit = total })).DistinctBy(e => (e.TenantId, e.FailureKind)))
        {
            try
            {
                await exporter.ExportAsync(chats.First(c => c.Id == entry.ConversationId && c.TenantId == entry.TenantId));
                Console.WriteLine($"  still failing {entry.TenantId}/{entry.FailureKind} ({entry.ErrorCode}): exported when sent once more");
            }
            catch (ChatToSalesforceException ex)
            {
                Console.WriteLine($"  still failing {entry.TenantId}/{entry.FailureKind} ({entry.ErrorCode}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        // The audit: the journal and every org.
        await journal.FlushAsync();
        int exported = 0, lost = 0, duplicatePersons = 0, duplicateActivities = 0, missingPersons = 0, missingActivities = 0;
        var attempts = 0L;
        var notExported = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tenant in TenantIds)
        {
            var org = cluster[tenant];
            var contacts = org.Records("Contact").GroupBy(r => (string?)r["Email"] ?? string.Empty, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            var tasks = org.Records("Task").Select(r => Marker().Match((string?)r["Subject"] ?? string.Empty)).Where(m => m.Success)
                .GroupBy(m => m.Groups[1].Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var dup in tasks.Where(t => t.Value > 1).Take(3))
            {
                var entry = await journal.FindAsync(tenant, dup.Key);
                Console.WriteLine($"  duplicate activity {tenant}/{dup.Key}: {dup.Value} tasks, {entry?.Attempts} attempts; first pass: {firstPassErrors.GetValueOrDefault($"{tenant}/{dup.Key}", "exported")}");
            }

            if (tasks.Values.Any(n => n > 1))
            {
                Console.WriteLine($"  {tenant}: {tasks.Values.Count(n => n > 1)} conversations with duplicate activities, {contacts.Values.Count(n => n > 1)} visitors with duplicate persons");
            }

            duplicatePersons += contacts.Values.Sum(n => n - 1);
            duplicateActivities += tasks.Values.Sum(n => n - 1);
            foreach (var chat in chats.Where(c => c.TenantId == tenant))
            {
                var entry = await journal.FindAsync(tenant, chat.Id);
                attempts += entry?.Attempts ?? 0;
                var inOrg = contacts.ContainsKey(chat.Visitor!.Email!) && tasks.ContainsKey(chat.Id);
                missingPersons += contacts.ContainsKey(chat.Visitor.Email!) ? 0 : 1;
                missingActivities += tasks.ContainsKey(chat.Id) ? 0 : 1;
                if (entry?.Status == ExportStatus.Exported && inOrg)
                {
                    exported++;
                }
                else
                {
                    Count(notExported, $"{tenant}/{entry?.Status.ToString() ?? "not in the journal"}/{entry?.FailureKind ?? "-"}");
                    if (!inOrg)
                    {
                        lost++;
                    }
                }
            }
        }

        var seconds = wall.Elapsed.TotalSeconds;
        var faulted = TenantIds.Sum(t => cluster[t].RequestLog.Count(r => r.FaultInjected));
        var apiRequests = TenantIds.Sum(t => cluster[t].RequestLog.Count(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal)));
        var tokenRequests = TenantIds.Sum(t => cluster[t].RequestLog.Count(r => r.Path.EndsWith("/oauth2/token", StringComparison.Ordinal)));
        Console.WriteLine($"Result: {exported:N0} of {total:N0} exported; not exported {total - exported} ({Describe(notExported)}); lost {lost}; duplicate persons {duplicatePersons}, duplicate activities {duplicateActivities}; unclassified failures {unclassified}.");
        Console.WriteLine($"  {replays} replays, {windows} windows passed, {reconnects} reconnects; {attempts:N0} attempts recorded; {apiRequests:N0} API requests, {tokenRequests:N0} token requests, {faulted:N0} answered with an injected fault; wall time {seconds:0.0} s.");

        if (jsonPath is not null)
        {
            var json = new Dictionary<string, object?>
            {
                ["conversations"] = total,
                ["tenants"] = TenantIds,
                ["batchSize"] = batchSize,
                ["seed"] = seed,
                ["afterCommitStatus"] = afterCommit,
                                ["faultsArmedByKind"] = new SortedDictionary<string, int>(faultRules, StringComparer.Ordinal),
                ["events"] = new SortedDictionary<string, int>(events, StringComparer.Ordinal),
                ["requestsWithInjectedFaultFirstPass"] = faultedFirstPass,
                ["restRequestsFirstPass"] = apiFirstPass,
                ["faultRate"] = FaultRate,
                ["requestsWithInjectedFaultTotal"] = faulted,
                ["replayFaultRate"] = replayFaultRate,
                ["firstPassFailedByTenantAndKind"] = new SortedDictionary<string, int>(firstPass, StringComparer.Ordinal),
                ["firstPassSeconds"] = Math.Round(firstPassSeconds, 1),
                ["rounds"] = rounds,
                ["replays"] = replays,
                ["windowsPassed"] = windows,
                ["reconnects"] = reconnects,
                ["exported"] = exported,
                ["notExported"] = new SortedDictionary<string, int>(notExported, StringComparer.Ordinal),
                ["lost"] = lost,
                ["missingPersons"] = missingPersons,
                ["missingActivities"] = missingActivities,
                ["duplicatePersons"] = duplicatePersons,
                ["duplicateActivities"] = duplicateActivities,
                ["unclassifiedFailures"] = unclassified,
                ["attemptsRecorded"] = attempts,
                ["apiRequests"] = apiRequests,
                ["tokenRequests"] = tokenRequests,
                ["wallSeconds"] = Math.Round(seconds, 1),
            };
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        return exported == total && lost == 0 && duplicatePersons == 0 && duplicateActivities == 0 && unclassified == 0 ? 0 : 1;
    }

    /// <summary>Revokes a refresh token (and its access tokens) at the org's revoke endpoint, as the customer's admin would.</summary>
    private static async Task RevokeAsync(SalesforceEmulatorCluster cluster, string refreshToken)
    {
        using var http = new HttpClient(cluster.CreateHandler());
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshToken });
        using var response = await http.PostAsync(new Uri(cluster["umbrella"].InstanceUrl, "/services/oauth2/revoke"), body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The emulator did not revoke the token: HTTP {(int)response.StatusCode}.");
        }
    }

    private static SalesforceChatExportOptions Settings(SalesforceEmulator org)
    {
        var options = new SalesforceChatExportOptions { InstanceUrl = org.InstanceUrl };
        options.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
        options.Authentication.RefreshToken = org.IssueRefreshToken();
        RefreshTokens[org.InstanceUrl.Host.Split('.')[0]] = options.Authentication.RefreshToken; // https://{tenant}.my.salesforce.com
        Tune(options.Resilience);
        return options;
    }

    /// <summary>The default retry count, with back-off delays and the request-limit break shortened so the soak runs in seconds.</summary>
    private static void Tune(SalesforceResilienceOptions resilience)
    {
        resilience.BaseDelay = TimeSpan.FromMilliseconds(5);
        resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
        resilience.RequestLimitBreakDuration = BreakDuration;
    }

    private static Conversation Chat(string tenant, int i)
    {
        var c = Workload.Conversation($"{tenant}-c{i:D6}", $"v{i:D6}.{tenant}@example.com", $"Visitor{i:D6}", agentEmail: null, messages: 6);
        return new Conversation
        {
            Id = c.Id, TenantId = tenant, Channel = c.Channel, StartedAt = c.StartedAt, EndedAt = c.EndedAt, Visitor = c.Visitor, Messages = c.Messages, CustomFields = c.CustomFields,
        };
    }

    private static string Kind(ExportFailureKind kind) => kind switch
    {
        ExportFailureKind.RetryLater => "retry-later",
        ExportFailureKind.WaitForWindow => "wait-for-window",
        ExportFailureKind.Reconnect => "reconnect",
        ExportFailureKind.FixConfiguration => "fix-configuration",
        _ => "rejected-data",
    };

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value:N0}"));

    [GeneratedRegex(@"\[chat ([^\]]+)\]$")]
    private static partial Regex Marker();
}
