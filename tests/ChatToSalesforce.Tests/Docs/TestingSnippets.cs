using ChatToSalesforce.Identity;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ChatToSalesforce.Tests.Docs;

// The C# blocks of docs/testing.md, compiled (G22): the page's tests are tests here, and they run.

#region Snippet:testing-1
public sealed class MemberIdMatcherTests
{
    private readonly ISalesforceReader _reader = Substitute.For<ISalesforceReader>();

    [Fact]
    public async Task Matches_the_contact_with_the_member_id_before_trying_the_email()
    {
        Answer("Member_Id__c", "M-42", new SalesforceFieldValues { ["Id"] = "003000000000001AAA", ["OwnerId"] = "005000000000001AAA" });
        Answer("Email", "ann@example.com", new SalesforceFieldValues { ["Id"] = "003000000000002AAA" });

        var match = await new MemberIdMatcher().MatchAsync(Context(memberId: "M-42"), CancellationToken.None);

        match.Id.Should().Be("003000000000001AAA");
        match.Rule.Should().Be("member id");
    }

    [Fact]
    public async Task Skips_when_several_contacts_share_the_member_id()
    {
        Answer("Member_Id__c", "M-42", new SalesforceFieldValues { ["Id"] = "003000000000001AAA" }, new SalesforceFieldValues { ["Id"] = "003000000000003AAA" });
        Answer("Email", "ann@example.com");

        var match = await new MemberIdMatcher().MatchAsync(Context(memberId: "M-42"), CancellationToken.None);

        match.SkipReason.Should().NotBeNull();
    }

    [Fact]
    public async Task Starts_both_lookups_before_awaiting_either()
    {
        var pending = new TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>();
        _reader.LookupAsync(Arg.Any<SalesforceLookup>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<SalesforceFieldValues>>(pending.Task));

        var matching = new MemberIdMatcher().MatchAsync(Context(memberId: "M-42"), CancellationToken.None);

        _reader.ReceivedCalls().Should().HaveCount(2, "both lookups must go out in the same read round");
        pending.SetResult([]);
        (await matching).Id.Should().BeNull();
    }

    private void Answer(string field, string value, params SalesforceFieldValues[] records) =>
        _reader.LookupAsync(Arg.Is<SalesforceLookup>(l => l.Field == field && l.Value == value), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<SalesforceFieldValues>>(records));

    private IdentityMatchContext Context(string? memberId) => new()
    {
        Conversation = new Conversation
        {
            Id = "chat-1",
            Visitor = new ChatVisitor { Name = "Ann Lee", Email = "ann@example.com" },
            CustomFields = new Dictionary<string, string?> { ["memberId"] = memberId },
        },
        Options = new SalesforceChatExportOptions(),
        PersonObject = "Contact",
        Salesforce = _reader,
    };
}
#endregion

public sealed class DescribeAnswerTests
{
    private readonly ISalesforceReader _reader = Substitute.For<ISalesforceReader>();

    [Fact]
    public async Task CountryAwareMapper_WithADescribeAnswer_MapsTheDescribedFields()
    {
        #region Snippet:testing-2
        var contact = new SalesforceObjectDescription("Contact",
        [
            new SalesforceFieldDescription("LastName", "string", 80, Nillable: false, Createable: true, Updateable: true,
                DefaultedOnCreate: false, IsExternalId: false, IsRestrictedPicklist: false, PicklistValues: []),
            new SalesforceFieldDescription("MailingCountry", "string", 80, true, true, true, false, false, false, []),
        ]);
        _reader.DescribeAsync("Contact", Arg.Any<CancellationToken>()).Returns(new ValueTask<SalesforceObjectDescription>(contact));
        #endregion

        var map = await new CountryAwareMapper().MapAsync(new FieldMappingContext
        {
            Conversation = new Conversation
            {
                Visitor = new ChatVisitor { LastName = "Lee" },
                CustomFields = new Dictionary<string, string?> { ["country"] = "NL" },
            },
            Options = new SalesforceChatExportOptions(),
            PersonObject = "Contact",
            ActivityObject = null,
            Salesforce = _reader,
        }, CancellationToken.None);

        map.For("Contact").Select(f => f.Key).Should().Equal("LastName", "MailingCountry");
        map.Objects.Should().Equal("Contact");
    }
}

