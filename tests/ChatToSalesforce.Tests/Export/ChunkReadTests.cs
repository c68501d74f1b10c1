using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>The one read path: keyed lookups of a whole chunk merged into IN queries, for custom stages too; one bad value fails only its conversation.</summary>
public sealed class ChunkReadTests : IDisposable
{
    private readonly SalesforceEmulator _org = new();
    private readonly List<EmulatorExport> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _org.Dispose();
    }

    private EmulatorExport Host(SalesforceEmulator org, Action<ISalesforceChatExportBuilder>? build = null, Func<ISalesforceClient, ISalesforceClient>? decorate = null)
    {
        var host = EmulatorExport.Create(org, build: build, decorate: decorate);
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task A_custom_identity_matcher_that_uses_keyed_lookups_is_batched()
    {
        using var reference = new SalesforceEmulator();
        var conversations = Enumerable.Range(0, 200).Select(i => Conversation($"c{i}", $"v{i}@example.com")).ToList();
        foreach (var org in new[] { _org, reference })
        {
            for (var i = 0; i < 200; i += 2)
            {
                org.Insert("Contact", new { FirstName = "Vera", LastName = "Visitor", Email = $"v{i}@example.com" });
            }
        }

        var custom = await Host(_org, build: b => b.UseIdentityMatcher<EmailLookupMatcher>()).Exporter.ExportManyAsync(conversations).ToListAsync();
        var byDefault = await Host(reference).Exporter.ExportManyAsync(conversations).ToListAsync();

        custom.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        custom.Select(r => r.Person!.Change).Should().Equal(Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? RecordChange.Unchanged : RecordChange.Created));
        _org.Records("Contact").Should().HaveCount(200);

        // The 200 lookups travelled as a few merged IN queries in one read round, as the default matcher's do.
        var contactQueries = _org.RequestLog.SelectMany(r => r.Subrequests).Where(s => Uri.UnescapeDataString(s.Url).Contains("FROM Contact", StringComparison.Ordinal)).ToList();
        contactQueries.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(5);
        contactQueries.Should().OnlyContain(s => Uri.UnescapeDataString(s.Url).Contains("Email IN (", StringComparison.Ordinal));
        _org.ReadRequests().Should().Be(1, "one read round for the whole chunk");
        _org.ReadRequests().Should().Be(reference.ReadRequests());
        _org.ApiCallsUsed.Should().Be(reference.ApiCallsUsed);
        custom.Sum(r => r.ApiCalls).Should().Be((int)_org.ApiCallsUsed);
        byDefault.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
    }

    [Fact]
    public async Task A_value_salesforce_rejects_inside_a_shared_in_query_fails_only_its_conversation_and_is_not_cached()
    {
        var client = (PoisonedReads?)null;
        var host = Host(_org, decorate: inner => client = new PoisonedReads(inner, "poison@example.com"));
        var conversations = Enumerable.Range(0, 10).Select(i => Conversation($"c{i}", i == 3 ? "poison@example.com" : $"v{i}@example.com")).ToList();

        var results = await host.Exporter.ExportManyAsync(conversations).ToListAsync();

        results.Where((_, i) => i != 3).Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results[3].Status.Should().Be(ExportStatus.Failed);
        results[3].Error.Should().BeOfType<SalesforceApiException>().Which.ErrorCode.Should().Be("INVALID_QUERY_FILTER_OPERATOR");
        _org.Records("Contact").Should().HaveCount(9);
        _org.Records("Task").Should().HaveCount(9);

        // Salesforce accepts the value again: the failed lookup was not remembered as "not found", nor as anything else.
        client!.Enabled = false;
        var again = await host.Exporter.ExportAsync(conversations[3]);
        again.Status.Should().Be(ExportStatus.Exported);
        again.Person!.Change.Should().Be(RecordChange.Created);
        _org.Records("Contact").Should().HaveCount(10);
    }

    [Fact]
    public async Task A_rejected_agent_user_lookup_fails_only_the_conversations_of_that_agent()
    {
        var good = _org.SeedUser("good.agent@acme.test");
        _org.SeedUser("bad.agent@acme.test");
        var client = (PoisonedReads?)null;
        var host = Host(_org, decorate: inner => client = new PoisonedReads(inner, "bad.agent@acme.test"));
        var conversations = Enumerable.Range(0, 6).Select(i => Conversation($"c{i}", $"v{i}@example.com", agentEmail: i == 4 ? "bad.agent@acme.test" : "good.agent@acme.test")).ToList();

        var results = await host.Exporter.ExportManyAsync(conversations).ToListAsync();

        results.Where((_, i) => i != 4).Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.OwnerId == good);
        results[4].Status.Should().Be(ExportStatus.Failed);

        client!.Enabled = false;
        var again = await host.Exporter.ExportAsync(conversations[4]);
        again.OwnerId.Should().Be(_org.Records("User").Single(u => u.Text("Email") == "bad.agent@acme.test").Id(), "a failed User lookup is not cached as 'no user'");
    }

    /// <summary>A matcher a host might write: the Contact whose Email is the visitor's, through a keyed lookup.</summary>
    private sealed class EmailLookupMatcher : IIdentityMatcher
    {
        public async ValueTask<IdentityMatch> MatchAsync(IdentityMatchContext context, CancellationToken cancellationToken)
        {
            var found = await context.Salesforce.LookupAsync(
                new SalesforceLookup { ObjectType = "Contact", Field = "Email", Value = context.Conversation.Visitor.Email!.Trim(), Fields = ["Id", "OwnerId", "FirstName", "LastName", "Email"] },
                cancellationToken);
            return found.Count == 0 ? IdentityMatch.None : IdentityMatch.Found("Contact", found[0].GetString("Id")!, found[0]);
        }
    }

    /// <summary>Answers every query that contains a value as Salesforce answers a filter value it rejects (per read, not thrown).</summary>
    private sealed class PoisonedReads(ISalesforceClient inner, string value) : ClientDecorator(inner)
    {
        private const int MaxRejections = 20;
        private int _rejections;

        public bool Enabled { get; set; } = true;

        public override async Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default)
        {
            if (!Enabled)
            {
                return await Inner.ReadAsync(reads, cancellationToken);
            }

            var poisoned = reads.Select(r => r.Kind == SalesforceReadKind.Query && r.Text.Contains(value, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (poisoned.Any(p => p) && Interlocked.Increment(ref _rejections) > MaxRejections)
            {
                // Ten values need at most a handful of splits; beyond that the reader is not isolating the value. Fail, never loop.
                throw new InvalidOperationException($"A query with the rejected value was sent more than {MaxRejections} times: the reader does not isolate the value.");
            }

            var clean = reads.Where((_, i) => !poisoned[i]).ToList();
            var answered = clean.Count == 0 ? new SalesforceReadBatchResult([], 0) : await Inner.ReadAsync(clean, cancellationToken);
            var results = new SalesforceReadResult[reads.Count];
            var k = 0;
            for (var i = 0; i < reads.Count; i++)
            {
                results[i] = poisoned[i]
                    ? new SalesforceReadResult { Error = new SalesforceApiException(HttpStatusCode.BadRequest, "INVALID_QUERY_FILTER_OPERATOR", "The query failed: invalid filter value.") }
                    : answered.Results[k++];
            }

            return new SalesforceReadBatchResult(results, Math.Max(1, answered.ApiCalls));
        }
    }
}
