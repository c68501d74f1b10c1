using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli.Tests;

/// <summary>Regression tests for bugs found in a review of the CLI.</summary>
public sealed class CliRegressionTests
{
    private static string Chat(string id, string? tenant, string email) =>
        $$"""{"id":"{{id}}"{{(tenant is null ? string.Empty : $",\"tenantId\":\"{tenant}\"")}},"startedAt":"2026-03-02T09:30:00Z","visitor":{"name":"Ada Lovelace","email":"{{email}}"},"messages":[{"role":"visitor","text":"Hi","sentAt":"2026-03-02T09:31:00Z"}]}""";

    // The docs say requestPage is an "absolute URL"; on Linux/macOS .NET reads "/admissions" as file:///admissions.
    [Fact]
    public void A_relative_requestPage_is_rejected_not_exported_as_a_file_url()
    {
        var file = CliRunner.TempFile(".json", """[{"id":"c1","startedAt":"2026-03-02T09:30:00Z","requestPage":"/admissions"}]""");

        var act = () => ConversationFileReader.Read(file);

        act.Should().Throw<ConversationFileException>().WithMessage("*requestPage*");
    }

    // --skip-invalid promises that "a bad conversation of a JSON array is skipped"; only a syntax error may stop the run.
    [Fact]
    public async Task Skip_invalid_skips_an_array_conversation_with_an_unknown_property_instead_of_stopping_the_batch()
    {
        var file = CliRunner.TempFile(".json", $"[{Chat("good-1", null, "a@example.com")},{Chat("bad", null, "b@example.com").Replace("\"email\"", "\"emial\"", StringComparison.Ordinal)},{Chat("good-2", null, "c@example.com")}]");
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");

        var result = await CliRunner.RunAsync(["export", file, "--skip-invalid", "--report", report]);

        result.ExitCode.Should().Be(0, "the bad conversation is listed as invalid input and the good ones are exported; " + result);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        ((int)json["summary"]!["exported"]!).Should().Be(2);
        ((int)json["summary"]!["invalid"]!).Should().Be(1);
    }

    // With --tenants, one org's problem must not stop the others (export honours this; preview stops everything).
    [Fact]
    public async Task Preview_with_tenants_does_not_stop_every_tenant_when_one_org_hits_its_daily_limit()
    {
        var tenants = CliRunner.TempFile(".json", """{ "Tenants": { "acme": { "Mode": "ContactAndTask" } } }""");
        var conversations = CliRunner.TempFile(".jsonl", string.Join('\n', Chat("home-1", null, "h1@example.com"), Chat("acme-1", "acme", "a1@example.com")));

        var result = await CliRunner.RunAsync(
            ["preview", conversations, "--tenants", tenants, "--emulator"],
            home => home.Faults.Add(new FaultRule { PathContains = "/services/data/", StatusCode = 403, ErrorCode = "REQUEST_LIMIT_EXCEEDED", Times = 1000 }));

        result.ExitCode.Should().NotBe(3, "only the default org is at its limit; acme's conversation must still be previewed; " + result);
        result.Out.Should().Contain("acme-1");
    }

    // A --report that cannot be written is an error the exit code must show (a CI job would otherwise read an old report).
    [Fact]
    public async Task An_unwritable_report_does_not_exit_with_success()
    {
        var file = CliRunner.TempFile(".jsonl", Chat("c1", null, "c1@example.com"));
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-dir-{Guid.NewGuid():N}");
        Directory.CreateDirectory(report); // a directory: File.WriteAllText fails

        var result = await CliRunner.RunAsync(["export", file, "--report", report]);

        result.Err.Should().Contain("could not be written");
        result.ExitCode.Should().NotBe(0, "the requested report was not written; " + result);
    }
}
