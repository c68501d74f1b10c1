using ChatToSalesforce.Testing;
using FluentAssertions;
using Xunit;

namespace ChatToSalesforce.Tests.Export;

public class LifecycleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Exported_at_start_the_Task_is_open_and_the_export_at_close_completes_the_same_Task_with_the_full_transcript()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Transcript.OpenTaskStatus = "In Progress");

        var atStart = await host.Exporter.ExportAsync(Chat(ended: null, "Hello, I have a question"));
        org.Records("Task").Should().ContainSingle().Which.Text("Status").Should().Be("In Progress");
        var atClose = await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(5), "Hello, I have a question", "Thanks, that answers it"));

        atClose.Activity!.Id.Should().Be(atStart.Activity!.Id);
        atClose.Person!.Id.Should().Be(atStart.Person!.Id);
        var task = org.Records("Task").Should().ContainSingle().Subject;
        task.Text("Status").Should().Be("Completed");
        task.Text("Description").Should().Contain("Thanks, that answers it");
    }

    [Fact]
    public async Task Without_an_open_status_an_open_conversation_is_written_completed_as_before()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org);

        await host.Exporter.ExportAsync(Chat(ended: null, "Hello"));

        org.Records("Task").Should().ContainSingle().Which.Text("Status").Should().Be("Completed");
    }

    [Fact]
    public async Task An_open_conversation_gets_the_open_status()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Transcript.OpenTaskStatus = "Not Started");

        await host.Exporter.ExportAsync(Chat(ended: null, "Hello"));

        org.Records("Task").Should().ContainSingle().Which.Text("Status").Should().Be("Not Started");
    }

    [Fact]
    public async Task A_closed_conversation_can_close_its_Case()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o =>
        {
            o.Mode = ExportMode.ContactAndCase;
            o.Transcript.ClosedCaseStatus = "Closed";
        });

        await host.Exporter.ExportAsync(Chat(ended: null, "My order is late"));
        org.Records("Case").Should().ContainSingle().Which.Text("Status").Should().NotBe("Closed");
        await host.Exporter.ExportAsync(Chat(ended: Start.AddMinutes(9), "My order is late", "It ships today"));

        org.Records("Case").Should().ContainSingle().Which.Text("Status").Should().Be("Closed");
    }

    private static Conversation Chat(DateTimeOffset? ended, params string[] texts) => new()
    {
        Id = "chat-lifecycle-1",
        Channel = "web",
        StartedAt = Start,
        EndedAt = ended,
        Visitor = new ChatVisitor { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com" },
        Messages = texts.Select((t, i) => new ChatMessage { Role = i % 2 == 0 ? ChatRole.Visitor : ChatRole.Agent, Text = t, SentAt = Start.AddMinutes(i + 1) }).ToArray(),
    };
}
