using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli.Tests;

/// <summary>
/// Issue 11 item 4: Salesforce's verbatim message (which echoes record values) is shown to the operator on the console with
/// control characters escaped, and never written to the --report file.
/// </summary>
public sealed class SalesforceMessageTests
{
    [Fact]
    public async Task A_rejected_record_shows_Salesforce_text_escaped_on_the_console_and_keeps_it_out_of_the_report()
    {
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");
        var result = await CliRunner.RunAsync(
            ["export", CliRunner.Sample("conversations.json"), "--report", report],
            emulator => emulator.Faults.Add(new FaultRule
            {
                Method = "POST",
                PathContains = "/services/data/",
                StatusCode = 400,
                ErrorCode = "INVALID_EMAIL_ADDRESS",
                Message = "Email: invalid email address: victim@example.com\r\n  exported  forged-line",
            }));

        result.ExitCode.Should().Be(1, result.ToString());
        // The console wraps long lines at its width (adding '\n' only); a raw CR from Salesforce's text must never appear.
        result.Out.Should().NotContain("\r").And.NotContain("\n  exported  forged-line");
        result.Out.Replace("\n", string.Empty, StringComparison.Ordinal).Should().Contain("INVALID_EMAIL_ADDRESS")
            .And.Contain("Salesforce said: \"Email: invalid email address: victim@example.com\\u000d\\u000a  exported  forged-line\"");
        var text = await File.ReadAllTextAsync(report);
        text.Should().NotContain("victim@example.com").And.NotContain("forged-line");
        var failed = JsonNode.Parse(text)!["conversations"]!.AsArray().First(c => (string)c!["status"]! == "failed")!;
        ((string)failed["error"]!["errorCode"]!).Should().Be("INVALID_EMAIL_ADDRESS");
        ((string)failed["error"]!["message"]!).Should().Contain("INVALID_EMAIL_ADDRESS");
    }
}
