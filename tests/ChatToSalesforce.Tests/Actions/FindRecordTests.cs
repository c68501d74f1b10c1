using ChatToSalesforce.Actions;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Export;
using Microsoft.Extensions.Time.Testing;

namespace ChatToSalesforce.Tests.Actions;

/// <summary>Issue 15 items 4 and 5: "find a record" (1 call, 0 while cached) and the flow builder's metadata.</summary>
public sealed class FindRecordTests
{
    [Fact]
    public async Task Finds_the_most_recent_match_with_the_chosen_fields_in_one_call_then_from_the_cache()
    {
        // The org's own clock: "most recently modified" must not depend on how fast the test runs.
        var orgClock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var org = new SalesforceEmulator(new SalesforceEmulatorOptions { TimeProvider = orgClock });
        var account = org.Insert("Account", new { Name = "Acme Corp" });
        org.Insert("Contact", new { LastName = "Older", Email = "ada@acme.example", Title = "Old" });
        orgClock.Advance(TimeSpan.FromMinutes(1));
        var newer = org.Insert("Contact", new { LastName = "Newer", Email = "ada@acme.example", Title = "CTO", AccountId = account });
        using var host = new ActionsHost(emulator: org);
        await host.Bot.GetCreatableFieldsAsync("Contact");
        var mark = host.Org.ApiCallsUsed;
        var request = new FindRecordRequest { ObjectType = "Contact", Field = "Email", Value = "ADA@acme.example", ReturnFields = ["Title", "Account.Name"] };

        var found = await host.Bot.FindRecordAsync(request);
        var again = await host.Bot.FindRecordAsync(request);

        found.Outcome.Should().Be(BotActionOutcome.Found, found.ToString());
        found.RecordId.Should().Be(newer);
        found.Values.Should().BeEquivalentTo(new Dictionary<string, string?> { ["Id"] = newer, ["Title"] = "CTO", ["Account.Name"] = "Acme Corp" });
        found.ApiCalls.Should().Be(1);
        again.FromCache.Should().BeTrue();
        again.Values["Title"].Should().Be("CTO");
        host.CallsSince(ref mark).Should().Be(1, "1 call, then 0 within the cache window");
    }

    [Fact]
    public async Task Nothing_found_is_a_normal_outcome()
    {
        using var host = new ActionsHost();

        var result = await host.Bot.FindRecordAsync(new FindRecordRequest { ObjectType = "Lead", Field = "Email", Value = "nobody@example.com" });

        result.Outcome.Should().Be(BotActionOutcome.NotFound);
        result.Failure.Should().BeNull();
        result.RecordId.Should().BeNull();
    }

    [Theory]
    [InlineData("x' OR Email != '")]
    [InlineData("%")]
    [InlineData("ada@acme.example' OR LastName != '")]
    [InlineData("\\' OR Id != null OR Email = \\'")]
    public async Task A_hostile_value_is_one_literal_and_reaches_no_record(string hostile)
    {
        using var host = new ActionsHost();
        host.Org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@acme.example" });

        var result = await host.Bot.FindRecordAsync(new FindRecordRequest { ObjectType = "Contact", Field = "Email", Value = hostile, ReturnFields = ["LastName"] });

        result.Outcome.Should().Be(BotActionOutcome.NotFound, result.Failure?.ToString());
        result.Values.Should().BeEmpty();
    }

