using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Benchmarks.Emulator;

/// <summary>
/// The emulator at scale (issue 12 item 4): an org of 10,000 and one of 1,000,000 Contacts; indexed lookups (Id, Email,
/// an external id) through the in-process handler must cost the same at both sizes (O(1)), memory per stored record is
/// measured, and the served emulator's requests per second on loopback are counted with a bounded number of requests.
/// <c>emulator-scale [--records 1000000] [--small 10000] [--lookups 2000] [--requests 20000] [--clients 4] [--json file]</c>
/// </summary>
internal static class EmulatorScaleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var large = 1_000_000;
        var small = 10_000;
        var lookups = 2_000;
        var requests = 20_000;
        var clients = 4;
        string? jsonPath = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--records": large = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--small": small = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--lookups": lookups = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--clients": clients = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--json": jsonPath = args[i + 1]; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        var report = new JsonObject
        {
            ["machine"] = $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores",
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var sizes = new JsonArray();
        foreach (var size in new[] { small, large })
        {
            var result = await MeasureSize(size, lookups, size == large ? requests : 0, clients);
            sizes.Add(result);
        }

        report["sizes"] = sizes;
        var text = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(text);
        if (jsonPath is not null)
        {
            await File.WriteAllTextAsync(jsonPath, text + "\n");
        }

        return 0;
    }

    private static async Task<JsonObject> MeasureSize(int size, int lookups, int requests, int clients)
    {
        Console.Error.WriteLine($"building an org of {size:N0} Contacts...");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = long.MaxValue, RequestLogCapacity = 100 });
        emulator.DefineField("Contact", new EmulatorField { Name = "Visitor_Id__c", ExternalId = true, Unique = true, Length = 40 });
        var ids = new string[size];
        var build = Stopwatch.StartNew();
        for (var i = 0; i < size; i++)
        {
            ids[i] = emulator.Insert("Contact", new Dictionary<string, object?>
            {
                ["LastName"] = "Person" + i.ToString(CultureInfo.InvariantCulture),
                ["Email"] = $"person{i}@example.com",
                ["Visitor_Id__c"] = $"visitor-{i}",
            });
        }

        build.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var idsBytes = (long)size * (24 + 20 + (2 * 18)) + (8L * size); // the benchmark's own id array, subtracted
        var perRecord = (after - before - idsBytes) / (double)size;
        Console.Error.WriteLine($"  inserted in {build.Elapsed.TotalSeconds:F1} s; {perRecord:F0} bytes per record");

        var result = new JsonObject
        {
            ["records"] = size,
            ["insertSeconds"] = Math.Round(build.Elapsed.TotalSeconds, 1),
            ["bytesPerRecord"] = Math.Round(perRecord),
        };

        using (var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueAccessToken());
            var random = new Random(42);
            var lookupsResult = new JsonObject();
            foreach (var (name, soql) in new (string, Func<int, string>)[]
            {
                ("Id", i => $"SELECT Id, Email FROM Contact WHERE Id = '{ids[i]}'"),
                ("Email", i => $"SELECT Id, Email FROM Contact WHERE Email = 'PERSON{i}@example.com'"),
                ("ExternalId", i => $"SELECT Id, Email FROM Contact WHERE Visitor_Id__c = 'visitor-{i}'"),
            })
            {
                for (var w = 0; w < 200; w++)
                {
                    await Query(http, soql(random.Next(size)));
                }

                var timings = new double[lookups];
                for (var n = 0; n < lookups; n++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var body = await Query(http, soql(random.Next(size)));
                    timings[n] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    if (!body.Contains("\"totalSize\":1", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"lookup by {name} did not find exactly one record");
                    }
                }

                Array.Sort(timings);
                lookupsResult[name] = new JsonObject
                {
                    ["meanMicroseconds"] = Math.Round(timings.Average(), 1),
                    ["p50Microseconds"] = Math.Round(timings[timings.Length / 2], 1),
                    ["p99Microseconds"] = Math.Round(timings[(int)(timings.Length * 0.99)], 1),
                };
                Console.Error.WriteLine($"  {name}: mean {timings.Average():F1} us, p50 {timings[timings.Length / 2]:F1} us");
            }

            result["lookups"] = lookupsResult;
        }

        if (requests > 0)
        {
            result["loopback"] = await Serve(emulator, size, requests, clients);
        }

        await emulator.DisposeAsync();
        return result;
    }

    private static async Task<string> Query(HttpClient http, string soql)
    {
        using var response = await http.GetAsync("/services/data/v62.0/query?q=" + Uri.EscapeDataString(soql));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A bounded loop of indexed queries against the served emulator on 127.0.0.1 from several keep-alive clients.</summary>
    private static async Task<JsonObject> Serve(SalesforceEmulator emulator, int size, int requests, int clients)
    {
        var baseUrl = await emulator.StartServerAsync();
        var token = emulator.IssueAccessToken();
        var perClient = requests / clients;
        var statusErrors = 0;

        async Task Client(int seed, int count)
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = baseUrl };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var random = new Random(seed);
            for (var n = 0; n < count; n++)
            {
                using var response = await http.GetAsync("/services/data/v62.0/query?q=" + Uri.EscapeDataString($"SELECT Id, Email FROM Contact WHERE Email = 'person{random.Next(size)}@example.com'"));
                _ = await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref statusErrors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Client(1000 + c, 200))); // warm-up: connections and JIT
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Client(c, perClient)));
        watch.Stop();
        var rate = perClient * clients / watch.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"  loopback: {perClient * clients:N0} requests from {clients} clients in {watch.Elapsed.TotalSeconds:F1} s = {rate:F0} requests/s ({statusErrors} errors)");
        await emulator.StopServerAsync();
        return new JsonObject
        {
            ["requests"] = perClient * clients,
            ["clients"] = clients,
            ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 2),
            ["requestsPerSecond"] = Math.Round(rate),
            ["errors"] = statusErrors,
            ["request"] = "GET /services/data/v62.0/query?q=SELECT Id, Email FROM Contact WHERE Email = '...' (keep-alive)",
        };
    }
}
