using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli.Tests;

public sealed class ExportCommandTests
{
    [Theory]
    [InlineData("conversations.json")]
    [InlineData("conversations.jsonl")]
    public async Task Exporting_the_sample_file_exports_five_skips_one_and_writes_a_report_with_record_ids(string sample)
    {
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");
        var result = await CliRunner.RunAsync(["export", CliRunner.Sample(sample), "--report", report]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Summary").And.Contain("Records in the emulator").And.Contain("maya.patel@example.com");
        result.Emulator!.Records("Contact").Should().HaveCount(5);
        result.Emulator.Records("Task").Should().HaveCount(5);

        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        ((int)json["summary"]!["exported"]!).Should().Be(5);
        ((int)json["summary"]!["skipped"]!).Should().Be(1);
        ((int)json["summary"]!["failed"]!).Should().Be(0);
        ((int)json["summary"]!["apiCalls"]!).Should().BeGreaterThan(0);
        var conversations = json["conversations"]!.AsArray();
        conversations.Should().HaveCount(6);
        var first = conversations[0]!;
        ((string)first["id"]!).Should().Be("chat-1001");
        ((string)first["status"]!).Should().Be("exported");
        ((string)first["person"]!["objectType"]!).Should().Be("Contact");
        ((string)first["person"]!["id"]!).Should().StartWith("003");
        ((string)first["activity"]!["id"]!).Should().StartWith("00T");
        var withFile = conversations.Single(c => (string)c!["id"]! == "chat-1002")!;
        ((string)withFile["files"]![0]!["id"]!).Should().StartWith("068");
        var skipped = conversations.Single(c => (string)c!["id"]! == "chat-1004")!;
        ((string)skipped["status"]!).Should().Be("skipped");
        ((string)skipped["skipReason"]!).Should().Contain("visitor.email");
        result.Out.Should().NotContain("application deadline", "message text is never printed");
    }

    [Fact]
    public async Task Existing_visitors_from_a_seed_file_are_matched_not_created()
    {
        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--seed", CliRunner.Sample("emulator-seed.json")]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Emulator!.Records("Contact").Where(c => (string?)c["Email"] == "ann.lee@example.com").Should().ContainSingle();
        result.Out.Should().Contain("Unchanged");
    }

    [Fact]
    public async Task A_failing_conversation_is_reported_and_the_others_are_exported()
    {
        // A batch shares its requests, so the failure is one record Salesforce rejects: Student_Type__c is unique, and
        // chat-1003 brings the same value as chat-1001.
        var config = CliRunner.TempFile(".json", """
            { "Salesforce": { "MaxConcurrency": 1, "FieldMappings": [ { "Source": "custom:Student Type", "Target": "Contact.Student_Type__c" } ] } }
            """);
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");
        var result = await CliRunner.RunAsync(
            ["export", CliRunner.Sample("conversations.json"), "--config", config, "--emulator", "--report", report],
            emulator => emulator.DefineField("Contact", new EmulatorField { Name = "Student_Type__c", Length = 40, Unique = true }));

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("DUPLICATE_VALUE");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        ((int)json["summary"]!["failed"]!).Should().Be(1);
        ((int)json["summary"]!["exported"]!).Should().Be(4);
        var failed = json["conversations"]!.AsArray().Single(c => (string)c!["status"]! == "failed")!;
        ((string)failed["id"]!).Should().Be("chat-1003");
        ((string)failed["error"]!["errorCode"]!).Should().Be("DUPLICATE_VALUE");
        ((string)failed["error"]!["message"]!).Should().Contain("DUPLICATE_VALUE [Student_Type__c]").And.NotContain("duplicate value found", "the report never holds Salesforce's verbatim text");
        result.Out.Replace("\n", string.Empty, StringComparison.Ordinal).Should().Contain("Salesforce said: \"duplicate value found", "the operator's console shows it (the console wraps long lines)");
    }

    [Fact]
    public async Task Malformed_json_names_the_line_and_column_and_exports_nothing()
    {
        var file = CliRunner.TempFile(".json", "[\n  { \"id\": \"a\",\n    \"channel\": web }\n]\n");
        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain(file).And.Contain("line 3, column 16");
        result.Emulator.Should().BeNull("nothing is set up before the file is read");
    }

    [Fact]
    public async Task Malformed_json_lines_name_the_line_of_the_bad_record()
    {
        var good = File.ReadAllLines(CliRunner.Sample("conversations.jsonl"));
        var file = CliRunner.TempFile(".jsonl", string.Join('\n', good[0], good[1], "{\"id\": \"x\", \"startedAt\": }", good[2]));
        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("line 3, column 26");
    }

    [Fact]
    public async Task A_conversation_without_an_id_is_bad_input()
    {
        var file = CliRunner.TempFile(".json", """[{ "startedAt": "2026-03-02T09:30:00Z", "visitor": { "email": "a@b.example", "lastName": "B" } }]""");
        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("'id' is required");
    }

    [Fact]
    public async Task An_unknown_property_is_bad_input_with_its_position()
    {
        var file = CliRunner.TempFile(".json", "[{ \"id\": \"a\", \"startedAt\": \"2026-03-02T09:30:00Z\",\n \"visiter\": {} }]");
        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("visiter").And.Contain("line 2");
    }

    [Fact]
    public async Task A_missing_input_file_is_bad_input()
    {
        var result = await CliRunner.RunAsync(["export", Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json")]);

        result.ExitCode.Should().Be(2, result.ToString());
    }

    [Fact]
    public async Task A_bad_command_line_is_bad_input()
    {
        var result = await CliRunner.RunAsync(["export"]);

        result.ExitCode.Should().Be(2, result.ToString());
    }

    [Fact]
    public async Task An_unknown_configuration_key_fails_before_any_call_naming_the_key()
    {
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "Mood": "LeadAndTask" } }""");
        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("Mood").And.Contain("did you mean 'Mode'?");
        result.Err.Should().NotContain("ChatToSalesforce.").And.NotContain("ErrorOnUnknownConfiguration");
        result.Emulator.Should().BeNull("nothing is set up when the configuration is invalid");
    }

    [Fact]
    public async Task A_missing_credential_fails_before_any_call_naming_the_setting()
    {
        var config = CliRunner.TempFile(".json", """
            { "Salesforce": { "InstanceUrl": "https://acme.my.salesforce.com", "Authentication": { "Flow": "ClientCredentials", "ClientId": "app" } } }
            """);
        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("Authentication.ClientSecret");
        result.Emulator.Should().BeNull();
    }

    [Fact]
    public async Task Interrupted_before_start_exports_nothing_and_exits_130_with_a_summary()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json")], cancellationToken: cts.Token);

        result.ExitCode.Should().Be(130, result.ToString());
        result.Out.Should().Contain("Summary");
        result.Err.Should().Contain("Interrupted");
        result.Emulator!.Records("Task").Should().BeEmpty();
    }
}