    [Fact]
    public async Task A_create_makes_the_next_find_read_again()
    {
        using var host = new ActionsHost();
        var find = new FindRecordRequest { ObjectType = "Lead", Field = "Email", Value = "new@example.com" };
        (await host.Bot.FindRecordAsync(find)).Outcome.Should().Be(BotActionOutcome.NotFound);

        var created = await host.Bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "Lead", Fields = new Dictionary<string, string?> { ["LastName"] = "New", ["Company"] = "N", ["Email"] = "new@example.com" } });
        var after = await host.Bot.FindRecordAsync(find);

        after.Outcome.Should().Be(BotActionOutcome.Found);
        after.RecordId.Should().Be(created.RecordId);
    }

    [Theory]
    [InlineData("Nope__c", "Email", "INVALID_TYPE", BotActionFailureKind.NotFound, "Nope__c")]
    [InlineData("Contact", "Shoe_Size__c", "INVALID_FIELD", BotActionFailureKind.NotFound, "Contact.Shoe_Size__c")]
    [InlineData("Contact", "Description", "INVALID_FIELD", BotActionFailureKind.Validation, "Contact.Description")]
    public async Task An_unknown_object_or_field_or_a_field_that_cannot_be_searched_is_named(string objectType, string field, string code, BotActionFailureKind kind, string named)
    {
        using var host = new ActionsHost();

        var result = await host.Bot.FindRecordAsync(new FindRecordRequest { ObjectType = objectType, Field = field, Value = "x" });

        result.Outcome.Should().Be(BotActionOutcome.Failed);
        result.Failure!.ErrorCode.Should().Be(code);
        result.Failure.Kind.Should().Be(kind);
        result.Failure.Message.Should().Contain(named);
        host.Org.RequestLog.Should().NotContain(r => r.Path.Contains("/query", StringComparison.Ordinal), "nothing is searched");
    }

    [Fact]
    public async Task A_return_field_that_does_not_exist_is_named()
    {
        using var host = new ActionsHost();

        var result = await host.Bot.FindRecordAsync(new FindRecordRequest { ObjectType = "Contact", Field = "Email", Value = "x@example.com", ReturnFields = ["Shoe_Size__c"] });

        result.Failure!.Message.Should().Contain("Contact.Shoe_Size__c");
    }

    [Fact]
    public async Task The_flow_builder_lists_objects_and_the_required_and_optional_fields()
    {
        var org = new SalesforceEmulator();
        org.DefineObject("Chat_Survey__c", new EmulatorField { Name = "Topic__c", Required = true }, new EmulatorField { Name = "Channel__c", Type = EmulatorFieldType.Picklist, PicklistValues = ["Web", "WhatsApp"], RestrictedPicklist = true });
        using var host = new ActionsHost(emulator: org);

        var objects = await host.Bot.GetObjectsAsync();
        var lead = await host.Bot.GetCreatableFieldsAsync("Lead");
        var survey = await host.Bot.GetCreatableFieldsAsync("chat_survey__c");
        var mark = host.Org.ApiCallsUsed;
        await host.Bot.GetObjectsAsync();
        await host.Bot.GetCreatableFieldsAsync("Lead");

        objects.Should().Contain(o => o.Name == "Lead" && o.IsCreateable && o.IsQueryable);
        objects.Should().Contain(o => o.Name == "Chat_Survey__c" && o.IsCustom && o.IsCreateable);
        objects.Select(o => o.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
        lead.Required.Select(f => f.Name).Should().Contain(["Company", "LastName"]).And.NotContain("Email");
        lead.Optional.Should().Contain(f => f.Name == "Email" && f.Type == "email" && f.Length == 80);
        lead.Optional.Should().Contain(f => f.Name == "LeadSource" && f.PicklistValues.Contains("Web"));
        lead.Optional.Should().NotContain(f => f.Name == "IsConverted", "only createable fields are listed");
        survey.ObjectType.Should().Be("Chat_Survey__c");
        survey.Required.Should().ContainSingle(f => f.Name == "Topic__c");
        survey.Optional.Should().Contain(f => f.Name == "Channel__c" && f.IsRestrictedPicklist && f.PicklistValues.SequenceEqual(new[] { "Web", "WhatsApp" }));
        host.CallsSince(ref mark).Should().Be(0, "objects and describes are cached");
    }

    [Fact]
    public async Task The_fields_of_an_unknown_object_are_a_configuration_error()
    {
        using var host = new ActionsHost();

        var act = () => host.Bot.GetCreatableFieldsAsync("Nope__c");

        (await act.Should().ThrowAsync<ExportConfigurationException>()).Which.Message.Should().Contain("Nope__c");
    }
}
