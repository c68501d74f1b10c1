using System.Text.Json.Nodes;

namespace ChatToSalesforce.Cli.Tests;

public sealed class TenantsCommandTests
{
    private static string Chat(string tenant, string id, string email) =>
        $$"""{"id":"{{id}}","tenantId":"{{tenant}}","startedAt":"2026-03-02T09:30:00Z","visitor":{"name":"Ada Lovelace","email":"{{email}}"},"messages":[{"role":"visitor","text":"Hi","sentAt":"2026-03-02T09:31:00Z"}]}""";

    [Fact]
    public async Task Export_with_a_tenants_file_writes_each_tenants_conversations_into_its_own_org_and_summarises_per_tenant()
    {
        var tenants = CliRunner.TempFile(".json", """
            { "Tenants": {
                "acme":   { "Mode": "LeadAndTask" },
                "globex": { "Mode": "ContactAndTask" }
            } }
            """);
        var conversations = CliRunner.TempFile(".jsonl", string.Join('\n', Chat("acme", "a1", "a1@example.com"), Chat("globex", "g1", "g1@example.com"), Chat("acme", "a2", "a2@example.com"), Chat("nobody", "n1", "n1@example.com")));
        var report = Path.Combine(Path.GetTempPath(), $"chat2sf-report-{Guid.NewGuid():N}.json");

        var result = await CliRunner.RunAsync(["export", conversations, "--tenants", tenants, "--emulator", "--report", report]);

        result.ExitCode.Should().Be(1, "the conversation of an unknown tenant failed; " + result);
        result.Out.Should().Contain("Per tenant").And.Contain("acme").And.Contain("globex").And.Contain("nobody");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        var rows = json["conversations"]!.AsArray().Select(c => ((string)c!["id"]!, (string?)c["tenantId"], (string)c["status"]!, (string?)c["person"]?["objectType"])).ToList();
        rows.Should().Equal(("a1", "acme", "exported", "Lead"), ("g1", "globex", "exported", "Contact"), ("a2", "acme", "exported", "Lead"), ("n1", "nobody", "failed", null));
        result.Out.Should().Contain("tenant 'nobody' is not configured");
    }

    [Fact]
    public async Task A_tenants_file_with_an_unknown_key_is_a_configuration_error_naming_the_tenant()
    {
        var tenants = CliRunner.TempFile(".json", """{ "Tenants": { "acme": { "Mood": "LeadAndTask" } } }""");
        var conversations = CliRunner.TempFile(".jsonl", Chat("acme", "a1", "a1@example.com"));

        var result = await CliRunner.RunAsync(["export", conversations, "--tenants", tenants, "--emulator"]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("tenant 'acme'").And.Contain("Mood");
    }

    [Fact]
    public async Task Check_with_a_tenants_file_prints_one_row_per_tenant()
    {
        var tenants = CliRunner.TempFile(".json", """
            { "Tenants": {
                "acme":   { "FieldMappings": [ { "Source": "visitor.phone", "Target": "Contact.Phone" } ] },
                "globex": { "FieldMappings": [ { "Source": "visitor.phone", "Target": "Contact.No_Such_Field__c" } ] }
            } }
            """);

        var result = await CliRunner.RunAsync(["check", "--tenants", tenants, "--emulator"]);

        result.ExitCode.Should().Be(1, "globex maps a field its org does not have; " + result);
        result.Out.Should().Contain("Tenants").And.Contain("acme").And.Contain("globex").And.Contain("No_Such_Field__c").And.Contain("missing").And.Contain("00D");
    }
}
