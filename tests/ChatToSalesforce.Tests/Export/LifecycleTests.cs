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

    [Fact]
    public async Task A_conversation_that_resumes_after_the_reopen_window_gets_a_new_activity_and_the_first_is_kept()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Transcript.ReopenWindow = TimeSpan.FromDays(1));
        var first = await host.Exporter.ExportAsync(Timed(("Hello", 1), ("Hi, how can I help?", 2)));

        var reopened = await host.Exporter.ExportAsync(Timed(("Hello", 1), ("Hi, how can I help?", 2), ("Me again, a week later", 7 * 24 * 60)));
        var redelivered = await host.Exporter.ExportAsync(Timed(("Hello", 1), ("Hi, how can I help?", 2), ("Me again, a week later", 7 * 24 * 60), ("Thanks", 7 * 24 * 60 + 3)));

        reopened.Activity!.Id.Should().NotBe(first.Activity!.Id);
        reopened.Activity.Change.Should().Be(RecordChange.Created);
        reopened.Person!.Id.Should().Be(first.Person!.Id);
        redelivered.Activity!.Id.Should().Be(reopened.Activity.Id, "later exports of the reopened session update its activity");
        var tasks = org.Records("Task");
        tasks.Should().HaveCount(2);
        var original = tasks.Single(t => t.Id() == first.Activity.Id);
        original.Text("Subject").Should().EndWith(" [chat chat-lifecycle-1]");
        original.Text("Description").Should().NotContain("a week later", "the first session's activity is kept as it was");
        var second = tasks.Single(t => t.Id() == reopened.Activity.Id);
        second.Text("Subject").Should().EndWith(" [chat chat-lifecycle-1~2]");
        second.Text("Description").Should().Contain("Hello").And.Contain("Thanks", "the new activity holds the whole conversation");
    }

    [Fact]
    public async Task A_conversation_that_resumes_within_the_reopen_window_updates_the_same_activity()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Transcript.ReopenWindow = TimeSpan.FromDays(1));
        var first = await host.Exporter.ExportAsync(Timed(("Hello", 1)));

        var resumed = await host.Exporter.ExportAsync(Timed(("Hello", 1), ("Back after lunch", 120)));

        resumed.Activity!.Id.Should().Be(first.Activity!.Id);
        org.Records("Task").Should().ContainSingle().Which.Text("Description").Should().Contain("Back after lunch");
    }

    [Fact]
    public async Task Without_a_reopen_window_a_conversation_that_resumes_much_later_updates_the_same_activity()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org);
        var first = await host.Exporter.ExportAsync(Timed(("Hello", 1)));

        var resumed = await host.Exporter.ExportAsync(Timed(("Hello", 1), ("A month later", 30 * 24 * 60)));

        resumed.Activity!.Id.Should().Be(first.Activity!.Id);
        org.Records("Task").Should().ContainSingle();
    }

    [Fact]
    public async Task A_batch_decides_sessions_as_a_single_export_does()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Transcript.ReopenWindow = TimeSpan.FromHours(8));
        var first = await host.Exporter.ExportAsync(Timed(("Hello", 1)));

        var results = await host.Exporter.ExportManyAsync([Timed(("Hello", 1), ("Next day", 24 * 60))]).ToListAsync();

        results.Should().ContainSingle().Which.Activity!.Id.Should().NotBe(first.Activity!.Id);
        org.Records("Task").Should().HaveCount(2);
    }

    [Fact]
    public async Task With_a_conversation_id_field_a_later_session_is_keyed_by_the_id_and_its_session()
    {
        using var org = new SalesforceEmulator();
        SingleExportTests.DefineKeys(org);
        using var host = EmulatorExport.Create(org, o =>
        {
            o.ConversationIdField = "Chat_Conversation_Id__c";
            o.Transcript.ReopenWindow = TimeSpan.FromDays(1);
        });
        await host.Exporter.ExportAsync(Timed(("Hello", 1)));

        await host.Exporter.ExportAsync(Timed(("Hello", 1), ("Three days later", 3 * 24 * 60)));
        await host.Exporter.ExportAsync(Timed(("Hello", 1), ("Three days later", 3 * 24 * 60)));

        org.Records("Task").Select(t => t.Text("Chat_Conversation_Id__c")).Should().BeEquivalentTo(["chat-lifecycle-1", "chat-lifecycle-1~2"]);
    }

    [Fact]
    public async Task Erasing_a_conversation_erases_the_activities_of_all_its_sessions()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.Transcript.ReopenWindow = TimeSpan.FromDays(1));
        await host.Exporter.ExportAsync(Timed(("Hello", 1)));
        await host.Exporter.ExportAsync(Timed(("Hello", 1), ("A week later", 7 * 24 * 60)));
        org.Insert("Task", new { Subject = "Chat with Ada – web [chat chat-lifecycle-10]", WhoId = org.Records("Contact").Single().Id() });
        var eraser = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatToSalesforce.Erasure.IConversationEraser>(host.Services);

        var result = await eraser.EraseAsync(new ChatToSalesforce.Erasure.ErasureRequest { Email = "ada@example.com", ConversationIds = ["chat-lifecycle-1"] });

        result.Deleted.Where(r => r.ObjectType == "Task").Should().HaveCount(2);
        org.Records("Task").Should().ContainSingle("another conversation's activity is not this one's").Which.Text("Subject").Should().EndWith("[chat chat-lifecycle-10]");
    }

    [Fact]
    public void A_reopen_window_of_zero_is_refused_at_start_up_naming_the_setting()
    {
        using var org = new SalesforceEmulator();
        var act = () => EmulatorExport.Create(org, o => o.Transcript.ReopenWindow = TimeSpan.Zero);

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Message.Should().Contain("Transcript.ReopenWindow").And.Contain("longer than zero");
    }

    private static Conversation Timed(params (string Text, int Minute)[] messages) => Chat(ended: Start.AddMinutes(messages[^1].Minute + 1), messages.Select(m => m.Text).ToArray()) is var c
        ? new Conversation
        {
            Id = c.Id, Channel = c.Channel, StartedAt = c.StartedAt, EndedAt = c.EndedAt, Visitor = c.Visitor,
            Messages = messages.Select((m, i) => new ChatMessage { Role = i % 2 == 0 ? ChatRole.Visitor : ChatRole.Agent, Text = m.Text, SentAt = Start.AddMinutes(m.Minute) }).ToArray(),
        }
        : throw new InvalidOperationException();

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
