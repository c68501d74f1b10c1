using ChatToSalesforce.Actions;
using ChatToSalesforce.Tests.Export;

namespace ChatToSalesforce.Tests.Actions;

/// <summary>Issue 15 "Safety and bad input": SOQL templates are validated when configured and bind values as escaped literals only.</summary>
public sealed class SoqlFindTests
{
    private const string Template = "SELECT Id, LastName, Email FROM Contact WHERE Email = {!Visitor.Email} AND LastName LIKE {!custom:last} AND Title IN ({!custom:title}, 'none')";

    public static TheoryData<string, string, int> BadTemplates() => new()
    {
        // template, what the error says, position
        { "SELECT Id FROM Contact WHERE Email = '{!visitor.email}'", "inside quotes", 39 },
        { "SELECT Id FROM Contact WHERE LastName LIKE '%{!visitor.lastName}%'", "inside quotes", 46 },
        { "SELECT Id FROM Contact WHERE {!custom:field} = 'x'", "field or object name", 30 },
        { "SELECT Id FROM {!custom:object} WHERE Email = {!visitor.email}", "field or object name", 16 },
        { "SELECT {!visitor.email} FROM Contact", "field or object name", 8 },
        { "DELETE FROM Contact WHERE Email = {!visitor.email}", "single SELECT", 1 },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email}; DELETE FROM Contact", "';' at position 54", 54 },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email} FOR UPDATE", "only reads", 59 },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.shoeSize}", "not a known source", 38 },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email} SELECT Id FROM Lead", "second SELECT", 55 },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public void A_bad_template_is_rejected_when_configured_naming_the_position(string template, string says, int position)
    {
        BotSoqlTemplate.Validate(template).Should().Contain(p => p.Contains(says, StringComparison.Ordinal) && p.Contains($"position {position}", StringComparison.Ordinal));
        var act = () => BotSoqlTemplate.Parse(template);
        act.Should().Throw<ExportConfigurationException>().Which.Message.Should().Contain($"position {position}");
    }

    [Fact]
    public async Task Binds_conversation_values_and_reads_only_the_selected_fields_in_one_call_then_from_the_cache()
    {
        using var host = new ActionsHost();
        var target = host.Org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@acme.example", Title = "CTO", Phone = "+44 20 7946 0000" });
        host.Org.Insert("Contact", new { LastName = "Other", Email = "other@acme.example", Title = "CTO" });
        var template = BotSoqlTemplate.Parse(Template);
        var conversation = PipelineHost.Conversation("c-1", "ada@acme.example");
        var values = new Dictionary<string, string?> { ["custom:last"] = "Lovelace", ["custom:title"] = "CTO" };
        var mark = host.Org.ApiCallsUsed;

        var found = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest { Template = template, Conversation = conversation, Values = values });
        var again = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest { Template = template, Conversation = conversation, Values = values });

        template.SelectedFields.Should().Equal("Id", "LastName", "Email");
        template.Placeholders.Should().Equal("Visitor.Email", "custom:last", "custom:title");
        found.Outcome.Should().Be(BotActionOutcome.Found, found.ToString());
        found.RecordId.Should().Be(target);
        found.Values.Keys.Should().BeEquivalentTo(["Id", "LastName", "Email"], "only SELECTed fields can be read back");
        found.ApiCalls.Should().Be(1);
        again.FromCache.Should().BeTrue();
        host.CallsSince(ref mark).Should().Be(1);
    }

    public static TheoryData<string, string> Hostile() => new()
    {
        { "email", "x' OR Email != '" },
        { "email", "ada@acme.example' OR LastName != '" },
        { "email", "\\' OR Id != null OR Email = \\'" },
        { "email", "%" },
        { "email", "ada@acme.example\n' OR Email LIKE '%" },
        { "last", "%" },
        { "last", "_%" },
        { "last", "' OR LastName LIKE '%" },
        { "last", "Lovelace\\" },
        { "title", "x') OR (Title != 'x" },
        { "title", "CTO', 'none') OR Title != ('" },
        { "title", "%" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_value_in_any_placeholder_reaches_no_other_record(string placeholder, string hostile)
    {
        using var host = new ActionsHost();
        host.Org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@acme.example", Title = "CTO" });
        host.Org.Insert("Contact", new { LastName = "Hopper", Email = "grace@navy.example", Title = "Admiral" });
        // The other placeholders match the first Contact: only the hostile value decides, so an injection would find it.
        var values = new Dictionary<string, string?> { ["visitor.email"] = "ada@acme.example", ["custom:last"] = "Lovelace", ["custom:title"] = "CTO" };
        values[placeholder == "email" ? "visitor.email" : "custom:" + placeholder] = hostile;

        var result = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest { Template = BotSoqlTemplate.Parse(Template), Values = values });

        result.Outcome.Should().Be(BotActionOutcome.NotFound, "the value is one literal: it matches itself, which no record holds ({0})", result.Failure);
        result.RecordId.Should().BeNull();
        result.Values.Should().BeEmpty();
        host.Org.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task A_placeholder_without_a_value_fails_without_a_call()
    {
        using var host = new ActionsHost();
        var mark = host.Org.ApiCallsUsed;

        var result = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest { Template = BotSoqlTemplate.Parse(Template), Values = new Dictionary<string, string?> { ["visitor.email"] = "a@b.example" } });

        result.Outcome.Should().Be(BotActionOutcome.Failed);
        result.Failure!.ErrorCode.Should().Be("MISSING_VALUE");
        result.Failure.Message.Should().Contain("{!custom:last}");
        host.CallsSince(ref mark).Should().Be(0);
    }

    [Fact]
    public async Task Values_whose_names_differ_only_in_case_fail_as_a_validation_without_a_call()
    {
        // Regression: "custom:last" and "custom:Last" threw the case-insensitive dictionary's raw "same key" ArgumentException.
        using var host = new ActionsHost();
        var mark = host.Org.ApiCallsUsed;

        var result = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest
        {
            Template = BotSoqlTemplate.Parse(Template),
            Values = new Dictionary<string, string?> { ["visitor.email"] = "a@b.example", ["custom:last"] = "secret-1", ["custom:Last"] = "secret-2", ["custom:title"] = "CTO" },
        });

        result.Outcome.Should().Be(BotActionOutcome.Failed);
        result.Failure!.Kind.Should().Be(BotActionFailureKind.Validation);
        result.Failure.ErrorCode.Should().Be("AMBIGUOUS_VALUE");
        result.Failure.Message.Should().Contain("'custom:last'").And.Contain("'custom:Last'").And.Contain("case").And.NotContain("secret-");
        host.CallsSince(ref mark).Should().Be(0);
    }

    [Fact]
    public async Task The_first_row_wins_and_a_query_Salesforce_rejects_is_a_classified_failure()
    {
        using var host = new ActionsHost();
        host.Org.Insert("Contact", new { LastName = "A", Email = "same@example.com" });
        host.Org.Insert("Contact", new { LastName = "B", Email = "same@example.com" });

        var first = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest
        {
            Template = BotSoqlTemplate.Parse("SELECT Id, LastName FROM Contact WHERE Email = {!visitor.email} ORDER BY LastName DESC"),
            Values = new Dictionary<string, string?> { ["visitor.email"] = "same@example.com" },
        });
        var invalid = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest
        {
            Template = BotSoqlTemplate.Parse("SELECT Id, Shoe_Size__c FROM Contact WHERE Email = {!visitor.email}"),
            Values = new Dictionary<string, string?> { ["visitor.email"] = "same@example.com" },
        });

        first.Values["LastName"].Should().Be("B");
        host.Org.RequestLog.Should().Contain(r => r.Path.Contains("/query", StringComparison.Ordinal));
        invalid.Outcome.Should().Be(BotActionOutcome.Failed);
        invalid.Failure!.Kind.Should().Be(BotActionFailureKind.NotFound);
        invalid.Failure.ErrorCode.Should().Be("INVALID_FIELD");
    }
}
