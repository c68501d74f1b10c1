using ChatToSalesforce.Actions;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Export;

namespace ChatToSalesforce.Tests.Actions;

/// <summary>Issue 15 item 4: "create a record" (optionally updating by a key field), checked against the describe before any write.</summary>
public sealed class CreateRecordTests
{
    private static ActionsHost WithSurvey()
    {
        var org = new SalesforceEmulator();
        org.DefineObject(
            "Chat_Survey__c",
            new EmulatorField { Name = "Visitor_Key__c", ExternalId = true, Unique = true },
            new EmulatorField { Name = "Ticket__c" },
            new EmulatorField { Name = "Score__c", Type = EmulatorFieldType.Integer },
            new EmulatorField { Name = "Comment__c", Length = 20 },
            new EmulatorField { Name = "Notes__c", Type = EmulatorFieldType.TextArea },
            new EmulatorField { Name = "Channel__c", Type = EmulatorFieldType.Picklist, PicklistValues = ["Web", "WhatsApp"], RestrictedPicklist = true },
            new EmulatorField { Name = "Topic__c", Required = true },
            new EmulatorField { Name = "Locked__c", Createable = false, Updateable = false });
        return new ActionsHost(emulator: org);
    }

    private static Dictionary<string, string?> Survey(string key, string topic = "Billing") => new() { ["Visitor_Key__c"] = key, ["Topic__c"] = topic, ["Score__c"] = "9", ["Channel__c"] = "web" };

    [Fact]
    public async Task Creates_a_Lead_in_one_call_once_the_describe_is_cached()
    {
        using var host = new ActionsHost();
        await host.Bot.GetCreatableFieldsAsync("Lead");
        var mark = host.Org.ApiCallsUsed;

        var result = await host.Bot.CreateRecordAsync(new CreateRecordRequest
        {
            ObjectType = "Lead",
            Fields = new Dictionary<string, string?> { ["LastName"] = "Bot", ["Company"] = "Acme", ["Email"] = " bot@acme.example ", ["LeadSource"] = "Web", ["Title"] = null },
        });

        result.Outcome.Should().Be(BotActionOutcome.Created, result.ToString());
        result.RecordId.Should().StartWith("00Q");
        result.ApiCalls.Should().Be(1);
        host.CallsSince(ref mark).Should().Be(1);
        var lead = host.Org.Find("Lead", result.RecordId!)!;
        lead.Text("Email").Should().Be("bot@acme.example");
        lead.Text("Company").Should().Be("Acme");
    }

