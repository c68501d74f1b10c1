using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>Regression tests for bugs found in a review of the write engine, the marker look-up, keyed look-ups and the owner chain.</summary>
public sealed class ExportRegressionTests : IDisposable
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

    private EmulatorExport Host(Action<SalesforceChatExportOptions>? configure = null, Func<ISalesforceClient, ISalesforceClient>? decorate = null)
    {
        var host = EmulatorExport.Create(_org, configure, decorate: decorate);
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task Duplicates_detected_without_ids_and_no_email_match_fail_once_with_the_engines_reason()
    {
        // A duplicate rule on LastName matches a Contact with another email; Salesforce's answer names no record.
        _org.AddDuplicateRule("Contact", DuplicateRuleAction.Block, "LastName");
        _org.Insert("Contact", new { LastName = "Twin", Email = "other@example.com" });
        StrippingDuplicateIds? client = null;
        var exporter = Host(decorate: inner => client = new StrippingDuplicateIds(inner)).Exporter;

        var result = (await exporter.ExportManyAsync([Conversation("dup-1", "twin@example.com", lastName: "Twin")]).ToListAsync()).Single();

        using var scope = new FluentAssertions.Execution.AssertionScope();
        result.Status.Should().Be(ExportStatus.Failed);
        client!.WriteCalls.Should().Be(1, "nothing changed after the email look-up found nothing: sending the same create again cannot succeed");
        result.Error!.Message.Should().Contain("none was found by email", "the engine decided this failure after its email look-up");
    }

    [Fact]
    public async Task Duplicates_detected_without_ids_link_to_the_unconverted_lead_not_a_newer_converted_one()
    {
        // Regression: the email look-up after DUPLICATES_DETECTED took its first record, here a converted Lead (modified
        // last), so the transcript went to a Lead no one works any more instead of the live one.
        var orgClock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        using var org = new SalesforceEmulator(new SalesforceEmulatorOptions { TimeProvider = orgClock });
        org.AddDuplicateRule("Lead", DuplicateRuleAction.Block, "Email");
        var live = org.Insert("Lead", new { LastName = "Twin", Company = "Acme", Email = "twin@example.com" });
        orgClock.Advance(TimeSpan.FromMinutes(1));
        org.Insert("Lead", new { LastName = "Twin", Company = "Acme", Email = "twin@example.com", IsConverted = true });
        using var host = EmulatorExport.Create(org, NoEmailMatchingLeads, decorate: inner => new StrippingDuplicateIds(inner));

        var result = (await host.Exporter.ExportManyAsync([Conversation("dup-2", "twin@example.com", lastName: "Twin")]).ToListAsync()).Single();

        using var scope = new FluentAssertions.Execution.AssertionScope();
        result.Status.Should().Be(ExportStatus.Exported, result.Error?.Message);
        result.Person.Should().Be(new SalesforceRecordRef("Lead", live, RecordChange.Unchanged), "a converted Lead is never the person");
        org.Records("Task").Should().ContainSingle().Which.Text("WhoId").Should().Be(live);
    }

    [Fact]
    public async Task Duplicates_detected_without_ids_and_only_a_converted_lead_fail_with_the_engines_reason()
    {
        // Regression: the email look-up after DUPLICATES_DETECTED took a converted Lead as the person.
        _org.AddDuplicateRule("Lead", DuplicateRuleAction.Block, "Email");
        _org.Insert("Lead", new { LastName = "Twin", Company = "Acme", Email = "twin@example.com", IsConverted = true });
        var exporter = Host(NoEmailMatchingLeads, decorate: inner => new StrippingDuplicateIds(inner)).Exporter;

        var result = (await exporter.ExportManyAsync([Conversation("dup-3", "twin@example.com", lastName: "Twin")]).ToListAsync()).Single();

        using var scope = new FluentAssertions.Execution.AssertionScope();
        result.Status.Should().Be(ExportStatus.Failed);
        result.Error!.Message.Should().Contain("none was found by email", "a converted Lead is never the person");
        _org.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task A_conversation_whose_id_differs_only_in_case_does_not_update_the_other_conversations_task()
    {
        var exporter = Host().Exporter;

        var first = await exporter.ExportAsync(Conversation("AbC", "first@example.com", lastName: "First"));
        var second = await exporter.ExportAsync(Conversation("abc", "second@example.com", lastName: "Second"));

        using var scope = new FluentAssertions.Execution.AssertionScope();
        first.Activity!.Change.Should().Be(RecordChange.Created);
        second.Activity!.Change.Should().Be(RecordChange.Created, "'abc' and 'AbC' are different conversations");
        second.Activity.Id.Should().NotBe(first.Activity.Id);
        _org.Records("Task").Should().HaveCount(2);
        _org.Records("Contact").Should().HaveCount(2, "the second visitor is a new person, not the first conversation's");
        _org.Find("Task", first.Activity.Id)!.Text("WhoId").Should().Be(first.Person!.Id, "the first conversation's transcript stays on its own visitor");
    }

    [Fact]
    public async Task A_keyed_lookup_by_a_15_character_id_finds_the_record()
    {
        var contact = _org.Insert("Contact", new { LastName = "Known", Email = "known@example.com" });
        var host = Host();
        var client = host.Services.GetRequiredService<ISalesforceClient>();
        var reader = new ChunkReader(client, new OrgMetadataCache(TimeProvider.System), "org", TimeSpan.FromMinutes(5));

        var lookup = reader.LookupAsync(new SalesforceLookup { ObjectType = "Contact", Field = "Id", Value = contact[..15], Fields = ["Id", "Email"] }, CancellationToken.None).AsTask();
        await reader.RunAsync([lookup], CancellationToken.None);

        (await lookup).Should().ContainSingle("Salesforce matches a 15-character id to its record (and answers with the 18-character id)")
            .Which.GetString("Id").Should().Be(contact);
    }

    [Fact]
    public async Task A_rejected_activity_owner_falls_back_when_the_person_keeps_an_owner_the_sdk_does_not_know()
    {
        // A host's identity matcher returns the person without its fields (so its owner is unknown): the activity takes
        // the next owner of the chain, the default owner, which Salesforce rejects as inactive.
        var contact = _org.Insert("Contact", new { LastName = "Known", Email = "known@example.com" });
        var inactive = _org.SeedUser("gone@acme.test", active: false);
        var host = EmulatorExport.Create(_org, o =>
        {
            o.DefaultOwnerId = inactive;
            o.OwnerStrategies = [ChatToSalesforce.Ownership.OwnerStrategy.RecordOwner, ChatToSalesforce.Ownership.OwnerStrategy.DefaultOwner];
        }, build: b => b.UseIdentityMatcher<IdOnlyMatcher>());
        _hosts.Add(host);
        IdOnlyMatcher.ContactId = contact;

        var result = (await host.Exporter.ExportManyAsync([Conversation("own-1", "known@example.com")]).ToListAsync()).Single();

        result.Error.Should().BeNull();
        result.Status.Should().Be(ExportStatus.Exported, "the connecting user is always the last resort: an export never fails for want of an owner");
        _org.Records("Task").Should().ContainSingle().Which.Text("OwnerId").Should().Be(_org.IntegrationUserId);
    }

    private sealed class IdOnlyMatcher : ChatToSalesforce.Identity.IIdentityMatcher
    {
        public static string? ContactId { get; set; }

        public ValueTask<ChatToSalesforce.Identity.IdentityMatch> MatchAsync(ChatToSalesforce.Identity.IdentityMatchContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ChatToSalesforce.Identity.IdentityMatch.Found("Contact", ContactId!));
    }

    /// <summary>Lead mode matching visitors by phone only (the conversations have none): the org's duplicate rule on email decides.</summary>
    private static void NoEmailMatchingLeads(SalesforceChatExportOptions options)
    {
        options.Mode = ExportMode.LeadAndTask;
        options.Identity.Rules = [new ChatToSalesforce.Identity.IdentificationRule { Kind = ChatToSalesforce.Identity.IdentificationRuleKind.Phone }];
    }

    /// <summary>Answers DUPLICATES_DETECTED as an org whose duplicate rule reports no matched record ids.</summary>
    private sealed class StrippingDuplicateIds(ISalesforceClient inner) : ClientDecorator(inner)
    {
        private int _calls;

        public int WriteCalls => Volatile.Read(ref _calls);

        public override async Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            var batch = await Inner.WriteAsync(units, cancellationToken);
            return batch with
            {
                Units = batch.Units.Select(u => u with
                {
                    Operations = u.Operations.Select(o => o with { Errors = o.Errors.Select(e => e with { DuplicateRecordIds = [] }).ToList() }).ToList(),
                }).ToList(),
            };
        }
    }
}
