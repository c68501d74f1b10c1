using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Benchmarks.Emulator;

/// <summary>
/// Equality lookups against an emulator org holding 10,000 Contacts, through the in-process handler (the whole HTTP
/// path: routing, auth, SOQL parse, index lookup, JSON). Email and the external id are indexed (case-insensitive),
/// so their cost must not grow with the org; LastName is not indexed and shows what a linear scan costs.
/// </summary>
[MemoryDiagnoser]
public class EmulatorLookupBenchmarks
{
    private const int ContactCount = 10_000;
    private SalesforceEmulator _emulator = null!;
    private HttpClient _http = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DailyApiLimit = long.MaxValue });
        _emulator.DefineField("Contact", new EmulatorField { Name = "Visitor_Id__c", ExternalId = true, Unique = true, Length = 40 });
        for (var i = 0; i < ContactCount; i++)
        {
            _emulator.Insert("Contact", new Dictionary<string, object?>
            {
                ["LastName"] = $"Person{i}",
                ["Email"] = $"person{i}@example.com",
                ["Visitor_Id__c"] = $"visitor-{i}",
            });
        }

        _http = new HttpClient(_emulator.CreateHandler()) { BaseAddress = _emulator.InstanceUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.IssueAccessToken());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _emulator.Dispose();
    }

    private int NextIndex() => _next = (_next + 7919) % ContactCount;

    private Task<string> Query(string soql) => _http.GetStringAsync("/services/data/v62.0/query?q=" + Uri.EscapeDataString(soql));

    /// <summary>Find a Contact by email (indexed, case-insensitive).</summary>
    [Benchmark]
    public Task<string> QueryByEmail() => Query($"SELECT Id, Email FROM Contact WHERE Email = 'PERSON{NextIndex()}@example.com'");

    /// <summary>Find a Contact by an external-id field (indexed, case-insensitive).</summary>
    [Benchmark]
    public Task<string> QueryByExternalId() => Query($"SELECT Id FROM Contact WHERE Visitor_Id__c = 'visitor-{NextIndex()}'");

    /// <summary>Upsert an existing Contact by external id (PATCH /sobjects/Contact/Visitor_Id__c/{value}).</summary>
    [Benchmark]
    public async Task<int> UpsertByExternalId()
    {
        using var content = new StringContent("{\"FirstName\":\"Bench\"}", Encoding.UTF8, "application/json");
        using var response = await _http.PatchAsync($"/services/data/v62.0/sobjects/Contact/Visitor_Id__c/visitor-{NextIndex()}", content);
        return (int)response.StatusCode;
    }

    /// <summary>For contrast: a filter on a field without an index scans all 10,000 records.</summary>
    [Benchmark(Baseline = true)]
    public Task<string> QueryByUnindexedLastName() => Query($"SELECT Id FROM Contact WHERE LastName = 'Person{NextIndex()}'");
}
