using Microsoft.Extensions.DependencyInjection;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Export;

/// <summary>Single exports (<c>ExportAsync</c>) against the emulator: outcomes, org state and API calls.</summary>
public sealed class SingleExportTests : IDisposable
{
    private readonly SalesforceEmulator _org = new();
    private EmulatorExport? _host;

    public void Dispose()
    {
        _host?.Dispose();
        _org.Dispose();
    }

    private IConversationExporter Exporter(Action<SalesforceChatExportOptions>? configure = null, Action<ISalesforceChatExportBuilder>? build = null)
    {
        _host?.Dispose();
        _host = EmulatorExport.Create(_org, configure, build);
        return _host.Exporter;
    }

    private long Calls => _org.ApiCallsUsed;

    [Fact]
    public async Task Null_conversation_throws_ArgumentNull()
    {
        var act = () => Exporter().ExportAsync(null!);

        await act.Should().ThrowAsync<ArgumentNullException>();
    }

    [Fact]
    public async Task No_id_is_skipped_without_calls()
    {
        var result = await Exporter().ExportAsync(TestData.Conversation(id: " "));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("no Id");
        Calls.Should().Be(0);
    }

    [Fact]
    public async Task A_filter_that_does_not_hold_skips_without_calls()
    {
        var exporter = Exporter(o => o.Filters = [new ExportCondition { Source = "custom:Student Type", Equals = "Future Student" }]);

        var result = await exporter.ExportAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["Student Type"] = "Alumni" }));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.ConversationId.Should().Be("conv-1");
        result.SkipReason.Should().StartWith("Filters[0]");
        result.ApiCalls.Should().Be(0);
        Calls.Should().Be(0);
    }

    [Fact]
    public async Task A_missing_email_is_skipped_without_calls()
    {
        var result = await Exporter().ExportAsync(TestData.Conversation(email: null));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("visitor.email");
        Calls.Should().Be(0);
    }

    [Fact]
    public async Task A_new_visitor_becomes_a_contact_and_a_completed_task_in_two_calls()
    {
        var result = await Exporter().ExportAsync(TestData.Conversation());

        Calls.Should().Be(2);
        result.ApiCalls.Should().Be(2);
        result.Status.Should().Be(ExportStatus.Exported);
        result.Person!.ObjectType.Should().Be("Contact");
        result.Person.Change.Should().Be(RecordChange.Created);
        result.Activity!.ObjectType.Should().Be("Task");
        result.Activity.Change.Should().Be(RecordChange.Created);
        result.OwnerId.Should().BeNull();
        var contact = _org.Records("Contact").Should().ContainSingle().Subject;
        contact.Id().Should().Be(result.Person.Id);
        (contact.Text("FirstName"), contact.Text("LastName"), contact.Text("Email")).Should().Be(("Ada", "Lovelace", "ada@example.com"));
        var task = _org.Records("Task").Should().ContainSingle().Subject;
        task.Id().Should().Be(result.Activity.Id);
        task.Text("WhoId").Should().Be(contact.Id());
        task.Text("Status").Should().Be("Completed");
    }

    [Theory]
    [InlineData(ExportMode.ContactAndTask, "Contact")]
    [InlineData(ExportMode.LeadAndTask, "Lead")]
    public async Task A_new_visitor_without_a_last_name_is_skipped_by_the_record_resolver_and_nothing_is_written(ExportMode mode, string person)
    {
        var exporter = Exporter(o =>
        {
            o.Mode = mode;
            o.Identity.RequiredSources = ["visitor.email"];
        });

        var result = await exporter.ExportAsync(TestData.Conversation(firstName: null, lastName: null));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Be($"No {person} matches the visitor and a new one needs a last name (visitor.lastName or visitor.name is missing); nothing was written.");
        _org.Records(person).Should().BeEmpty();
        _org.Records("Task").Should().BeEmpty();
        result.ApiCalls.Should().Be(1, "the lookup was read; nothing was written");
    }

    [Fact]
    public async Task An_existing_visitor_without_a_last_name_is_exported_the_rule_is_for_new_persons_only()
    {
        var contact = _org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com" });
        var exporter = Exporter(o => o.Identity.RequiredSources = ["visitor.email"]);

        var result = await exporter.ExportAsync(TestData.Conversation(firstName: null, lastName: null));

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person!.Id.Should().Be(contact);
        _org.Records("Task").Should().ContainSingle();
    }

    [Fact]
    public async Task A_custom_record_resolver_may_skip_and_the_export_reports_its_reason()
    {
        var exporter = Exporter(build: b => b.UseRecordResolver<SkippingRecordResolver>());

        var result = await exporter.ExportAsync(TestData.Conversation());

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Be("Only members are exported.");
        _org.Records("Contact").Should().BeEmpty();
        _org.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task An_existing_visitor_gets_the_task_in_two_calls_and_is_left_unchanged()
    {
        var contact = _org.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", Phone = "+1 555" });

        var result = await Exporter().ExportAsync(TestData.Conversation(email: "ADA@example.com "));

        Calls.Should().Be(2);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Unchanged));
        result.Activity!.Change.Should().Be(RecordChange.Created);
        _org.Records("Contact").Should().ContainSingle();
        _org.Records("Task").Single().Text("WhoId").Should().Be(contact);
    }

    [Fact]
    public async Task An_existing_visitor_with_blank_fields_has_them_filled_in_the_same_write()
    {
        var contact = _org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com" });

        var result = await Exporter().ExportAsync(TestData.Conversation(phone: "+44 20 7946 0958"));

        result.Person!.Change.Should().Be(RecordChange.Updated);
        result.ApiCalls.Should().Be(2);
        var updated = _org.Find("Contact", contact)!;
        (updated.Text("FirstName"), updated.Text("Phone"), updated.Text("LastName")).Should().Be(("Ada", "+44 20 7946 0958", "Lovelace"));
    }

    [Fact]
    public async Task An_agent_with_a_user_owns_the_records_and_the_user_is_read_in_the_same_round()
    {
        var agent = _org.SeedUser("grace@example.com");

        var result = await Exporter().ExportAsync(TestData.Conversation(agent: new ChatAgent { Name = "Grace", Email = "grace@example.com" }));

        Calls.Should().Be(2);
        result.OwnerId.Should().Be(agent);
        _org.Records("Contact").Single().Text("OwnerId").Should().Be(agent);
        _org.Records("Task").Single().Text("OwnerId").Should().Be(agent);
    }

    [Fact]
    public async Task A_warm_cache_still_costs_two_calls_for_a_new_visitor()
    {
        var exporter = Exporter();
        await exporter.ExportAsync(TestData.Conversation(id: "conv-1", email: "one@example.com"));
        var before = Calls;

        var result = await exporter.ExportAsync(TestData.Conversation(id: "conv-2", email: "two@example.com"));

        result.ApiCalls.Should().Be(2);
        (Calls - before).Should().Be(2);
        _org.Records("Contact").Should().HaveCount(2);
    }

    [Fact]
    public async Task A_mapping_onto_the_conversation_key_never_overrides_the_key_the_activity_is_upserted_on()
    {
        // Regression: the planner meant to leave the key field out of the upsert's body, but removed it from its own copy
        // after the operation had taken another; the mapped value went in the body and replaced the conversation's key.
        DefineKeys(_org);
        var exporter = Exporter(o =>
        {
            o.ConversationIdField = "Chat_Conversation_Id__c";
            o.FieldMappings = [new FieldMapping { Value = "mapped-value", Target = "Task.Chat_Conversation_Id__c" }];
        });

        var first = await exporter.ExportAsync(TestData.Conversation(id: "conv-7"));
        var again = await exporter.ExportAsync(TestData.Conversation(id: "conv-7"));

        first.Status.Should().Be(ExportStatus.Exported);
        again.Activity!.Id.Should().Be(first.Activity!.Id, "the second export finds the activity by its key");
        _org.Records("Task").Should().ContainSingle().Which.Text("Chat_Conversation_Id__c").Should().Be("conv-7");
    }

    [Fact]
    public async Task Keys_on_person_and_activity_with_a_warm_cache_cost_one_call()
    {
        DefineKeys(_org);
        var exporter = Exporter(o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });
        await exporter.ExportAsync(TestData.Conversation(id: "conv-1"));
        var before = Calls;

        var result = await exporter.ExportAsync(TestData.Conversation(id: "conv-2", email: "o'brien+x@example.com"));

        result.Status.Should().Be(ExportStatus.Exported);
        result.ApiCalls.Should().Be(1);
        (Calls - before).Should().Be(1);
        _org.Records("Contact").Should().Contain(c => c.Text("Chat_Visitor_Key__c") == "o'brien+x@example.com");
        _org.Records("Task").Should().Contain(t => t.Text("Chat_Conversation_Id__c") == "conv-2" && t.Text("WhoId") == result.Person!.Id);
    }

    [Fact]
    public async Task A_mapping_to_a_field_the_org_lacks_is_a_configuration_error_and_writes_nothing()
    {
        var exporter = Exporter(o => o.FieldMappings = [new FieldMapping { Value = "x", Target = "Contact.Missing__c" }]);

        var act = () => exporter.ExportAsync(TestData.Conversation());

        await act.Should().ThrowAsync<ExportConfigurationException>().Where(e => e.Setting == "FieldMappings[0].Target" && e.Message.Contains("Contact.Missing__c"));
        _org.Records("Contact").Should().BeEmpty();
        _org.WriteRequests().Should().Be(0);
    }

    [Fact]
    public async Task Several_matches_with_the_skip_policy_are_skipped_after_the_read_only()
    {
        _org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com" });
        _org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com" });

        var result = await Exporter(o => o.Identity.MultipleMatches = MultipleMatchPolicy.Skip).ExportAsync(TestData.Conversation());

        result.Status.Should().Be(ExportStatus.Skipped);
        result.ApiCalls.Should().Be(1);
        Calls.Should().Be(1);
        _org.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task Record_owner_for_a_new_visitor_sets_and_reports_the_next_strategys_owner()
    {
        var owner = _org.SeedUser("owner@acme.test");
        var exporter = Exporter(o =>
        {
            o.DefaultOwnerId = owner;
            o.OwnerStrategies = [OwnerStrategy.RecordOwner, OwnerStrategy.DefaultOwner];
        });

        var result = await exporter.ExportAsync(TestData.Conversation());

        result.OwnerId.Should().Be(owner, "the SDK set the default owner on the new Contact and its Task");
        _org.Records("Contact").Single().Text("OwnerId").Should().Be(owner);
        _org.Records("Task").Single().Text("OwnerId").Should().Be(owner);
    }

    [Fact]
    public async Task Record_owner_for_a_new_visitor_with_an_inactive_default_owner_falls_back_to_the_connecting_user()
    {
        var inactive = _org.SeedUser("gone@acme.test", active: false);
        var exporter = Exporter(o =>
        {
            o.DefaultOwnerId = inactive;
            o.OwnerStrategies = [OwnerStrategy.RecordOwner, OwnerStrategy.DefaultOwner];
        });

        var result = await exporter.ExportAsync(TestData.Conversation());

        result.Status.Should().Be(ExportStatus.Exported);
        result.OwnerId.Should().BeNull();
        result.Warnings.Should().Contain(w => w.Contains("DefaultOwner", StringComparison.Ordinal) && w.Contains("ConnectingUser", StringComparison.Ordinal));
        _org.Records("Contact").Single().Text("OwnerId").Should().Be(_org.IntegrationUserId);
        _org.Records("Task").Single().Text("OwnerId").Should().Be(_org.IntegrationUserId);
    }

    [Fact]
    public async Task Record_owner_for_an_existing_visitor_keeps_their_owner()
    {
        var theirs = _org.SeedUser("theirs@acme.test");
        var contact = _org.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", Phone = "1", OwnerId = theirs });
        var defaultOwner = _org.SeedUser("default@acme.test");
        var exporter = Exporter(o =>
        {
            o.DefaultOwnerId = defaultOwner;
            o.ProtectedFields = [];
            o.OwnerStrategies = [OwnerStrategy.RecordOwner, OwnerStrategy.DefaultOwner];
        });

        var result = await exporter.ExportAsync(TestData.Conversation());

        result.Person!.Change.Should().Be(RecordChange.Unchanged);
        _org.Find("Contact", contact)!.Text("OwnerId").Should().Be(theirs);
        _org.Records("Task").Single().Text("OwnerId").Should().Be(theirs);
    }

    [Fact]
    public async Task A_converted_lead_links_the_task_to_its_contact_and_never_updates_the_lead()
    {
        var contact = _org.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com" });
        var lead = _org.Insert("Lead", new { LastName = "Lovelace", Email = "ada@example.com", Company = "Engines", IsConverted = true, ConvertedContactId = contact });
        var leadBefore = _org.Find("Lead", lead)!.ToJsonString();

        var result = await Exporter(o => o.Mode = ExportMode.LeadAndTask).ExportAsync(TestData.Conversation()).WaitAsync(TimeSpan.FromSeconds(60));

        result.Person.Should().Be(new SalesforceRecordRef("Contact", contact, RecordChange.Unchanged));
        result.ApiCalls.Should().Be(2);
        _org.Find("Lead", lead)!.ToJsonString().Should().Be(leadBefore);
        _org.Records("Lead").Should().ContainSingle();
        _org.Records("Task").Single().Text("WhoId").Should().Be(contact);
    }

    [Fact]
    public async Task A_custom_stage_reading_after_the_read_round_gets_its_read_sent()
    {
        var account = _org.Insert("Account", new { Name = "Acme" });

        var result = await Exporter(build: b => b.UseRecordResolver<ReadingRecordResolver>()).ExportAsync(TestData.Conversation()).WaitAsync(TimeSpan.FromSeconds(60));

        result.Status.Should().Be(ExportStatus.Exported);
        _org.Records("Contact").Single().Text("AccountId").Should().Be(account);
        result.ApiCalls.Should().Be(3);
    }

    [Fact]
    public async Task A_cancelled_export_throws_OperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => Exporter().ExportAsync(TestData.Conversation(), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _org.Records("Contact").Should().BeEmpty();
    }

    [Fact]
    public async Task Record_mode_with_a_key_updates_the_record_found_on_it()
    {
        DefineChatLead(_org);
        var record = _org.Insert("Chat_Lead__c", new { Name = "Ada", Visitor_Key__c = "v-1", Email__c = "ada@example.com" });
        var exporter = Exporter(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.Record.KeyField = "Visitor_Key__c";
            o.FieldMappings =
            [
                new FieldMapping { Source = "custom:visitorId", Target = "Chat_Lead__c.Visitor_Key__c" },
                new FieldMapping { Source = "custom:topic", Target = "Chat_Lead__c.Topic__c" },
            ];
        });

        var result = await exporter.ExportAsync(TestData.Conversation(email: null, custom: new Dictionary<string, string?> { ["visitorId"] = "v-1", ["topic"] = "pricing" }));

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person.Should().Be(new SalesforceRecordRef("Chat_Lead__c", record, RecordChange.Updated));
        result.Activity.Should().BeNull();
        _org.Records("Chat_Lead__c").Should().ContainSingle().Which.Text("Topic__c").Should().Be("pricing");
    }

    [Fact]
    public async Task Record_mode_without_a_key_always_creates()
    {
        DefineChatLead(_org);
        var exporter = Exporter(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.FieldMappings = [new FieldMapping { Source = "visitor.email", Target = "Chat_Lead__c.Email__c" }];
        });

        var first = await exporter.ExportAsync(TestData.Conversation());
        var second = await exporter.ExportAsync(TestData.Conversation(id: "conv-2"));

        first.Person!.Change.Should().Be(RecordChange.Created);
        second.Person!.Change.Should().Be(RecordChange.Created);
        first.ApiCalls.Should().Be(2);
        _org.Records("Chat_Lead__c").Select(r => r.Text("Email__c")).Should().Equal("ada@example.com", "ada@example.com");
    }

    [Fact]
    public async Task An_agent_user_rejected_as_inactive_falls_back_and_is_looked_up_again_next_time()
    {
        var agentUser = _org.SeedUser("grace@example.com");
        var fallback = _org.SeedUser("default@acme.test");
        var exporter = Exporter(o => o.DefaultOwnerId = fallback);
        var agent = new ChatAgent { Email = "grace@example.com" };
        (await exporter.ExportAsync(TestData.Conversation(id: "conv-1", email: "one@example.com", agent: agent))).OwnerId.Should().Be(agentUser);

        // The agent leaves; the exporter still remembers their User.
        _org.Update(agentUser, new { IsActive = false });
        _org.ClearRequestLog();
        var rejected = await exporter.ExportAsync(TestData.Conversation(id: "conv-2", email: "two@example.com", agent: agent));
        var third = await exporter.ExportAsync(TestData.Conversation(id: "conv-3", email: "three@example.com", agent: agent));

        rejected.Status.Should().Be(ExportStatus.Exported);
        rejected.OwnerId.Should().Be(fallback);
        rejected.Warnings.Should().Contain(w => w.Contains("AgentUser", StringComparison.Ordinal));
        third.OwnerId.Should().Be(fallback);
        UserQueries(_org).Should().Be(1, "the rejected agent User is looked up again (and found inactive), the cached one never reused");
        _org.Records("Task").Where(t => t.Text("OwnerId") == agentUser).Should().ContainSingle("only the first export ran while the agent was active");
    }

    internal static int UserQueries(SalesforceEmulator org) =>
        org.RequestLog.SelectMany(r => r.Subrequests).Count(s => Uri.UnescapeDataString(s.Url).Contains("FROM User", StringComparison.Ordinal));

    internal static void DefineKeys(SalesforceEmulator org)
    {
        org.DefineField("Contact", new EmulatorField { Name = "Chat_Visitor_Key__c", Length = 255, ExternalId = true, Unique = true });
        org.DefineField("Task", new EmulatorField { Name = "Chat_Conversation_Id__c", Length = 80, ExternalId = true, Unique = true });
    }

    private static void DefineChatLead(SalesforceEmulator org) => org.DefineObject(
        "Chat_Lead__c",
        new EmulatorField { Name = "Email__c", Type = EmulatorFieldType.Email, Length = 80 },
        new EmulatorField { Name = "Visitor_Key__c", Length = 80, ExternalId = true, Unique = true },
        new EmulatorField { Name = "Topic__c", Type = EmulatorFieldType.TextArea, Length = 1000 });

    private sealed class ReadingRecordResolver : IRecordResolver
    {
        public async ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken)
        {
            var accounts = await context.Salesforce.QueryAsync("SELECT Id FROM Account WHERE Name = 'Acme'", cancellationToken);
            var fields = new SalesforceFieldValues(context.Fields.For(context.PersonObject));
            fields["AccountId"] = accounts.Records[0].GetString("Id");
            return new ResolvedRecord { Action = RecordAction.Create, ObjectType = context.PersonObject, Fields = fields };
        }
    }

    private sealed class SkippingRecordResolver : IRecordResolver
    {
        public ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ResolvedRecord.Skip(context.PersonObject, "Only members are exported."));
    }
}
