namespace ChatToSalesforce.Cli.Tests;

/// <summary>Issue 15 item 6: <c>lookup</c>, <c>find</c> and <c>soql</c> for admins testing their setup against the emulator or an org.</summary>
public sealed class ActionCommandTests
{
    private static string _contactId = string.Empty;

    private static void Seed(Testing.SalesforceEmulator org)
    {
        var account = org.Insert("Account", new { Name = "Acme Corp" });
        _contactId = org.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@acme.example", Title = "CTO", AccountId = account });
        org.Insert("Lead", new { LastName = "Hopper", Company = "Navy", Email = "grace@navy.example" });
    }

    [Fact]
    public async Task Lookup_shows_the_match_with_its_account_and_the_call_count()
    {
        string? contact = null;
        var result = await CliRunner.RunAsync(["lookup", "--email", "ADA@acme.example", "--field", "Contact.Title"], org => { Seed(org); contact = _contactId; });

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain(contact!).And.Contain("Acme Corp").And.Contain("CTO").And.Contain("match").And.Contain("API calls: 1");
    }

    [Fact]
    public async Task Lookup_uses_the_configured_precedence()
    {
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "Identity": { "Precedence": "ContactThenLead" } } }""");
        var result = await CliRunner.RunAsync(["lookup", "--config", config, "--emulator", "--email", "grace@navy.example"], Seed);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Match: Lead 00Q");
    }

    [Fact]
    public async Task Lookup_of_nobody_says_an_export_would_create_the_person()
    {
        var result = await CliRunner.RunAsync(["lookup", "--email", "nobody@example.com"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Not found");
    }

    [Theory]
    [InlineData(new string[] { "lookup" }, "--email")]
    [InlineData(new string[] { "lookup", "--value", "novalue" }, "name=value")]
    [InlineData(new string[] { "lookup", "--email", "a@b.example", "--field", "Title" }, "Object.Field")]
    [InlineData(new string[] { "soql", "--var", "visitor.email=x", "SELECT Id FROM Contact WHERE Email = '{!visitor.email}'" }, "inside quotes at position 39")]
    [InlineData(new string[] { "soql", "DELETE FROM Contact" }, "single SELECT")]
    public async Task Bad_input_exits_2_and_says_what_is_wrong(string[] args, string says)
    {
        var result = await CliRunner.RunAsync(args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain(says);
    }

    [Fact]
    public async Task Find_prints_the_values_a_bot_would_get()
    {
        var result = await CliRunner.RunAsync(["find", "Contact", "Email", "ada@acme.example", "--return", "Title", "--return", "Account.Name"], Seed);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Found").And.Contain("CTO").And.Contain("Acme Corp");
    }

    [Fact]
    public async Task Find_of_nothing_is_a_normal_outcome_and_a_bad_field_fails_naming_it()
    {
        var none = await CliRunner.RunAsync(["find", "Lead", "Email", "nobody@example.com"]);
        var bad = await CliRunner.RunAsync(["find", "Contact", "Shoe_Size__c", "42"]);

        none.ExitCode.Should().Be(0, none.ToString());
        none.Out.Should().Contain("NotFound");
        bad.ExitCode.Should().Be(1, bad.ToString());
        bad.Out.Should().Contain("Contact.Shoe_Size__c").And.Contain("NotFound (INVALID_FIELD)");
    }

    [Fact]
    public async Task Soql_binds_vars_as_literals()
    {
        const string template = "SELECT Id, Title FROM Contact WHERE Email = {!Visitor.Email}";
        var found = await CliRunner.RunAsync(["soql", template, "--var", "visitor.email=ada@acme.example"], Seed);
        var hostile = await CliRunner.RunAsync(["soql", template, "--var", "visitor.email=x' OR Email != '"], Seed);
        var missing = await CliRunner.RunAsync(["soql", template]);

        found.ExitCode.Should().Be(0, found.ToString());
        found.Out.Should().Contain("Found").And.Contain("CTO");
        hostile.ExitCode.Should().Be(0, hostile.ToString());
        hostile.Out.Should().Contain("NotFound").And.NotContain("CTO");
        missing.ExitCode.Should().Be(1, missing.ToString());
        missing.Out.Should().Contain("MISSING_VALUE");
    }
}
