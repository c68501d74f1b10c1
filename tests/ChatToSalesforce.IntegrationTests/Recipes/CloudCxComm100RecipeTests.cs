using ChatToSalesforce.Identity;
using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Recipes;

/// <summary>docs/recipes.md, "CloudCX / Comm100": sales mode (Lead + Task) and support mode (Contact + Case), update policies, rules.</summary>
public sealed class CloudCxComm100RecipeTests
{
    private const string AgentEmail = "sam.agent@acme.example";
    private static readonly Uri Page = new("https://shop.acme.example/checkout");
    private string _agent = null!;

    private EmulatorHost SalesHost(Action<SalesforceEmulator>? seed = null, Action<SalesforceChatExportOptions>? variant = null) => EmulatorHost.Create(
        o =>
        {
            o.Mode = ExportMode.LeadAndTask;
            o.UpdatePolicy = UpdatePolicy.Never;
            o.OwnerStrategies = [OwnerStrategy.AgentUser, OwnerStrategy.ConnectingUser];
            o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Email }, new IdentificationRule { Kind = IdentificationRuleKind.Phone }];
            o.Identity.RequiredSources = ["visitor.lastName"];
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.id", Target = "Task.Comm100_Chat_Id__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.notes", Target = "Task.Chat_Notes__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.wrapUp", Target = "Task.Chat_Wrap_Up__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.startedAt", Target = "Task.Chat_Start__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.endedAt", Target = "Task.Chat_End__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.requestPage", Target = "Task.Chat_Request_Page__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Product Interest", Target = "Lead.Product_Interest__c" });
            variant?.Invoke(o);
        },
        e =>
        {
            e.DefineField("Task", new EmulatorField { Name = "Comm100_Chat_Id__c" });
            e.DefineField("Task", new EmulatorField { Name = "Chat_Notes__c", Type = EmulatorFieldType.TextArea });
            e.DefineField("Task", new EmulatorField { Name = "Chat_Wrap_Up__c" });
            e.DefineField("Task", new EmulatorField { Name = "Chat_Start__c", Type = EmulatorFieldType.DateTime });
            e.DefineField("Task", new EmulatorField { Name = "Chat_End__c", Type = EmulatorFieldType.DateTime });
            e.DefineField("Task", new EmulatorField { Name = "Chat_Request_Page__c", Type = EmulatorFieldType.Url });
            e.DefineField("Lead", new EmulatorField { Name = "Product_Interest__c" });
            _agent = e.SeedUser(AgentEmail);
            seed?.Invoke(e);
        });

    private EmulatorHost SupportHost(UpdatePolicy policy, Action<SalesforceEmulator>? seed = null, Action<SalesforceChatExportOptions>? variant = null) => EmulatorHost.Create(
        o =>
        {
            o.Mode = ExportMode.ContactAndCase;
            o.UpdatePolicy = policy;
            o.ProtectedFields = ["OwnerId", "Email"];
            o.OwnerStrategies = [OwnerStrategy.AgentUser, OwnerStrategy.ConnectingUser];
            o.ConversationIdField = "Chat_Conversation_Id__c";
            o.Identity.Rules =
            [
                new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Field = "Customer_Number__c", Source = "custom:customerNumber" },
                new IdentificationRule
                {
                    Kind = IdentificationRuleKind.Soql,
                    Soql = "SELECT Id, OwnerId, Email FROM Contact WHERE Email = {!visitor.email} OR Secondary_Email__c = {!visitor.email} ORDER BY LastModifiedDate DESC LIMIT 1",
                },
                new IdentificationRule { Kind = IdentificationRuleKind.Phone, Field = "Phone" },
            ];
            o.Identity.MultipleMatches = MultipleMatchPolicy.Skip;
            o.Transcript.CaseOrigin = "Chat";
            o.Transcript.SubjectTemplate = "{channel} support chat with {visitor}";
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.requestPage", Target = "Case.Chat_Request_Page__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Order Number", Target = "Case.Order_Number__c" });
            variant?.Invoke(o);
        },
        e =>
        {
            e.DefineField("Contact", new EmulatorField { Name = "Customer_Number__c", ExternalId = true, Unique = true });
            e.DefineField("Contact", new EmulatorField { Name = "Secondary_Email__c", Type = EmulatorFieldType.Email });
            e.DefineField("Lead", new EmulatorField { Name = "Customer_Number__c", ExternalId = true, Unique = true });
            e.DefineField("Case", new EmulatorField { Name = "Chat_Request_Page__c", Type = EmulatorFieldType.Url });
            e.DefineField("Case", new EmulatorField { Name = "Order_Number__c" });
            e.DefineField("Case", new EmulatorField { Name = "Chat_Conversation_Id__c", ExternalId = true, Unique = true });
            _agent = e.SeedUser(AgentEmail);
            seed?.Invoke(e);
        });

    // ---- sales mode ----

    [Fact]
    public async Task Sales_NewVisitor_CreatesLeadAndTaskWithTheChatFields_OwnedByTheAgent_InTwoCalls()
    {
        await using var host = SalesHost();

        var result = await host.Exporter.ExportAsync(Chats.New(agentEmail: AgentEmail, notes: "Asked about bulk pricing", wrapUp: "Quote sent", requestPage: Page,
            custom: new Dictionary<string, string?> { ["Product Interest"] = "Widgets" },
            visitor: new ChatVisitor { Name = "Ada Lovelace", Email = "ada@example.com", Phone = "+1 (555) 123-4567", Company = "Engines Ltd" }));

        result.Status.Should().Be(ExportStatus.Exported, result.SkipReason);
        result.ApiCalls.Should().Be(2);
        host.Emulator.ApiCallsUsed.Should().Be(2);
        result.OwnerId.Should().Be(_agent);
        var lead = host.Emulator.Records("Lead").Should().ContainSingle().Subject;
        lead.Text("Company").Should().Be("Engines Ltd");
        lead.Text("Phone").Should().Be("+1 (555) 123-4567");
        lead.Text("Product_Interest__c").Should().Be("Widgets");
        lead.Text("OwnerId").Should().Be(_agent);
        var task = host.Emulator.Get("Task", result.Activity!.Id);
        task.Text("WhoId").Should().Be(lead.Text("Id"));
        task.Text("OwnerId").Should().Be(_agent);
        task.Text("Comm100_Chat_Id__c").Should().Be("chat-1");
        task.Text("Chat_Notes__c").Should().Be("Asked about bulk pricing");
        task.Text("Chat_Wrap_Up__c").Should().Be("Quote sent");
        DateTimeOffset.Parse(task.Text("Chat_Start__c")!).Should().Be(Chats.Start);
        DateTimeOffset.Parse(task.Text("Chat_End__c")!).Should().Be(Chats.Start.AddMinutes(12));
        task.Text("Chat_Request_Page__c").Should().Be(Page.ToString());
        host.Emulator.Composites().Last().Subrequests.Where(s => s.Method is "POST" or "PATCH").Should().NotBeEmpty().And.OnlyContain(s => s.AutoAssign == "FALSE");
    }

    [Fact]
    public async Task Sales_UnknownAgent_ConnectingUserOwns_AndNoAutoAssignHeaderIsSent()
    {
        await using var host = SalesHost();

        var result = await host.Exporter.ExportAsync(Chats.New(agentEmail: "temp.agent@acme.example"));

        result.OwnerId.Should().BeNull();
        host.Emulator.Get("Lead", result.Person!.Id).Text("OwnerId").Should().Be(host.Emulator.IntegrationUserId);
        host.Emulator.Get("Task", result.Activity!.Id).Text("OwnerId").Should().Be(host.Emulator.IntegrationUserId);
        host.Emulator.Composites().Last().AutoAssign.Should().BeNull();
    }

    [Fact]
    public async Task Sales_PhoneRule_FormattedNumberMatchesStoredNumber_NeverLeavesTheLeadUntouched()
    {
        string lead = null!;
        await using var host = SalesHost(e => lead = e.Insert("Lead", new { LastName = "Lovelace", Company = "Engines Ltd", Phone = "555-123-4567" }));
        var stored = host.Emulator.Get("Lead", lead).ToJsonString();

        var result = await host.Exporter.ExportAsync(Chats.New(agentEmail: AgentEmail,
            custom: new Dictionary<string, string?> { ["Product Interest"] = "Widgets" },
            visitor: new ChatVisitor { Name = "Ada Lovelace", Email = "ada.new@example.com", Phone = "+1 (555) 123-4567" }));

        result.Person.Should().Be(new SalesforceRecordRef("Lead", lead, RecordChange.Unchanged));
        host.Emulator.Get("Lead", lead).ToJsonString().Should().Be(stored);
        host.Emulator.Records("Lead").Should().ContainSingle();
        host.Emulator.Get("Task", result.Activity!.Id).Text("WhoId").Should().Be(lead);
        result.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task Sales_PhoneRule_DifferentNumberWithTheSameLastFourDigits_DoesNotMatch()
    {
        await using var host = SalesHost(e => e.Insert("Lead", new { LastName = "Other", Company = "Other Ltd", Phone = "555-999-4567" }));

        var result = await host.Exporter.ExportAsync(Chats.New(visitor: new ChatVisitor { Name = "Ada Lovelace", Email = "ada@example.com", Phone = "+1 (555) 123-4567" }));

        result.Person!.Change.Should().Be(RecordChange.Created);
        host.Emulator.Records("Lead").Should().HaveCount(2);
    }

    [Fact]
    public async Task Sales_NoEmail_KnownByPhoneOnly_IsStillExported()
    {
        await using var host = SalesHost();

        var result = await host.Exporter.ExportAsync(Chats.New(visitor: new ChatVisitor { Name = "Ada Lovelace", Phone = "+1 (555) 123-4567" }));

        result.Status.Should().Be(ExportStatus.Exported, result.SkipReason);
        host.Emulator.Get("Lead", result.Person!.Id).Text("Email").Should().BeNull();
    }

    // ---- support mode ----

    private static Conversation SupportChat(string? customerNumber = "C-1001", string email = "ada@example.com", string? phone = "+1 (555) 123-4567", string first = "Ada") =>
        Chats.New(agentEmail: AgentEmail, requestPage: Page, visitor: new ChatVisitor { FirstName = first, LastName = "Lovelace", Email = email, Phone = phone },
            custom: new Dictionary<string, string?> { ["customerNumber"] = customerNumber, ["Order Number"] = "SO-42" });

    [Fact]
    public async Task Support_NewVisitor_CreatesContactAndCaseWithOriginSuppliedDetailsAndContactLink()
    {
        await using var host = SupportHost(UpdatePolicy.Overwrite);

        var result = await host.Exporter.ExportAsync(SupportChat());

        result.Status.Should().Be(ExportStatus.Exported, result.SkipReason);
        result.ApiCalls.Should().Be(2);
        host.Emulator.ApiCallsUsed.Should().Be(2);
        var contact = host.Emulator.Records("Contact").Should().ContainSingle().Subject;
        contact.Text("OwnerId").Should().Be(_agent);
        var @case = host.Emulator.Get("Case", result.Activity!.Id);
        result.Activity.Should().Be(new SalesforceRecordRef("Case", @case.Text("Id")!, RecordChange.Created));
        @case.Text("Origin").Should().Be("Chat");
        @case.Text("SuppliedEmail").Should().Be("ada@example.com");
        @case.Text("SuppliedName").Should().Be("Ada Lovelace");
        @case.Text("SuppliedPhone").Should().Be("+1 (555) 123-4567");
        @case.Text("ContactId").Should().Be(contact.Text("Id"));
        @case.Text("OwnerId").Should().Be(_agent);
        @case.Text("Subject").Should().Be("web support chat with Ada Lovelace [chat chat-1]", "the template, then the marker (also with a conversation id field)");
        @case.Text("Order_Number__c").Should().Be("SO-42");
        @case.Text("Chat_Request_Page__c").Should().Be(Page.ToString());
        @case.Text("Chat_Conversation_Id__c").Should().Be("chat-1");
        @case.Text("Description").Should().Contain("Conversation: chat-1");
        host.Emulator.Composites().Last().Subrequests.Where(s => s.Method is "POST" or "PATCH").Should().NotBeEmpty().And.OnlyContain(s => s.AutoAssign == "FALSE");
    }

    private static object Existing(string? phone = "111-000-0000", string first = "Adelaide") =>
        new { FirstName = first, LastName = "Lovelace", Email = "ada.old@example.com", Phone = phone, Customer_Number__c = "C-1001" };

    [Fact]
    public async Task Support_ExternalIdRule_Never_LeavesTheExistingContactUntouched()
    {
        string contact = null!;
        await using var host = SupportHost(UpdatePolicy.Never, e => contact = e.Insert("Contact", Existing()));
        var stored = host.Emulator.Get("Contact", contact).ToJsonString();

        var result = await host.Exporter.ExportAsync(SupportChat());

        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Unchanged));
        host.Emulator.Get("Contact", contact).ToJsonString().Should().Be(stored);
        host.Emulator.Get("Case", result.Activity!.Id).Text("ContactId").Should().Be(contact);
    }

    [Fact]
    public async Task Support_ExternalIdRule_Overwrite_ChangesMappedFieldsButNotProtectedEmailOrOwner()
    {
        string contact = null!;
        string owner = null!;
        await using var host = SupportHost(UpdatePolicy.Overwrite, e =>
        {
            owner = e.SeedUser("account.manager@acme.example");
            contact = e.Insert("Contact", new { FirstName = "Adelaide", LastName = "Lovelace", Email = "ada.old@example.com", Phone = "111-000-0000", Customer_Number__c = "C-1001", OwnerId = owner });
        });

        var result = await host.Exporter.ExportAsync(SupportChat());

        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Updated));
        var record = host.Emulator.Get("Contact", contact);
        record.Text("FirstName").Should().Be("Ada");
        record.Text("Phone").Should().Be("+1 (555) 123-4567");
        record.Text("Email").Should().Be("ada.old@example.com");
        record.Text("OwnerId").Should().Be(owner);
        host.Emulator.Records("Contact").Should().ContainSingle();
    }

    [Fact]
    public async Task Support_ExternalIdRule_FillBlanks_FillsOnlyBlankFields()
    {
        string contact = null!;
        await using var host = SupportHost(UpdatePolicy.FillBlanks, e => contact = e.Insert("Contact", Existing(phone: null)));

        var result = await host.Exporter.ExportAsync(SupportChat());

        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Updated));
        var record = host.Emulator.Get("Contact", contact);
        record.Text("Phone").Should().Be("+1 (555) 123-4567");
        record.Text("FirstName").Should().Be("Adelaide");
        record.Text("Email").Should().Be("ada.old@example.com");
    }

    [Fact]
    public async Task Support_SoqlRule_BindsVisitorEmail_MatchesOnTheSecondaryEmail()
    {
        string contact = null!;
        await using var host = SupportHost(UpdatePolicy.Never, e => contact = e.Insert("Contact",
            new { LastName = "Lovelace", Email = "ada.work@acme.example", Secondary_Email__c = "ada@example.com" }));

        var result = await host.Exporter.ExportAsync(SupportChat(customerNumber: null, phone: null));

        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Unchanged));
        host.Emulator.Records("Contact").Should().ContainSingle();
        host.Emulator.Get("Case", result.Activity!.Id).Text("ContactId").Should().Be(contact);
    }

    [Fact]
    public async Task Support_SoqlRule_EmailWithAQuote_IsBoundAsAnEscapedLiteral()
    {
        string contact = null!;
        await using var host = SupportHost(UpdatePolicy.Never, e => contact = e.Insert("Contact", new { LastName = "O'Brien", Email = "o'brien@example.com" }));

        var result = await host.Exporter.ExportAsync(SupportChat(customerNumber: null, phone: null, email: "o'brien@example.com"));

        result.Person!.Id.Should().Be(contact);
        host.Emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task Support_PhoneRule_MatchesTheStoredFormat()
    {
        string contact = null!;
        await using var host = SupportHost(UpdatePolicy.Never, e => contact = e.Insert("Contact", new { LastName = "Lovelace", Phone = "555-123-4567" }));

        var result = await host.Exporter.ExportAsync(SupportChat(customerNumber: null, email: "unknown@example.com"));

        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Unchanged));
    }

    [Fact]
    public async Task Support_ReExport_UpdatesTheSameCase()
    {
        await using var host = SupportHost(UpdatePolicy.Overwrite);
        var first = await host.Exporter.ExportAsync(SupportChat());

        var second = await host.Exporter.ExportAsync(SupportChat());

        second.Activity.Should().Be(first.Activity! with { Change = RecordChange.Updated });
        host.Emulator.Records("Case").Should().ContainSingle();
        host.Emulator.Records("Contact").Should().ContainSingle();
    }

    [Fact]
    public async Task Support_ContactThenLead_SixReads_CostThreeCalls_AndALeadMatchGivesAnUnlinkedCase()
    {
        string lead = null!;
        await using var host = SupportHost(UpdatePolicy.Never, e => lead = e.Insert("Lead", new { LastName = "Lovelace", Company = "Engines", Customer_Number__c = "C-1001" }),
            o => o.Identity.Precedence = ChatToSalesforce.Identity.PersonPrecedence.ContactThenLead);

        var result = await host.Exporter.ExportAsync(SupportChat());

        result.ApiCalls.Should().Be(3);
        host.Emulator.ApiCallsUsed.Should().Be(3);
        result.Person.Should().Be(new SalesforceRecordRef("Lead", lead, RecordChange.Unchanged));
        var @case = host.Emulator.Get("Case", result.Activity!.Id);
        @case.Text("ContactId").Should().BeNull();
        @case.Text("SuppliedEmail").Should().Be("ada@example.com");
        host.Emulator.Records("Contact").Should().BeEmpty();
    }
}
