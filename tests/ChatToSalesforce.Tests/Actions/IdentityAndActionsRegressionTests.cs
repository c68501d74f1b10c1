using ChatToSalesforce.Actions;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Export;

namespace ChatToSalesforce.Tests.Actions;

/// <summary>Regression tests for bugs found in a review of identity matching and the chatbot actions.</summary>
public sealed class IdentityAndActionsRegressionTests
{
    // Regression: the phone rule's candidate query LIKE '%6789' misses numbers whose last four digits are separated.
    [Fact]
    public async Task Phone_rule_finds_the_same_number_written_with_spaces_in_its_last_four_digits()
    {
        using var host = new ActionsHost(o => o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Phone }]);
        var contact = host.Org.Insert("Contact", new { LastName = "Dupont", Phone = "+33 1 23 45 67 89" });

        var result = await host.Lookup.LookupAsync(new VisitorLookupRequest { Phone = "+33 1 23 45 67 89" });

        result.Match.Should().NotBeNull("the visitor typed exactly the number stored on the Contact");
        result.Match!.Id.Should().Be(contact);
    }

    // Regression: SamePhone claims to tolerate trunk prefixes, but a national number with its leading 0 never matches the international form.
    [Fact]
    public async Task Phone_rule_tolerates_the_national_trunk_prefix()
    {
        using var host = new ActionsHost(o => o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Phone }]);
        var contact = host.Org.Insert("Contact", new { LastName = "Smith", Phone = "+44 20 7946 0018" });

        var result = await host.Lookup.LookupAsync(new VisitorLookupRequest { Phone = "020 7946 0018" });

        result.Match.Should().NotBeNull("020 7946 0018 is the UK national form of +44 20 7946 0018");
        result.Match!.Id.Should().Be(contact);
    }

    // Regression: the find cache lower-cases the value, but 15-character ids (and case-sensitive fields) are case-sensitive.
    [Fact]
    public async Task Find_by_id_does_not_answer_a_different_15_character_id_from_the_cache()
    {
        using var host = new ActionsHost();
        var contact = host.Org.Insert("Contact", new { LastName = "Lovelace" });
        var id15 = contact[..15];
        var other15 = new string(id15.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.IsLower(c) ? char.ToUpperInvariant(c) : c).ToArray());
        other15.Should().NotBe(id15);

        var first = await host.Bot.FindRecordAsync(new FindRecordRequest { ObjectType = "Contact", Field = "Id", Value = id15 });
        var second = await host.Bot.FindRecordAsync(new FindRecordRequest { ObjectType = "Contact", Field = "Id", Value = other15 });

        first.Outcome.Should().Be(BotActionOutcome.Found, first.ToString());
        second.Outcome.Should().Be(BotActionOutcome.NotFound, $"{other15} is another record id than {id15} (15-character ids are case-sensitive)");
    }

    // Regression: "LIMIT 1" is appended after OFFSET (or FOR VIEW/REFERENCE), which is not valid SOQL.
    [Fact]
    public async Task Soql_find_with_offset_and_no_limit_is_valid_soql()
    {
        using var host = new ActionsHost();
        host.Org.Insert("Contact", new { LastName = "A", Email = "ada@acme.example" });
        host.Org.Insert("Contact", new { LastName = "B", Email = "ada@acme.example" });
        var template = BotSoqlTemplate.Parse("SELECT Id, LastName FROM Contact WHERE Email = {!visitor.email} ORDER BY LastName OFFSET 1");

        var found = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest { Template = template, Conversation = PipelineHost.Conversation("c-1", "ada@acme.example") });

        found.Outcome.Should().Be(BotActionOutcome.Found, found.Failure?.ToString());
        found.Values["LastName"].Should().Be("B");
    }

    // Regression: a template's own large LIMIT was sent as written, so a broad template read every page of its result
    // although only the first row is used.
    [Fact]
    public async Task Soql_find_with_a_large_limit_of_its_own_reads_one_row()
    {
        using var host = new ActionsHost(emulator: new SalesforceEmulator(new SalesforceEmulatorOptions { QueryBatchSize = 200 }));
        for (var i = 0; i < 450; i++)
        {
            host.Org.Insert("Contact", new { LastName = $"L{i:D3}", Email = "ada@acme.example" });
        }

        var template = BotSoqlTemplate.Parse("SELECT Id, LastName FROM Contact WHERE Email = {!visitor.email} ORDER BY LastName LIMIT 5000");
        host.Org.ResetApiUsage();

        var found = await host.Bot.FindRecordBySoqlAsync(new SoqlFindRequest { Template = template, Conversation = PipelineHost.Conversation("c-1", "ada@acme.example") });

        found.Outcome.Should().Be(BotActionOutcome.Found, found.Failure?.ToString());
        found.Values["LastName"].Should().Be("L000");
        var urls = host.Org.RequestLog.SelectMany(r => r.Subrequests.Select(s => s.Url).Prepend(r.Path)).Select(u => Uri.UnescapeDataString(u.Replace('+', ' '))).ToList();
        urls.Should().NotContain(u => u.Contains("/query/", StringComparison.Ordinal), "no further page is fetched");
        urls.Should().Contain(u => System.Text.RegularExpressions.Regex.IsMatch(u, @"LIMIT 1\b"), "the query is sent with LIMIT 1");
        urls.Should().NotContain(u => u.Contains("LIMIT 5000", StringComparison.Ordinal));
    }
}
