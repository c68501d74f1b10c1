using ChatToSalesforce.IntegrationTests.Infrastructure;

namespace ChatToSalesforce.IntegrationTests.EndToEnd;

public sealed class ExportEndToEndTests
{
    [Fact]
    public async Task ExportAsync_NewVisitor_CreatesContactAndCompletedTaskInTwoCalls()
    {
        await using var host = EmulatorHost.Create();
        var before = host.Emulator.ApiCallsUsed;

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported, result.SkipReason);
        result.ApiCalls.Should().Be(2);
        (host.Emulator.ApiCallsUsed - before).Should().Be(2);
        result.Person!.Change.Should().Be(RecordChange.Created);
        var contact = host.Emulator.Find("Contact", result.Person.Id)!;
        contact["LastName"]!.GetValue<string>().Should().Be("Lovelace");
        contact["FirstName"]!.GetValue<string>().Should().Be("Ada");
        contact["Email"]!.GetValue<string>().Should().Be("ada@example.com");
        var task = host.Emulator.Find("Task", result.Activity!.Id)!;
        task["WhoId"]!.GetValue<string>().Should().Be(result.Person.Id);
        task["Status"]!.GetValue<string>().Should().Be("Completed");
        task["Description"]!.GetValue<string>().Should().Contain("Conversation: chat-1").And.Contain("2026-11-02 09:30:00 UTC");
    }

    [Fact]
    public async Task ExportAsync_ExistingVisitor_LinksTaskToTheContactInTwoCalls()
    {
        await using var host = EmulatorHost.Create(seed: e => e.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ADA@example.com" }));
        var existing = host.Emulator.Records("Contact").Single()["Id"]!.GetValue<string>();

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.ApiCalls.Should().Be(2);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", existing, RecordChange.Unchanged));
        host.Emulator.Records("Contact").Should().HaveCount(1);
        host.Emulator.Find("Task", result.Activity!.Id)!["WhoId"]!.GetValue<string>().Should().Be(existing);
    }
}
