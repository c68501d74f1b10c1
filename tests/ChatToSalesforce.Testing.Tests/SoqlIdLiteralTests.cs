namespace ChatToSalesforce.Testing.Tests;

/// <summary>Id literals and string lengths in a SOQL WHERE clause: what Salesforce refuses and what it matches.</summary>
public sealed class SoqlIdLiteralTests
{
    private static int Total(Reply reply) => (int)reply.Json!["totalSize"]!;

    // A value that is not an id (not 15 or 18 letters and digits) on an id or lookup field is refused, not matched
    // against nothing. Recorded answer (sf CLI, jsforce): INVALID_QUERY_FILTER_OPERATOR,
    // "...WHERE Id = '53'\n<caret under Id>\nERROR at Row:1:Column:70\ninvalid ID field: 53"; restforce issue 557 ("triggered by
    // trying to query records with a malformed Id").
    [Fact]
    public async Task A_malformed_id_literal_answers_invalid_query_filter_operator_at_the_field()
    {
        using var org = new Org();
        org.Emulator.Insert("Account", new { Name = "Acme" });

        var reply = await org.Query("SELECT Id FROM Account WHERE Id = 'abc'");

        reply.Status.Should().Be(400, reply.Text);
        reply.ErrorCode.Should().Be("INVALID_QUERY_FILTER_OPERATOR");
        reply.Message.Should().Be("\nSELECT Id FROM Account WHERE Id = 'abc'\n                             ^\nERROR at Row:1:Column:30\ninvalid ID field: abc");
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE AccountId IN ('001xyz')", "001xyz")]
    [InlineData("SELECT Id FROM Contact WHERE AccountId = '0015g00000ABCDEF'", "0015g00000ABCDEF")]
    [InlineData("SELECT Id FROM Contact WHERE OwnerId != '005000000000000AAAB'", "005000000000000AAAB")]
    [InlineData("SELECT Id FROM Contact WHERE Account.Id = '001-000000000000'", "001-000000000000")]
    [InlineData("SELECT Id FROM Task WHERE WhoId IN ('003000000000000', 'nobody')", "nobody")]
    [InlineData("SELECT Id FROM Account WHERE Id > 'abc'", "abc")]
    public async Task Malformed_id_literals_on_lookup_fields_and_in_lists_are_refused(string soql, string value)
    {
        using var org = new Org();

        var reply = await org.Query(soql);

        reply.Status.Should().Be(400, reply.Text);
        reply.ErrorCode.Should().Be("INVALID_QUERY_FILTER_OPERATOR");
        reply.Message.Should().EndWith("\ninvalid ID field: " + value);
    }

    // Well-formed ids that name no record still answer no rows (a 15-character id of zeros is a common "matches
    // nothing" value), and null stays a null test.
    [Theory]
    [InlineData("SELECT Id FROM Account WHERE Id = '000000000000000'")]
    [InlineData("SELECT Id FROM Account WHERE Id IN ('001000000000000AAA', '003000000000000')")]
    [InlineData("SELECT Id FROM Contact WHERE AccountId = '001000000000000'")]
    [InlineData("SELECT Id FROM Account WHERE Id = null")]
    public async Task Well_formed_ids_that_match_nothing_answer_no_rows(string soql)
    {
        using var org = new Org();
        org.Emulator.Insert("Contact", new { LastName = "Smith" });
        org.Emulator.Insert("Account", new { Name = "Acme" });

        var reply = await org.Query(soql);

        reply.Status.Should().Be(200, reply.Text);
        Total(reply).Should().Be(0);
    }

    // An 18-character id is "case-safe", not case-insensitive: Salesforce doesn't restore an id's case from its last three
    // characters, so a re-cased id (all lower or upper case, or only its checksum re-cased) matches no record in SOQL,
    // URLs or the API (salesforce.stackexchange.com questions 130158 and 50163; a lower-cased 18-character Account id
    // "reports 0 records"). A 15-character id is case-sensitive.
    [Fact]
    public async Task Re_cased_ids_match_no_record_while_exact_15_and_18_character_ids_do()
    {
        using var org = new Org();
        var account = org.Emulator.Insert("Account", new { Name = "Acme" });
        org.Emulator.Insert("Contact", new { LastName = "Smith", AccountId = account });
        var checksumRecased = account[..15] + account[15..].ToLowerInvariant();
        checksumRecased.Should().NotBe(account);

        foreach (var exact in new[] { account, account[..15] })
        {
            Total(await org.Query($"SELECT Id FROM Account WHERE Id = '{exact}'")).Should().Be(1, exact);
            Total(await org.Query($"SELECT Id FROM Contact WHERE AccountId = '{exact}'")).Should().Be(1, exact);
            Total(await org.Query($"SELECT Id FROM Contact WHERE AccountId IN ('{exact}')")).Should().Be(1, exact);
        }

        foreach (var recased in new[] { account.ToLowerInvariant(), account.ToUpperInvariant(), checksumRecased, account[..15].ToLowerInvariant() })
        {
            var byId = await org.Query($"SELECT Id FROM Account WHERE Id = '{recased}'");
            byId.Status.Should().Be(200, byId.Text);
            Total(byId).Should().Be(0, recased);
            Total(await org.Query($"SELECT Id FROM Contact WHERE AccountId = '{recased}'")).Should().Be(0, recased);
            Total(await org.Query($"SELECT Id FROM Contact WHERE AccountId IN ('{recased}')")).Should().Be(0, recased);
            Total(await org.Query($"SELECT Id FROM Contact WHERE Account.Id = '{recased}'")).Should().Be(0, recased);
        }

        (await org.Get($"/services/data/v62.0/sobjects/Account/{checksumRecased}")).Status.Should().BeOneOf([400, 404], "a re-cased id does not name the record");
        (await org.Get($"/services/data/v62.0/sobjects/Account/{account}")).Status.Should().Be(200);
    }

    // SOQL and SOSL Limits ("4,000 characters for each string within a WHERE clause") and the SOQL reference's WHERE
    // page ("Strings in WHERE clauses can't exceed 4,000 characters"); API-FACTS section 9, "Lengths".
    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE LastName = '{0}'")]
    [InlineData("SELECT Id FROM Contact WHERE LastName IN ('a', '{0}')")]
    [InlineData("SELECT Id FROM Contact WHERE LastName LIKE '{0}'")]
    [InlineData("SELECT Id, (SELECT Id FROM Contacts WHERE LastName != '{0}') FROM Account")]
    public async Task A_where_string_longer_than_4000_characters_is_refused(string template)
    {
        using var org = new Org();
        org.Emulator.Insert("Contact", new { LastName = "Smith" });

        var longest = await org.Query(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('x', 4_000)));
        var tooLong = await org.Query(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('x', 4_001)));

        longest.Status.Should().Be(200, longest.Text);
        tooLong.Status.Should().Be(400, tooLong.Text);
        tooLong.ErrorCode.Should().Be("MALFORMED_QUERY");
        tooLong.Message.Should().Contain("4000");
    }
}