#region Snippet:testing-3
public sealed class ExportPipelineTests : IDisposable
{
    private readonly SalesforceEmulator _emulator = new();
    private readonly ServiceProvider _services;

    public ExportPipelineTests()
    {
        // the custom fields the configuration below uses
        _emulator.DefineField("Contact", new EmulatorField { Name = "Mongoose_Student_Type__c" });
        _emulator.DefineField("Task", new EmulatorField { Name = "Chat_Conversation_Id__c", ExternalId = true, Unique = true });

        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(options =>
        {
            options.InstanceUrl = _emulator.InstanceUrl;
            options.AllowTestEndpoint = true;   // harmless in-process; required for a loopback http URL
            options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            options.Authentication.AccessToken = _emulator.IssueAccessToken();
            options.Mode = ExportMode.ContactAndTask;
            options.ConversationIdField = "Chat_Conversation_Id__c";
            options.FieldMappings.Add(new FieldMapping { Source = "custom:Student Type", Target = "Contact.Mongoose_Student_Type__c" });
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => _emulator.CreateHandler());
        // builder.UseIdentityMatcher<MemberIdMatcher>();   // your custom stages, exactly as in production

        _services = services.BuildServiceProvider();
    }

    [Fact]
    public async Task Creates_the_contact_and_one_task_and_a_reexport_updates_it()
    {
        var exporter = _services.GetRequiredService<IConversationExporter>();
        var conversation = new Conversation
        {
            Id = "chat-1",
            StartedAt = DateTimeOffset.Parse("2026-11-21T14:00:00Z"),
            Visitor = new ChatVisitor { FirstName = "Ann", LastName = "Lee", Email = "ann@example.com" },
            Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello", SentAt = DateTimeOffset.Parse("2026-11-21T14:00:05Z") }],
            CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student" },
        };

        var first = await exporter.ExportAsync(conversation);
        var second = await exporter.ExportAsync(conversation);

        first.Status.Should().Be(ExportStatus.Exported);
        first.Person!.Change.Should().Be(RecordChange.Created);
        first.Activity!.Change.Should().Be(RecordChange.Created);
        first.ApiCalls.Should().BeLessThanOrEqualTo(2);

        second.Person!.Id.Should().Be(first.Person.Id);
        second.Activity!.Id.Should().Be(first.Activity.Id);
        second.Activity.Change.Should().Be(RecordChange.Updated);
    }

    // docs/testing.md, "Asserting org state": the org itself, through ISalesforceClient.
    [Fact]
    public async Task The_task_is_completed_and_linked_to_the_person()
    {
        var first = await _services.GetRequiredService<IConversationExporter>().ExportAsync(new Conversation
        {
            Id = "chat-1",
            StartedAt = DateTimeOffset.Parse("2026-11-21T14:00:00Z"),
            Visitor = new ChatVisitor { FirstName = "Ann", LastName = "Lee", Email = "ann@example.com" },
            CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student" },
        });

        #region Snippet:testing-4
        var client = _services.GetRequiredService<ISalesforceClient>();
        var tasks = await client.QueryAsync(
            $"SELECT Id, Subject, WhoId, Status FROM Task WHERE Chat_Conversation_Id__c = {Soql.Quote("chat-1")}");

        tasks.Records.Should().ContainSingle();
        tasks.Records[0].GetString("WhoId").Should().Be(first.Person!.Id);
        tasks.Records[0].GetString("Status").Should().Be("Completed");
        #endregion
    }

    public void Dispose() => _services.Dispose();
}
#endregion
