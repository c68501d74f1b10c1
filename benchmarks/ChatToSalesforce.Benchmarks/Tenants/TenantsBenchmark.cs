using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Tenancy.Internal;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Benchmarks.Tenants;

/// <summary>
/// Many tenants in one exporter, against the emulator cluster (one org per tenant): API calls per tenant, wall time of
/// 1,000 tenants × 10 conversations against one tenant × 10,000 in the same run, memory per active tenant, and memory
/// with 10,000 tenants (eviction keeps it bounded).
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project benchmarks/ChatToSalesforce.Benchmarks -- tenants [--tenants n] [--per-tenant k]
/// [--latency-ms ms] [--many n] [--json file]</c>.
/// </remarks>
internal static class TenantsBenchmark
{
    private const string Usage = "Usage: tenants [--tenants <n>] [--per-tenant <k>] [--latency-ms <ms>] [--many <n>] [--json <file>]";

    public static async Task<int> RunAsync(string[] args)
    {
        int tenants = 1_000, perTenant = 10, latencyMs = 20, many = 10_000;
        string? jsonPath = null;
        if (!await BenchmarkArguments.TryReadAsync(args, Usage, new Dictionary<string, Func<string, bool>>
        {
            ["--tenants"] = BenchmarkArguments.Int(n => n > 0, n => tenants = n),
            ["--per-tenant"] = BenchmarkArguments.Int(n => n > 0, n => perTenant = n),
            ["--latency-ms"] = BenchmarkArguments.Int(n => n >= 0, n => latencyMs = n),
            ["--many"] = BenchmarkArguments.Int(n => n > 0, n => many = n),
            ["--json"] = BenchmarkArguments.Text(v => jsonPath = v),
        }))
        {
            return 2;
        }

        var latency = TimeSpan.FromMilliseconds(latencyMs);
        await using var cluster = new SalesforceEmulatorCluster();
        var store = new InMemorySalesforceTenantStore();
        var ids = Enumerable.Range(0, tenants).Select(i => $"t{i:D5}").ToArray();
        foreach (var id in ids.Append("solo"))
        {
            var org = cluster.AddOrg(id, new SalesforceEmulatorOptions { RequestLogCapacity = id == "solo" ? 100_000 : 64, DailyApiLimit = long.MaxValue, Latency = latency });
            org.RegisterClient("chat2sf", "chat2sf");   // the vendor's platform app, installed in every customer's org
            store.Set(id, Settings(org));
        }

        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            // The vendor's platform app only: every conversation names its tenant.
            o.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
            o.Authentication.ClientId = "chat2sf";
            o.Authentication.ClientSecret = "chat2sf";
        }).UseTenantStore(store);
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(cluster.CreateHandler);
        await using var provider = services.BuildServiceProvider();
        var exporter = provider.GetRequiredService<IConversationExporter>();
        var registry = provider.GetRequiredService<TenantRegistry>();

        Console.WriteLine($"Emulator cluster: {tenants + 1:N0} orgs, {latencyMs} ms per request. Platform app, refresh-token flow per tenant.");

        // One tenant × tenants·perTenant conversations.
        var total = tenants * perTenant;
        var solo = cluster["solo"];
        var stopwatch = Stopwatch.StartNew();
        var soloFailed = await CountFailedAsync(exporter.ExportManyAsync(Enumerable.Range(0, total).Select(i => Chat("solo", i))));
        var soloSeconds = stopwatch.Elapsed.TotalSeconds;
        var soloCalls = ApiRequests(solo);
        Console.WriteLine($"1 tenant × {total:N0}: {soloSeconds:0.00} s, {soloCalls:N0} API requests, {soloFailed} failed.");

        // tenants × perTenant, interleaved (a queue that mixes customers), in one ExportManyAsync.
        var heapBefore = Heap();
        stopwatch.Restart();
        var interleaved = Enumerable.Range(0, perTenant).SelectMany(round => ids.Select(id => Chat(id, round)));
        var failed = await CountFailedAsync(exporter.ExportManyAsync(interleaved));
        var manySeconds = stopwatch.Elapsed.TotalSeconds;
        var calls = ids.Select(id => ApiRequests(cluster[id])).ToArray();
        var tokens = ids.Sum(id => cluster[id].RequestLog.Count(r => r.Path.EndsWith("/oauth2/token", StringComparison.Ordinal)));
        Console.WriteLine($"{tenants:N0} tenants × {perTenant}: {manySeconds:0.00} s ({manySeconds / soloSeconds:0.00}× the single tenant), API requests per tenant min {calls.Min()} / avg {calls.Average():0.00} / max {calls.Max()}, {tokens:N0} token requests, {failed} failed.");

        // Memory per active tenant: the heap with every tenant's state, against the heap once all of it is evicted.
        var active = registry.ActiveTenants;
        var heapActive = Heap();
        var evicted = registry.EvictIdle(TimeSpan.Zero);
        var heapEvicted = Heap();
        var perTenantBytes = (heapActive - heapEvicted) / (double)Math.Max(1, active);
        Console.WriteLine($"Active tenants {active:N0}: {Kb(heapActive - heapEvicted):N0} KB of SDK state, {perTenantBytes / 1024:0.0} KB per active tenant. After eviction: {registry.ActiveTenants} active, {registry.Cache.Count} cache entries ({evicted:N0} evicted).");
        Console.WriteLine($"  (heap before the run {Mb(heapBefore):0.0} MB, with the tenants active {Mb(heapActive):0.0} MB, after eviction {Mb(heapEvicted):0.0} MB; the emulated orgs' records stay.)");

        // Many tenants (more than MaxActiveTenants), one conversation each, on the same orgs: state stays bounded.
        var manyIds = Enumerable.Range(0, many).Select(i => $"m{i:D6}").ToArray();
        for (var i = 0; i < manyIds.Length; i++)
        {
            store.Set(manyIds[i], Settings(cluster[ids[i % ids.Length]]));
        }

        var heapManyBefore = Heap();
        var manyFailed = await CountFailedAsync(exporter.ExportManyAsync(manyIds.Select(id => Chat(id, 0))));
        var heapManyAfter = Heap();
        var maxActive = new SalesforceTenancyOptions().MaxActiveTenants;
        Console.WriteLine($"{many:N0} tenants × 1: {manyFailed} failed; {registry.ActiveTenants:N0} tenants keep state (cap {maxActive:N0}); heap {Mb(heapManyBefore):0.0} → {Mb(heapManyAfter):0.0} MB.");

        if (jsonPath is not null)
        {
            var json = new Dictionary<string, object?>
            {
                ["tenants"] = tenants,
                ["perTenant"] = perTenant,
                ["latencyMs"] = latencyMs,
                ["soloSeconds"] = Math.Round(soloSeconds, 2),
                ["soloApiRequests"] = soloCalls,
                ["tenantsSeconds"] = Math.Round(manySeconds, 2),
                ["ratio"] = Math.Round(manySeconds / soloSeconds, 2),
                ["apiRequestsPerTenantMin"] = calls.Min(),
                ["apiRequestsPerTenantMax"] = calls.Max(),
                ["tokenRequests"] = tokens,
                ["failed"] = failed + soloFailed + manyFailed,
                ["kbPerActiveTenant"] = Math.Round(perTenantBytes / 1024, 1),
                ["activeAfterEviction"] = 0,
                ["manyTenants"] = many,
                ["manyTenantsActive"] = registry.ActiveTenants,
                ["manyHeapMbBefore"] = Math.Round(Mb(heapManyBefore), 1),
                ["manyHeapMbAfter"] = Math.Round(Mb(heapManyAfter), 1),
            };
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }

        return failed + soloFailed + manyFailed == 0 && calls.Max() <= 2 ? 0 : 1;
    }

    private static SalesforceChatExportOptions Settings(SalesforceEmulator org)
    {
        var options = new SalesforceChatExportOptions { InstanceUrl = org.InstanceUrl };
        options.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
        options.Authentication.RefreshToken = org.IssueRefreshToken();
        options.Transcript.SubjectTemplate = Economy.EconomyBenchmark.SubjectTemplate;
        return options;
    }

    private static Conversation Chat(string tenant, int i)
    {
        var c = Workload.Conversation($"{tenant}-c{i:D6}", $"v{i:D6}.{tenant}@example.com", $"Visitor{i:D6}", agentEmail: null, messages: 6);
        return new Conversation
        {
            Id = c.Id, TenantId = tenant, Channel = c.Channel, StartedAt = c.StartedAt, EndedAt = c.EndedAt, Visitor = c.Visitor, Messages = c.Messages, CustomFields = c.CustomFields,
        };
    }

    private static async Task<int> CountFailedAsync(IAsyncEnumerable<ConversationExportResult> results)
    {
        var failed = 0;
        await foreach (var result in results)
        {
            if (result.Status != ExportStatus.Exported)
            {
                if (failed++ == 0)
                {
                    Console.WriteLine($"  first problem: {result.ConversationId} {result.Status} {result.SkipReason} {result.Error?.Message}");
                }
            }
        }

        return failed;
    }

    private static int ApiRequests(SalesforceEmulator org) => org.RequestLog.Count(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal));

    /// <summary>The heap after full collections: the memory benchmark's measure, so both read the same way.</summary>
    private static long Heap() => Memory.MemoryBenchmark.Heap();

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);

    private static long Kb(long bytes) => bytes / 1024;
}
