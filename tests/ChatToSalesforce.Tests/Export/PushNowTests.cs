using ChatToSalesforce.Testing;
using FluentAssertions;
using Xunit;

namespace ChatToSalesforce.Tests.Export;

/// <summary>
/// "Push now": an export during the conversation with per-call choices (person and activity objects, the agent as owner),
/// and the automatic export at close, which updates what the push wrote even in other objects than it would choose.
/// </summary>
public class PushNowTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_push_writes_the_chosen_person_and_activity_owned_by_the_chosen_agent()
    {
        using var org = new SalesforceEmulator();
        var clicking = org.SeedUser("clicking.agent@acme.test");
        org.SeedUser("chatting.agent@acme.test");
        using var host = EmulatorExport.Create(org);

        var pushed = await host.Exporter.ExportAsync(Chat(ended: null, "I want a quote"), new ConversationExportChoices { Mode = ExportMode.LeadAndCase, OwnerId = clicking });

        pushed.Person!.ObjectType.Should().Be("Lead");
        pushed.Activity!.ObjectType.Should().Be("Case");
        org.Records("Contact").Should().BeEmpty();
        org.Records("Task").Should().BeEmpty();
        org.Records("Lead").Should().ContainSingle().Which.Text("OwnerId").Should().Be(clicking);
        org.Records("Case").Should().ContainSingle().Which.Text("OwnerId").Should().Be(clicking);
        pushed.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task The_export_at_close_updates_the_pushed_Lead_and_Case_instead_of_writing_a_Contact_and_a_Task()
    {
        using var org = new SalesforceEmulator();
        var clicking = org.SeedUser("clicking.agent@acme.test");
        using var host = EmulatorExport.Create(org, o => // configured: ContactAndTask
        {
            o.Transcript.ClosedCaseStatus = "Closed";
            o.Actions.FollowPushedExports = true;
        });

        var pushed = await host.Exporter.ExportAsync(Chat(ended: null, "I want a quote"), new ConversationExportChoices { Mode = ExportMode.LeadAndCase, OwnerId = clicking });
        var closed = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(9), "I want a quote", "Here it is"));

        closed.Status.Should().Be(ExportStatus.Exported);
        closed.Person!.Id.Should().Be(pushed.Person!.Id);
        closed.Activity!.Id.Should().Be(pushed.Activity!.Id);
        closed.Activity.Change.Should().Be(RecordChange.Updated);
        org.Records("Contact").Should().BeEmpty("the pushed Lead is the visitor");
        org.Records("Task").Should().BeEmpty("the pushed Case is the activity");
        var @case = org.Records("Case").Should().ContainSingle().Subject;
        @case.Text("Description").Should().Contain("Here it is");
        @case.Text("Status").Should().Be("Closed");
        org.Records("Lead").Should().ContainSingle();
    }

    [Fact]
    public async Task A_batch_at_close_follows_pushes_as_a_single_export_does()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Actions.FollowPushedExports = true);
        await host.Exporter.ExportAsync(Chat(ended: null, "Hello", id: "p1", email: "p1@example.com"), new ConversationExportChoices { Mode = ExportMode.ContactAndCase });
        await host.Exporter.ExportAsync(Chat(ended: null, "Hello", id: "p2", email: "p2@example.com"), new ConversationExportChoices { Mode = ExportMode.LeadAndTask });

        var results = await host.Exporter.ExportManyAsync(
        [
            Chat(ended: Start.AddMinutes(5), "Hello", id: "p1", email: "p1@example.com"),
            Chat(ended: Start.AddMinutes(5), "Hello", id: "p2", email: "p2@example.com"),
            Chat(ended: Start.AddMinutes(5), "Hello", id: "p3", email: "p3@example.com"),
        ]).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results[0].Activity!.ObjectType.Should().Be("Case");
        results[0].Activity!.Change.Should().Be(RecordChange.Updated);
        results[1].Person!.ObjectType.Should().Be("Lead");
        results[1].Activity!.Change.Should().Be(RecordChange.Updated);
        results[2].Activity!.ObjectType.Should().Be("Task", "a conversation nobody pushed is exported as configured");
        results[2].Activity!.Change.Should().Be(RecordChange.Created);
        org.Records("Case").Should().ContainSingle();
        org.Records("Lead").Should().ContainSingle();
        org.Records("Contact").Should().HaveCount(2, "p1's pushed Contact and p3's new one");
        org.Records("Task").Should().HaveCount(2, "p2's pushed Task and p3's new one");
    }

    [Fact]
    public async Task Following_a_push_costs_no_extra_call_when_the_pushed_objects_are_described()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Actions.FollowPushedExports = true);
        await host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { Mode = ExportMode.ContactAndCase });

        var closed = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello", "Bye"));

        closed.Activity!.ObjectType.Should().Be("Case");
        closed.ApiCalls.Should().Be(2, "one read (the Case found by its marker with the identity reads) and one write");
    }

    [Fact]
    public async Task Pushing_twice_with_the_same_choices_updates_the_same_records()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org);
        var choices = new ConversationExportChoices { Mode = ExportMode.ContactAndCase };

        var first = await host.Exporter.ExportAsync(Chat(ended: null, "Hello"), choices);
        var second = await host.Exporter.ExportAsync(Chat(ended: null, "Hello", "More"), choices);

        second.Activity!.Id.Should().Be(first.Activity!.Id);
        org.Records("Case").Should().ContainSingle();
        org.Records("Contact").Should().ContainSingle();
    }

    [Fact]
    public async Task A_rejected_chosen_owner_falls_back_to_the_connecting_user()
    {
        using var org = new SalesforceEmulator();
        var gone = org.SeedUser("gone.agent@acme.test", active: false);
        using var host = EmulatorExport.Create(org);

        var pushed = await host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { OwnerId = gone });

        pushed.Status.Should().Be(ExportStatus.Exported);
        org.Records("Task").Should().ContainSingle().Which.Text("OwnerId").Should().Be(org.IntegrationUserId);
        pushed.Warnings.Should().Contain(w => w.Contains("owner", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task With_a_conversation_id_field_following_pushes_is_opt_in_and_then_works()
    {
        using var org = new SalesforceEmulator();
        SingleExportTests.DefineKeys(org);
        org.DefineField("Event", new EmulatorField { Name = "Chat_Conversation_Id__c", Length = 80, ExternalId = true, Unique = true });
        using var host = EmulatorExport.Create(org, o =>
        {
            o.ConversationIdField = "Chat_Conversation_Id__c";
            o.Actions.FollowPushedExports = true;
        });

        var pushed = await host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { Mode = ExportMode.ContactAndEvent });
        var closed = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello", "Bye"));

        closed.Activity!.Id.Should().Be(pushed.Activity!.Id);
        org.Records("Event").Should().ContainSingle().Which.Text("Subject").Should().EndWith("[chat chat-push-1]");
        org.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task A_push_that_keeps_the_activity_object_is_followed_by_default_with_its_person()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org); // configured: ContactAndTask
        var pushed = await host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { Mode = ExportMode.LeadAndTask });

        var closed = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello", "Bye"));

        closed.Person!.Id.Should().Be(pushed.Person!.Id);
        closed.Person.ObjectType.Should().Be("Lead");
        closed.Activity!.Id.Should().Be(pushed.Activity!.Id);
        closed.ApiCalls.Should().Be(2, "the Task found by its marker names the Lead; no other read is needed");
        org.Records("Contact").Should().BeEmpty();
        org.Records("Task").Should().ContainSingle().Which.Text("Description").Should().Contain("Bye");
    }

    [Fact]
    public async Task A_Case_of_the_configured_mode_that_lost_its_Contact_is_updated_for_a_Contact_not_taken_for_a_Lead()
    {
        // Regression: only a Case pushed into another activity object than the configured one says "Lead" by having no Contact.
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o =>
        {
            o.Mode = ExportMode.ContactAndCase;
            o.Actions.FollowPushedExports = true;
        });
        var first = await host.Exporter.ExportAsync(Chat(ended: null, "Hello"));
        org.Update(first.Activity!.Id, new Dictionary<string, object?> { ["ContactId"] = null });

        var again = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello", "Bye"));

        again.Activity!.Id.Should().Be(first.Activity.Id);
        again.Person!.ObjectType.Should().Be("Contact");
        org.Records("Lead").Should().BeEmpty();
        org.Records("Case").Should().ContainSingle().Which.Text("ContactId").Should().Be(first.Person!.Id);
    }

    [Fact]
    public async Task With_a_conversation_id_field_and_following_on_the_close_keeps_the_pushed_Lead_of_the_same_Task()
    {
        using var org = new SalesforceEmulator();
        SingleExportTests.DefineKeys(org);
        using var host = EmulatorExport.Create(org, o =>
        {
            o.ConversationIdField = "Chat_Conversation_Id__c";
            o.Actions.FollowPushedExports = true;
        });
        var pushed = await host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { Mode = ExportMode.LeadAndTask });

        var closed = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello", "Bye"));

        closed.Person!.Id.Should().Be(pushed.Person!.Id);
        closed.Activity!.Id.Should().Be(pushed.Activity!.Id);
        org.Records("Contact").Should().BeEmpty();
        org.Records("Task").Should().ContainSingle().Which.Text("WhoId").Should().Be(pushed.Person.Id);
    }

    [Fact]
    public async Task By_default_a_push_into_another_activity_object_is_not_searched_for()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org);
        await host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { Mode = ExportMode.ContactAndCase });

        await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello", "Bye"));

        org.Records("Case").Should().ContainSingle();
        org.Records("Task").Should().ContainSingle();
    }

    [Fact]
    public async Task An_org_where_the_integration_user_cannot_read_Cases_still_exports()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Actions.FollowPushedExports = true, decorate: inner => new NoCaseAccess(inner));

        var result = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello"));

        result.Status.Should().Be(ExportStatus.Exported);
        org.Records("Task").Should().ContainSingle();
    }

    [Theory]
    [InlineData(ExportMode.Record, "Mode 'Record' cannot be used for one export")]
    [InlineData((ExportMode)42, "Mode '42' cannot be used for one export")]
    public async Task A_mode_without_a_person_and_an_activity_is_refused_before_any_call(ExportMode mode, string message)
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org);

        var act = () => host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { Mode = mode });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(message).And.Contain("ContactAndTask");
        org.ApiCallsUsed.Should().Be(0);
    }

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("003000000000001AAA")]
    [InlineData("005'; DELETE")]
    public async Task An_owner_that_is_not_a_User_id_is_refused_before_any_call(string owner)
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org);

        var act = () => host.Exporter.ExportAsync(Chat(ended: null, "Hello"), new ConversationExportChoices { OwnerId = owner });

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.Message.Should().Contain("not a Salesforce User id").And.NotContain(owner, "the value is the caller's data");
        org.ApiCallsUsed.Should().Be(0);
    }

    [Fact]
    public void Choices_print_no_values()
    {
        new ConversationExportChoices { Mode = ExportMode.LeadAndCase, OwnerId = "005000000000001AAA" }.ToString()
            .Should().Be("ConversationExportChoices { Mode = LeadAndCase, Owner = chosen }");
    }

    internal static Conversation Chat(DateTimeOffset? ended, string text, string? reply = null, string id = "chat-push-1", string email = "ada@example.com") => new()
    {
        Id = id,
        Channel = "web",
        StartedAt = Start,
        EndedAt = ended,
        Visitor = new ChatVisitor { FirstName = "Ada", LastName = "Lovelace", Email = email, Company = "Analytical Engines" },
        Agent = new ChatAgent { Name = "Chatting Agent", Email = "chatting.agent@acme.test" },
        Messages = new[] { text, reply }.Where(t => t is not null).Select((t, i) => new ChatMessage { Role = i % 2 == 0 ? ChatRole.Visitor : ChatRole.Agent, Text = t!, SentAt = Start.AddMinutes(i + 1) }).ToArray(),
    };

    /// <summary>An integration user without access to Cases: Salesforce answers a query on them with INVALID_TYPE.</summary>
    private sealed class NoCaseAccess(ChatToSalesforce.Salesforce.ISalesforceClient inner) : ClientDecorator(inner)
    {
        public override async Task<ChatToSalesforce.Salesforce.SalesforceReadBatchResult> ReadAsync(IReadOnlyList<ChatToSalesforce.Salesforce.SalesforceRead> reads, CancellationToken cancellationToken = default)
        {
            var answer = await Inner.ReadAsync(reads, cancellationToken);
            var results = answer.Results.Select((r, i) => reads[i].Text.Contains(" FROM Case ", StringComparison.Ordinal)
                ? new ChatToSalesforce.Salesforce.SalesforceReadResult { Error = new SalesforceApiException(System.Net.HttpStatusCode.BadRequest, "INVALID_TYPE", "sObject type 'Case' is not supported.", []) }
                : r).ToList();
            return answer with { Results = results };
        }
    }
}
