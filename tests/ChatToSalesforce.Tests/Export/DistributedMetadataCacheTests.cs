using System.Collections.Concurrent;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>Two workers (two exporters, one org) sharing describes and agent Users through an <see cref="IDistributedCache"/>.</summary>
public sealed class DistributedMetadataCacheTests : IDisposable
{
    private readonly SalesforceEmulator _org = new();
    private readonly List<EmulatorExport> _workers = [];

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        _org.Dispose();
    }

    [Fact]
    public async Task A_second_worker_reuses_the_describes_and_agent_users_the_first_one_read()
    {
        var agent = _org.SeedUser("agent@acme.test");
        var shared = new DictionaryDistributedCache();
        var first = Worker(shared);
        var second = Worker(shared);

        (await first.ExportAsync(Conversation("a", "a@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(2);
        await shared.Settled();
        var result = await second.ExportAsync(Conversation("b", "b@example.com", agentEmail: "Agent@acme.test"));

        result.ApiCalls.Should().Be(1, "the second worker's read round has nothing left to read");
        result.OwnerId.Should().Be(agent);
        shared.Keys.Should().Contain(k => k.StartsWith("ChatToSalesforce:metadata:v1:", StringComparison.Ordinal) && k.EndsWith(":describe:contact", StringComparison.Ordinal))
            .And.Contain(k => k.EndsWith(":user:agent@acme.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_on_a_second_worker_reads_nothing_when_the_shared_cache_knows_everything()
    {
        _org.SeedUser("agent@acme.test");
        var shared = new DictionaryDistributedCache();
        await Worker(shared).ExportManyAsync([Conversation("a", "a@example.com", agentEmail: "agent@acme.test")]).ToListAsync();
        await shared.Settled();
        _org.ClearRequestLog();

        var results = await Worker(shared).ExportManyAsync(Enumerable.Range(0, 10).Select(i => Conversation($"b{i}", $"b{i}@example.com", agentEmail: "agent@acme.test"))).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.OwnerId != null);
        _org.ReadRequests().Should().Be(0);
        _org.WriteRequests().Should().Be(1);
    }

    [Fact]
    public async Task A_failing_shared_cache_never_fails_an_export()
    {
        var exporter = Worker(new DictionaryDistributedCache { Broken = true });

        var result = await exporter.ExportAsync(Conversation("a", "a@example.com"));

        result.Status.Should().Be(ExportStatus.Exported);
        result.ApiCalls.Should().Be(2);
    }

    private IConversationExporter Worker(IDistributedCache shared)
    {
        SingleExportTestsKeys();
        var worker = EmulatorExport.Create(
            _org,
            o =>
            {
                o.PersonKeyField = "Chat_Visitor_Key__c";
                o.ConversationIdField = "Chat_Conversation_Id__c";
            },
            build: b => b.UseDistributedMetadataCache(),
            services: s => s.AddSingleton(shared));
        _workers.Add(worker);
        return worker.Exporter;
    }

    private void SingleExportTestsKeys()
    {
        if (_workers.Count == 0)
        {
            SingleExportTests.DefineKeys(_org);
        }
    }

    /// <summary>An in-memory <see cref="IDistributedCache"/> that tracks its pending writes (they are fire-and-forget).</summary>
    private sealed class DictionaryDistributedCache : IDistributedCache
    {
        private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
        private readonly ConcurrentBag<Task> _writes = [];

        public bool Broken { get; init; }

        public IEnumerable<string> Keys => _entries.Keys;

        public Task Settled() => Task.WhenAll(_writes);

        public byte[]? Get(string key) => Broken ? throw new InvalidOperationException("down") : _entries.GetValueOrDefault(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
            Broken ? Task.FromException<byte[]?>(new InvalidOperationException("down")) : Task.FromResult(_entries.GetValueOrDefault(key));

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _entries[key] = value;

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            if (Broken)
            {
                return Task.FromException(new InvalidOperationException("down"));
            }

            var write = Task.Run(() => _entries[key] = value, token);
            _writes.Add(write);
            return write;
        }

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => _entries.TryRemove(key, out _);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            _entries.TryRemove(key, out _);
            return Task.CompletedTask;
        }
    }
}
