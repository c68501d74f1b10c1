namespace ChatToSalesforce.Cli.Tests;

public sealed class PreviewAndCheckTests
{
    [Fact]
    public async Task Preview_shows_matches_and_writes_nothing()
    {
        var result = await CliRunner.RunAsync(["preview", CliRunner.Sample("conversations.json"), "--seed", CliRunner.Sample("emulator-seed.json")]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("new Contact").And.Contain("existing Contact").And.Contain("Would skip")
            .And.Contain("Task.Subject").And.Contain("characters").And.Contain("transcript-of-records.txt");
        result.Out.Should().NotContain("application deadline", "transcripts are shown as a length");
        var org = result.Emulator!;
        org.Records("Contact").Should().ContainSingle("only the seeded Contact exists");
        org.Records("Task").Should().BeEmpty();
        org.Records("ContentVersion").Should().BeEmpty();
        org.RequestLog.Where(r => r.CountedAsApiCall).Should().NotBeEmpty()
            .And.OnlyContain(r => r.Method == "GET" || (r.Subrequests.Count > 0 && r.Subrequests.All(s => s.Method == "GET")), "a preview only reads");
    }

    [Fact]
    public async Task Check_against_the_emulator_passes_and_prints_the_connection()
    {
        var result = await CliRunner.RunAsync(["check"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain(result.Emulator!.OrganizationId).And.Contain("62.0").And.Contain("Daily API requests").And.Contain("Check passed");
    }

    [Fact]
    public async Task The_check_example_of_the_docs_passes_against_the_sample_seed()
    {
        // docs/cli.md: chat2sf check --emulator --seed docs/samples/emulator-seed.json
        var result = await CliRunner.RunAsync(["check", "--emulator", "--seed", CliRunner.Sample("emulator-seed.json")]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Check passed");
    }

    [Fact]
    public async Task Check_names_a_mapping_to_a_missing_field_and_exits_1()
    {
        var config = CliRunner.TempFile(".json", """
            { "Salesforce": { "FieldMappings": [
                { "Source": "custom:Student Type", "Target": "Contact.Mongoose_Student_Type__c" },
                { "Source": "custom:Campus", "Target": "Contact.Campus__c" } ] } }
            """);
        var result = await CliRunner.RunAsync(["check", "--config", config, "--seed", CliRunner.Sample("emulator-seed.json")]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("Contact.Campus__c").And.Contain("missing");
        result.Out.Should().MatchRegex(@"Contact\.Mongoose_Student_Type__c\s*│\s*OK");
    }

    [Fact]
    public async Task Check_reports_a_read_only_field()
    {
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "FieldMappings": [ { "Value": "x", "Target": "Contact.CreatedDate" } ] } }""");
        var result = await CliRunner.RunAsync(["check", "--config", config, "--emulator"]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("read-only");
    }

    [Fact]
    public async Task Check_with_a_missing_credential_exits_2()
    {
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "InstanceUrl": "https://acme.my.salesforce.com", "Authentication": { "Flow": "JwtBearer", "ClientId": "app" } } }""");
        var result = await CliRunner.RunAsync(["check", "--config", config]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("Authentication.Username");
    }
}