    [Fact]
    public async Task An_external_id_key_upserts_a_custom_object_in_one_call_each_time()
    {
        using var host = WithSurvey();
        await host.Bot.GetCreatableFieldsAsync("Chat_Survey__c");
        var mark = host.Org.ApiCallsUsed;

        var first = await host.Bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "Chat_Survey__c", Fields = Survey("v-1"), KeyField = "Visitor_Key__c" });
        var second = await host.Bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "chat_survey__c", Fields = Survey("v-1", "Refund"), KeyField = "visitor_key__c" });

        first.Outcome.Should().Be(BotActionOutcome.Created, first.ToString());
        second.Outcome.Should().Be(BotActionOutcome.Updated, second.ToString());
        second.RecordId.Should().Be(first.RecordId);
        host.CallsSince(ref mark).Should().Be(2, "one call per create or update");
        var survey = host.Org.Records("Chat_Survey__c").Should().ContainSingle().Subject;
        survey.Text("Topic__c").Should().Be("Refund");
        survey.Text("Channel__c").Should().Be("Web", "a restricted picklist value is written as Salesforce spells it");
    }

    [Fact]
    public async Task A_plain_key_field_updates_the_one_record_it_finds()
    {
        using var host = WithSurvey();
        var existing = host.Org.Insert("Chat_Survey__c", new { Ticket__c = "T-1", Topic__c = "Old" });

        var result = await host.Bot.CreateRecordAsync(new CreateRecordRequest
        {
            ObjectType = "Chat_Survey__c",
            Fields = new Dictionary<string, string?> { ["Ticket__c"] = "t-1", ["Topic__c"] = "New" },
            KeyField = "Ticket__c",
        });

        result.Outcome.Should().Be(BotActionOutcome.Updated, result.ToString());
        result.RecordId.Should().Be(existing);
        host.Org.Find("Chat_Survey__c", existing)!.Text("Topic__c").Should().Be("New");
    }

    [Fact]
    public async Task A_key_that_matches_several_records_writes_nothing_and_says_so()
    {
        using var host = WithSurvey();
        host.Org.Insert("Chat_Survey__c", new { Ticket__c = "T-2", Topic__c = "A" });
        host.Org.Insert("Chat_Survey__c", new { Ticket__c = "T-2", Topic__c = "B" });
        var writes = host.Org.WriteRequests();

        var result = await host.Bot.CreateRecordAsync(new CreateRecordRequest
        {
            ObjectType = "Chat_Survey__c",
            Fields = new Dictionary<string, string?> { ["Ticket__c"] = "T-2", ["Topic__c"] = "C" },
            KeyField = "Ticket__c",
        });

        result.Outcome.Should().Be(BotActionOutcome.Failed);
        result.Failure!.Kind.Should().Be(BotActionFailureKind.SeveralMatches);
        result.Failure.Message.Should().Contain("Chat_Survey__c.Ticket__c").And.Contain("nothing was written");
        host.Org.WriteRequests().Should().Be(writes);
        host.Org.Records("Chat_Survey__c").Select(r => r.Text("Topic__c")).Should().BeEquivalentTo(["A", "B"]);
    }

    public static TheoryData<string, string, string?, BotActionFailureKind, string, string> BadInput() => new()
    {
        // object, field, value, kind, code, named
        { "No_Such__c", "Topic__c", "x", BotActionFailureKind.NotFound, "INVALID_TYPE", "No_Such__c" },
        { "Chat_Survey__c", "Missing__c", "x", BotActionFailureKind.NotFound, "INVALID_FIELD", "Chat_Survey__c.Missing__c" },
        { "Chat_Survey__c", "Locked__c", "x", BotActionFailureKind.Permission, "INVALID_FIELD_FOR_INSERT_UPDATE", "Chat_Survey__c.Locked__c" },
        { "Chat_Survey__c", "Score__c", "nine", BotActionFailureKind.Validation, "INVALID_TYPE_ON_FIELD_IN_RECORD", "Chat_Survey__c.Score__c" },
        { "Chat_Survey__c", "Comment__c", new string('x', 21), BotActionFailureKind.Validation, "STRING_TOO_LONG", "Chat_Survey__c.Comment__c" },
        { "Chat_Survey__c", "Channel__c", "Fax", BotActionFailureKind.Validation, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Chat_Survey__c.Channel__c" },
        { "Chat_Survey__c", "Topic__c", null, BotActionFailureKind.Validation, "REQUIRED_FIELD_MISSING", "Chat_Survey__c.Topic__c" },
        { "Chat_Survey__c", "Bad Name", "x", BotActionFailureKind.NotFound, "INVALID_FIELD", "Chat_Survey__c.Bad Name" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_fails_naming_the_object_and_field_before_any_write(string objectType, string field, string? value, BotActionFailureKind kind, string code, string named)
    {
        using var host = WithSurvey();
        var fields = new Dictionary<string, string?> { ["Topic__c"] = "Billing", [field] = value };
        var writes = host.Org.WriteRequests();

        var result = await host.Bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = objectType, Fields = fields });

        result.Outcome.Should().Be(BotActionOutcome.Failed);
        result.Failure!.Kind.Should().Be(kind, result.Failure.Message);
        result.Failure.ErrorCode.Should().Be(code);
        result.Failure.Message.Should().Contain(named);
        host.Org.WriteRequests().Should().Be(writes, "nothing is sent when the describe already says no");
        host.Org.RequestLog.Should().NotContain(r => (r.Method == "POST" || r.Method == "PATCH") && !r.Path.Contains("/composite", StringComparison.Ordinal) && !r.Path.Contains("token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejection_by_Salesforce_is_data_classified_and_kept_out_of_ToString()
    {
        using var host = new ActionsHost();
        host.Org.AddValidationRule("Lead", new EmulatorValidationRule { Name = "Company format", Field = "Company", Pattern = "[A-Z].*", Message = "Company must start with a capital: acme", ErrorField = "Company" });

        var result = await host.Bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "Lead", Fields = new Dictionary<string, string?> { ["LastName"] = "Bot", ["Company"] = "acme" } });

        result.Outcome.Should().Be(BotActionOutcome.Failed);
        result.Failure!.Kind.Should().Be(BotActionFailureKind.Validation);
        result.Failure.ErrorCode.Should().Be("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        result.Failure.Message.Should().Be("Company must start with a capital: acme", "Salesforce's message is handed over as data");
        result.ToString().Should().NotContain("acme");
        result.Failure.ToString().Should().NotContain("acme");
        host.Org.Records("Lead").Should().BeEmpty();
    }

    [Fact]
    public async Task A_transient_failure_is_classified_transient()
    {
        using var host = new ActionsHost(o => o.Resilience.MaxRetryAttempts = 0);
        await host.Bot.GetCreatableFieldsAsync("Lead");
        host.Org.Faults.Add(new FaultRule { PathContains = "/composite/graph", StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE", Message = "down" });

        var result = await host.Bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "Lead", Fields = new Dictionary<string, string?> { ["LastName"] = "Bot", ["Company"] = "Acme" } });

        result.Outcome.Should().Be(BotActionOutcome.Failed);
        result.Failure!.Kind.Should().Be(BotActionFailureKind.Transient);
    }
}
