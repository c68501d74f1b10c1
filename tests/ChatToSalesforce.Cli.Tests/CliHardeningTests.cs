using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli.Tests;

/// <summary>Issue 11 items 5 and 10-16, and the emulator dashboard link (issue 12): the CLI as a new user meets it.</summary>
public sealed class CliHardeningTests
{
    // Item 5: control characters from file names and values are escaped on the console.
    [Fact]
    public void Escape_turns_control_characters_into_visible_escapes()
    {
        ConsoleText.Escape("a\r\nb\u001b[2J\tc\u202Ed\u0085e\u2028f").Should().Be(@"a\r\nb\u001B[2J\tc\u202Ed\u0085e\u2028f");
        ConsoleText.Escape("plain, é and 中文 stay").Should().Be("plain, é and 中文 stay");
        ConsoleText.Escape(null).Should().BeEmpty();
    }

    [Fact]
    public async Task Control_characters_in_a_file_name_and_in_values_do_not_reach_the_console_raw()
    {
        var directory = Directory.CreateTempSubdirectory("chat2sf-test-");
        var file = Path.Combine(directory.FullName, "conv\nFAKE: all good\u001b[31m.jsonl");
        // JSON escapes: the id holds a real CR, LF and ESC once parsed.
        await File.WriteAllTextAsync(file, CliRunner.Conversation(@"chat-1\r\nFAKE: exported 1000\u001b[2J", email: null) + "\n");

        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(0, result.ToString());
        var output = result.Out + result.Err;
        output.Should().NotContain("\r").And.NotContain("\u001b");
        output.Split('\n').Should().NotContain(line => line.TrimStart().StartsWith("FAKE", StringComparison.Ordinal), "a value cannot start a line of its own");
        result.Out.Should().Contain(@"chat-1\r\nFAKE: exported 1000\u001B[2J").And.Contain(@"conv\nFAKE: all good\u001B[31m.jsonl");

        await File.WriteAllTextAsync(file, "{ not json\n");
        var bad = await CliRunner.RunAsync(["export", file]);
        bad.ExitCode.Should().Be(2, bad.ToString());
        bad.Err.Should().Contain(@"conv\nFAKE: all good\u001B[31m.jsonl").And.NotContain("\u001b");
    }

    // Item 10: a file that is not UTF-8 is rejected with the offset of the first bad byte and how to convert it.
    [Fact]
    public async Task A_latin1_file_is_rejected_with_the_offset_and_how_to_convert_it()
    {
        var prefix = """[{"id":"chat-1","startedAt":"2026-03-02T09:30:00Z","visitor":{"firstName":"Jos""";
        var bytes = Encoding.Latin1.GetBytes(prefix + "é\",\"lastName\":\"Ruiz\",\"email\":\"jose@example.com\"}}]");
        var file = CliRunner.TempFile(".json", bytes);

        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("is not UTF-8").And.Contain($"byte 0xE9 at offset {prefix.Length}").And.Contain("iconv -f latin1 -t utf-8");
        result.Emulator.Should().BeNull("nothing is set up before the file is read");
    }

