using ChatToSalesforce.Identity;
using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Recipes;

/// <summary>docs/recipes.md, "Qualified": Leads created or updated, Contacts updated, CampaignMember, Task or Event.</summary>
public sealed class QualifiedRecipeTests
{
    private string _campaign = null!;

    private EmulatorHost Host(Action<SalesforceEmulator>? seed = null, Action<SalesforceChatExportOptions>? variant = null) => EmulatorHost.Create(
        o =>
        {
            o.Mode = ExportMode.LeadAndTask;
            o.Identity.Precedence = PersonPrecedence.LeadThenContact;
            o.UpdatePolicy = UpdatePolicy.FillBlanks;
            o.CampaignId = _campaign;
            o.CampaignMemberStatus = "Responded";
            o.FieldMappings.Add(new FieldMapping { Value = "Chat", Target = "Lead.LeadSource" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.requestPage", Target = "Lead.Website_Chat_Page__c" });
            variant?.Invoke(o);
        },
        e =>
        {
            e.DefineField("Lead", new EmulatorField { Name = "Website_Chat_Page__c", Type = EmulatorFieldType.Url });
            _campaign = e.Insert("Campaign", new { Name = "Spring webinar" });
            seed?.Invoke(e);
        });

    private static readonly Uri Pricing = new("https://www.acme.example/pricing");

    [Fact]
    public async Task NewVisitor_CreatesLeadWithPlaceholderCompany_TaskAndCampaignMember_InTwoCalls()
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New(requestPage: Pricing));

        result.Status.Should().Be(ExportStatus.Exported, result.SkipReason);
        result.ApiCalls.Should().Be(2);
        host.Emulator.ApiCallsUsed.Should().Be(2);
        result.Person!.Change.Should().Be(RecordChange.Created);
        result.Person.ObjectType.Should().Be("Lead");
        var lead = host.Emulator.Records("Lead").Should().ContainSingle().Subject;
        lead.Text("LastName").Should().Be("Lovelace");
        lead.Text("FirstName").Should().Be("Ada");
        lead.Text("Company").Should().Be("[not provided]");
        lead.Text("LeadSource").Should().Be("Chat");
        lead.Text("Website_Chat_Page__c").Should().Be(Pricing.ToString());
        var member = host.Emulator.Records("CampaignMember").Should().ContainSingle().Subject;
        member.Text("CampaignId").Should().Be(_campaign);
        member.Text("LeadId").Should().Be(lead.Text("Id"));
        member.Text("Status").Should().Be("Responded");
        host.Emulator.Get("Task", result.Activity!.Id).Text("WhoId").Should().Be(lead.Text("Id"));
        host.Emulator.Records("Contact").Should().BeEmpty();
    }

    [Fact]
    public async Task ExistingLead_FillBlanks_FillsBlankFields_KeepsFilledOnesAndLeadSource()
    {
        string lead = null!;
        await using var host = Host(e => lead = e.Insert("Lead", new { LastName = "Lovelace", Email = "ada@example.com", Company = "Analytical Engines Ltd", LeadSource = "Web" }));

        var result = await host.Exporter.ExportAsync(Chats.New(visitor: new ChatVisitor
        {
            FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", Phone = "+44 20 7946 0000", Company = "Somebody Else Inc",
        }, requestPage: Pricing));

        result.Person.Should().Be(new SalesforceRecordRef("Lead", lead, RecordChange.Updated));
        var record = host.Emulator.Get("Lead", lead);
        record.Text("FirstName").Should().Be("Ada");
        record.Text("Phone").Should().Be("+44 20 7946 0000");
        record.Text("Website_Chat_Page__c").Should().Be(Pricing.ToString());
        record.Text("Company").Should().Be("Analytical Engines Ltd");
        record.Text("LeadSource").Should().Be("Web");
        host.Emulator.Records("Lead").Should().ContainSingle();
        host.Emulator.Records("CampaignMember").Should().ContainSingle().Which.Text("LeadId").Should().Be(lead);
    }