    [Fact]
    public async Task A_utf16_file_with_a_byte_order_mark_is_read()
    {
        var json = """[{"id":"chat-1","startedAt":"2026-03-02T09:30:00Z","visitor":{"firstName":"José","lastName":"Ruiz","email":"jose@example.com"}}]""";
        var file = CliRunner.TempFile(".json", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(json)]);

        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(0, result.ToString());
        ((string?)result.Emulator!.Records("Contact").Single()["FirstName"]).Should().Be("José");
    }

    // Item 11: a date-time without a zone is rejected naming the field and line, unless --assume-utc.
    [Fact]
    public async Task A_date_time_without_a_zone_is_rejected_naming_the_field_and_line()
    {
        var file = CliRunner.TempFile(".jsonl", CliRunner.Conversation("chat-1", "a@example.com") + "\n" + CliRunner.Conversation("chat-2", "b@example.com", startedAt: "2026-03-02T10:00:00") + "\n");

        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("line 2").And.Contain("'startedAt' is '2026-03-02T10:00:00'").And.Contain("no time zone").And.Contain("--assume-utc");
    }

    [Fact]
    public async Task With_assume_utc_a_date_time_without_a_zone_is_read_as_utc()
    {
        var file = CliRunner.TempFile(".jsonl", CliRunner.Conversation("chat-1", "a@example.com", startedAt: "2026-03-02T10:00:00") + "\n");

        var result = await CliRunner.RunAsync(["export", file, "--assume-utc"]);

        result.ExitCode.Should().Be(0, result.ToString());
        var task = result.Emulator!.Records("Task").Single();
        ((string?)task["ActivityDate"]).Should().Be("2026-03-02");
        ((string?)task["Description"]).Should().Contain("10:00");
    }

    [Fact]
    public async Task A_message_time_without_a_zone_names_the_message()
    {
        var line = CliRunner.Conversation("chat-1", "a@example.com").Replace("\"sentAt\":\"2026-03-02T09:30:00Z\"", "\"sentAt\":\"2026-03-02 09:31\"", StringComparison.Ordinal);
        var file = CliRunner.TempFile(".jsonl", line + "\n");

        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("line 1").And.Contain("'messages[0].sentAt'");
    }

    // Item 12: a configuration that does not say where to export is an error, never a silent export into the emulator.
    [Fact]
    public async Task A_config_file_without_a_Salesforce_section_exits_2_naming_the_section()
    {
        var config = CliRunner.TempFile(".json", """{ "InstanceUrl": "https://acme.my.salesforce.com", "Mode": "LeadAndTask" }""");

        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("has no \"Salesforce\" section").And.Contain("--emulator");
        result.Emulator.Should().BeNull("the emulator is used only when asked");
    }

    [Fact]
    public async Task A_config_without_an_instance_url_exits_2_unless_the_emulator_is_asked_for()
    {
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "Mode": "LeadAndTask" } }""");

        var withoutFlag = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config]);
        withoutFlag.ExitCode.Should().Be(2, withoutFlag.ToString());
        withoutFlag.Err.Should().Contain("InstanceUrl").And.Contain("add --emulator");
        withoutFlag.Emulator.Should().BeNull();

        var withFlag = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config, "--emulator"]);
        withFlag.ExitCode.Should().Be(0, withFlag.ToString());
        withFlag.Emulator!.Records("Lead").Should().HaveCount(5, "the configuration's mode applies to the emulator");
    }

    // Item 13: rejected credentials or an unreachable org stop early with one message and exit code 3, in export and check.
    [Fact]
    public async Task Rejected_credentials_stop_the_export_before_any_conversation_with_exit_3()
    {
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");
        var result = await CliRunner.RunAsync(
            ["export", CliRunner.Sample("conversations.json"), "--emulator", "--report", report],
            emulator => emulator.RegisterClient("chat2sf", "another-secret"));

        result.ExitCode.Should().Be(3, result.ToString());
        result.Err.Should().Contain("Salesforce rejected the credentials").And.Contain("Nothing was exported");
        result.Out.Should().NotContain("FAILED");
        result.Emulator!.Records("Task").Should().BeEmpty();
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        ((int)json["exitCode"]!).Should().Be(3);
        ((string)json["stoppedEarly"]!).Should().Contain("rejected the credentials");
        ((int)json["summary"]!["failed"]!).Should().Be(0);
        ((int)json["summary"]!["notStarted"]!).Should().Be(6);

        var check = await CliRunner.RunAsync(["check", "--emulator"], emulator => emulator.RegisterClient("chat2sf", "another-secret"));
        check.ExitCode.Should().Be(3, "check and export agree: " + check);
        check.Err.Should().Contain("Salesforce rejected the credentials");

        var preview = await CliRunner.RunAsync(["preview", CliRunner.Sample("conversations.json"), "--emulator"], emulator => emulator.RegisterClient("chat2sf", "another-secret"));
        preview.ExitCode.Should().Be(3, "preview agrees too: " + preview);
        preview.Err.Split("rejected the credentials").Should().HaveCount(2, "one message, not one per conversation");
    }

    [Fact]
    public async Task An_unreachable_org_stops_export_and_check_with_exit_3()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there any more: connection refused
        var config = CliRunner.TempFile(".json", $$"""
            { "Salesforce": { "InstanceUrl": "http://127.0.0.1:{{port}}", "AllowTestEndpoint": true,
              "Authentication": { "Flow": "ClientCredentials", "ClientId": "app", "ClientSecret": "secret" },
              "Resilience": { "MaxRetryAttempts": 0 } } }
            """);

        var export = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config]);
        export.ExitCode.Should().Be(3, export.ToString());
        export.Err.Should().Contain("could not be reached").And.Contain("Nothing was exported");
        export.Out.Should().NotContain("FAILED");

        var check = await CliRunner.RunAsync(["check", "--config", config]);
        check.ExitCode.Should().Be(3, check.ToString());
        check.Err.Should().Contain("could not be reached");
    }

    [Fact]
    public async Task A_connection_failure_during_the_export_stops_feeding_conversations()
    {
        // 700 conversations in chunks of 200, one chunk at a time; the org's daily limit is reached at once.
        var file = CliRunner.TempFile(".jsonl", string.Join('\n', Enumerable.Range(1, 700).Select(i => CliRunner.Conversation($"chat-{i}", $"v{i}@example.com"))));
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "MaxConcurrency": 1 } }""");
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");

        var result = await CliRunner.RunAsync(
            ["export", file, "--config", config, "--emulator", "--report", report],
            emulator => emulator.DailyApiLimit = 1);

        result.ExitCode.Should().Be(3, result.ToString());
        result.Err.Should().Contain("daily API limit");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        ((int)json["summary"]!["notStarted"]!).Should().BePositive("the conversations after the failing chunks were not started");
        ((int)json["summary"]!["exported"]!).Should().Be(0);
    }

    // Item 14: errors in the user's terms.
    [Fact]
    public async Task A_bad_mode_lists_the_valid_values_and_the_nearest_one()
    {
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "Mode": "ContactTask", "Authentication": { "ClinetId": "x" }, "MaxConcurrency": "four" } }""");

        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config, "--emulator"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("Mode: 'ContactTask' is not a valid value; the valid values are ContactAndTask, LeadAndTask")
            .And.Contain("did you mean 'ContactAndTask'?")
            .And.Contain("Authentication.ClinetId: is not a known setting; did you mean 'Authentication.ClientId'?")
            .And.Contain("MaxConcurrency: 'four' is not a valid value; expected a whole number");
        result.Err.Should().NotContain("ChatToSalesforce.").And.NotContain("System.");
    }

    [Theory]
    [InlineData("""[{"id":"a","startedAt":20260302,"visitor":{"email":"a@b.example"}}]""", "'[0].startedAt' has the wrong type: expected a string in double quotes")]
    [InlineData("""[{"id":"a","startedAt":"2026-03-02T09:30:00Z","visitor":"Ann Lee"}]""", "'[0].visitor' has the wrong type: expected an object with the visitor's")]
    [InlineData("""[{"id":"a","startedAt":"2026-03-02T09:30:00Z","visitor":{"emial":"a@b.example"}}]""", "unknown property 'emial' (at $[0].visitor.emial); did you mean 'email'?")]
    [InlineData("""[{"id":"a","startedAt":"yesterday"}]""", "'startedAt' is 'yesterday', which is not an ISO 8601 date-time")]
    [InlineData("""[{"id":"a","startedAt":"2026-03-02T09:30:00Z","messages":[{"role":"customer","text":"x","sentAt":"2026-03-02T09:30:00Z"}]}]""", "messages[0].role is 'customer'; expected one of visitor, agent, bot, system")]
    [InlineData("""[{"id":"a","startedAt":"2026-03-02T09:30:00Z","attachments":[{"fileName":"a.txt","contentBase64":"not base64!"}]}]""", "attachments[0].contentBase64 is not base64")]
    public async Task Input_errors_name_the_field_and_what_is_expected_without_dotnet_types(string json, string expected)
    {
        var file = CliRunner.TempFile(".json", json);

        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain(expected);
        result.Err.Should().NotContain("System.").And.NotContain("ChatToSalesforce.").And.NotContain("Nullable").And.NotContain("Dto");
    }

    // Item 15: --skip-invalid lists bad JSON Lines lines and exports the good ones.
    [Fact]
    public async Task Skip_invalid_lists_bad_lines_with_their_reason_and_exports_the_good_ones()
    {
        var file = CliRunner.TempFile(".jsonl", string.Join('\n',
            CliRunner.Conversation("chat-1", "a@example.com"),
            "{\"id\": \"chat-2\", \"startedAt\": }",
            CliRunner.Conversation("chat-3", "c@example.com", startedAt: "2026-03-02T10:00:00"),
            CliRunner.Conversation("chat-4", "d@example.com")));
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");

        var withoutFlag = await CliRunner.RunAsync(["export", file]);
        withoutFlag.ExitCode.Should().Be(2, withoutFlag.ToString());
        withoutFlag.Err.Should().Contain("line 2");

        var result = await CliRunner.RunAsync(["export", file, "--skip-invalid", "--report", report]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Emulator!.Records("Contact").Should().HaveCount(2);
        result.Out.Should().Contain("Invalid input").And.Contain("line 2").And.Contain("line 3").And.Contain("no time zone");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        ((int)json["summary"]!["invalid"]!).Should().Be(2);
        ((int)json["summary"]!["exported"]!).Should().Be(2);
        var invalid = json["invalid"]!.AsArray();
        invalid.Select(i => (int)i!["line"]!).Should().Equal(2, 3);
        ((string)invalid[0]!["reason"]!).Should().Contain("invalid JSON at line 2, column 31");
    }

    // Item 16: no misleading per-line API calls, capped tables, --quiet.
    [Fact]
    public async Task Per_line_output_has_no_per_conversation_api_calls_and_the_summary_has_the_cost()
    {
        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json")]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("exported  chat-1001").And.NotContain("API call(s)");
        result.Out.Should().Contain("API calls spent").And.Contain("API calls per exported conversation");
    }

    [Fact]
    public async Task Long_tables_are_capped_with_a_count_of_what_is_hidden()
    {
        var lines = Enumerable.Range(1, 30).Select(i => CliRunner.Conversation($"good-{i}", $"g{i}@example.com"))
            .Concat(Enumerable.Range(1, 60).Select(i => CliRunner.Conversation($"skip-{i}", email: null)));
        var file = CliRunner.TempFile(".jsonl", string.Join('\n', lines));

        var result = await CliRunner.RunAsync(["export", file]);

        result.ExitCode.Should().Be(0, result.ToString());
        // 60 records (30 Contacts, 30 Tasks) and 60 skipped conversations: 50 rows each, then the count of the rest.
        result.Out.Split("… and 10 more").Should().HaveCount(3, result.Out);
        result.Out.Should().Contain("(all are in the --report file)");
    }

    [Fact]
    public async Task Quiet_prints_only_the_summary()
    {
        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--quiet"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Summary").And.Contain("Exported");
        result.Out.Should().NotContain("chat-1001").And.NotContain("Records in the emulator").And.NotContain("Skipped │ chat");
        result.Emulator!.Records("Task").Should().HaveCount(5);
    }

    // Issue 12: export --emulator --open serves the emulator, exports into it over HTTP and links the dashboard.
    [Fact]
    public async Task Export_with_open_exports_over_loopback_prints_the_dashboard_link_and_serves_until_ctrl_c()
    {
        using var stop = new CancellationTokenSource();
        Uri? opened = null;
        Task<HttpStatusCode>? fetch = null;
        var result = await CliRunner.RunAsync(
            ["export", CliRunner.Sample("conversations.json"), "--emulator", "--open"],
            cancellationToken: stop.Token,
            openBrowser: url => opened = url,
            serving: url => fetch = Task.Run(async () =>
            {
                try
                {
                    using var http = new HttpClient();
                    using var response = await http.GetAsync(url);
                    return response.StatusCode;
                }
                finally
                {
                    await stop.CancelAsync(); // Ctrl+C
                }
            }));

        result.ExitCode.Should().Be(0, result.ToString());
        opened.Should().NotBeNull();
        opened!.ToString().Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/$");
        result.Out.Should().Contain($"Dashboard: {opened}").And.Contain("served at http://127.0.0.1:");
        (await fetch!).Should().NotBe(default(HttpStatusCode), "the emulator answered over loopback while the CLI served it");
        var org = result.Emulator!;
        org.Records("Contact").Should().HaveCount(5);
        org.RequestLog.Should().Contain(r => r.Path.Contains("/composite", StringComparison.Ordinal), "the export went through the served emulator");
    }

    [Fact]
    public async Task Open_without_the_emulator_is_a_configuration_error()
    {
        var config = CliRunner.TempFile(".json", """{ "Salesforce": { "InstanceUrl": "https://acme.my.salesforce.com", "Authentication": { "Flow": "ClientCredentials", "ClientId": "a", "ClientSecret": "b" } } }""");

        var result = await CliRunner.RunAsync(["export", CliRunner.Sample("conversations.json"), "--config", config, "--open"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("--open").And.Contain("--emulator");
    }

    [Fact]
    public async Task The_emulator_command_prints_the_base_url_first_and_the_dashboard_link()
    {
        using var stop = new CancellationTokenSource();
        Uri? served = null;
        var result = await CliRunner.RunAsync(["emulator", "--port", "0"], cancellationToken: stop.Token, serving: url =>
        {
            served = url;
            stop.Cancel();
        });

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Split('\n')[0].Should().MatchRegex(@"^http://127\.0\.0\.1:\d+$");
        result.Err.Should().Contain($"Dashboard: {new Uri(served!, "/")}");
    }

    // Item 13: the exit codes documented in docs/cli.md and the README are the program's.
    [Fact]
    public void The_documented_exit_codes_match_the_program()
    {
        foreach (var readme in new[] { "README.md", Path.Combine("src", "ChatToSalesforce.Cli", "README.md") })
        {
            var readmeLine = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, readme)).Split('\n').Single(l => l.StartsWith("Exit codes:", StringComparison.Ordinal));
            readmeLine.Should().Contain($"{CliApp.Success} all exported or skipped").And.Contain($"{CliApp.SomeFailed} some failed")
                .And.Contain($"{CliApp.BadInput} bad input or configuration").And.Contain($"{CliApp.ConnectionFailed} credentials rejected or Salesforce unreachable")
                .And.Contain($"{CliApp.Interrupted} interrupted", readme);
        }

        var cli = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "docs", "cli.md"));
        foreach (var code in new[] { CliApp.Success, CliApp.SomeFailed, CliApp.BadInput, CliApp.ConnectionFailed, CliApp.Interrupted })
        {
            cli.Should().Contain($"| {code} |", "docs/cli.md's exit-code table lists code {0}", code);
        }

        cli.Should().Contain("| 3 | the credentials were rejected");
    }
}