    [Fact]
    public async Task ExistingContact_IsUpdated_AndJoinsTheCampaignAsContact()
    {
        string contact = null!;
        await using var host = Host(e => contact = e.Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com" }));

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Updated));
        host.Emulator.Get("Contact", contact).Text("FirstName").Should().Be("Ada");
        host.Emulator.Records("Lead").Should().BeEmpty();
        host.Emulator.Records("CampaignMember").Should().ContainSingle().Which.Text("ContactId").Should().Be(contact);
        host.Emulator.Get("Task", result.Activity!.Id).Text("WhoId").Should().Be(contact);
    }

    [Fact]
    public async Task SecondExport_AlreadyACampaignMember_IsSuccessWithWarning_AndCostsOneMoreCall()
    {
        await using var host = Host();
        var first = await host.Exporter.ExportAsync(Chats.New(id: "chat-1"));
        var before = host.Emulator.ApiCallsUsed;

        var second = await host.Exporter.ExportAsync(Chats.New(id: "chat-2"));

        second.Status.Should().Be(ExportStatus.Exported);
        second.Person!.Id.Should().Be(first.Person!.Id);
        second.Warnings.Should().Contain("The person is already a member of the campaign.");
        second.ApiCalls.Should().Be(3);
        (host.Emulator.ApiCallsUsed - before).Should().Be(3);
        host.Emulator.Records("CampaignMember").Should().ContainSingle();
        host.Emulator.Records("Lead").Should().ContainSingle();
        host.Emulator.Records("Task").Should().HaveCount(2).And.OnlyContain(t => t.Text("WhoId") == first.Person.Id);
    }

    [Fact]
    public async Task LeadAndEvent_EventSpansTheConversation()
    {
        await using var host = Host(variant: o => o.Mode = ExportMode.LeadAndEvent);

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.ApiCalls.Should().Be(2);
        result.Activity!.ObjectType.Should().Be("Event");
        var ev = host.Emulator.Get("Event", result.Activity.Id);
        DateTimeOffset.Parse(ev.Text("StartDateTime")!).Should().Be(Chats.Start);
        DateTimeOffset.Parse(ev.Text("EndDateTime")!).Should().Be(Chats.Start.AddMinutes(12));
        ev.Text("WhoId").Should().Be(result.Person!.Id);
        ev.Text("Description").Should().Contain("Conversation: chat-1");
        host.Emulator.Records("CampaignMember").Should().ContainSingle();
    }

    [Fact]
    public async Task LeadAndEvent_BookedMeeting_MappedTimesOverrideTheChatSpan()
    {
        await using var host = Host(variant: o =>
        {
            o.Mode = ExportMode.LeadAndEvent;
            o.Transcript.SubjectTemplate = "Meeting booked via chat with {visitor}";
            o.FieldMappings.Add(new FieldMapping { Source = "custom:meetingStart", Target = "Event.StartDateTime" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:meetingEnd", Target = "Event.EndDateTime" });
        });

        var result = await host.Exporter.ExportAsync(Chats.New(custom: new Dictionary<string, string?>
        {
            ["meetingStart"] = "2026-11-05T15:00:00+01:00",
            ["meetingEnd"] = "2026-11-05T15:30:00+01:00",
        }));

        var ev = host.Emulator.Get("Event", result.Activity!.Id);
        DateTimeOffset.Parse(ev.Text("StartDateTime")!).Should().Be(new DateTimeOffset(2026, 11, 5, 14, 0, 0, TimeSpan.Zero));
        DateTimeOffset.Parse(ev.Text("EndDateTime")!).Should().Be(new DateTimeOffset(2026, 11, 5, 14, 30, 0, TimeSpan.Zero));
        ev.Text("Subject").Should().Be("Meeting booked via chat with Ada Lovelace [chat chat-1]", "the subject ends with the conversation's marker, which finds the Event again on a re-export");
    }
}
