using ChatToSalesforce.Transcripts.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Transcripts;

public class PlainTextTranscriptFormatterTests
{
    private static readonly TimeSpan Paris = TimeSpan.FromHours(1);

    [Fact]
    public void Format_FullConversation_WritesTheHeaderAndOneLinePerMessage()
    {
        var conversation = new Conversation
        {
            Id = "conv-1",
            Channel = "web",
            StartedAt = new DateTimeOffset(2026, 11, 21, 15, 0, 0, Paris),
            EndedAt = new DateTimeOffset(2026, 11, 21, 9, 10, 30, TimeSpan.FromHours(-5)),
            Agent = new ChatAgent { Name = "Grace", Email = "grace@example.com" },
            RequestPage = new Uri("https://example.com/pricing"),
            Notes = "Wants a brochure",
            WrapUp = "Resolved",
            CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student", ["Campus"] = "North" },
            Messages =
            [
                new ChatMessage { Role = ChatRole.Visitor, SenderName = "Ada", Text = "Hello", SentAt = new DateTimeOffset(2026, 11, 21, 15, 1, 0, Paris) },
                new ChatMessage { Role = ChatRole.Agent, SenderName = "Grace", Text = "Hi Ada", SentAt = new DateTimeOffset(2026, 11, 21, 14, 2, 5, TimeSpan.Zero) },
                new ChatMessage { Role = ChatRole.Bot, SenderName = " ", Text = "Rate us", SentAt = new DateTimeOffset(2026, 11, 21, 14, 9, 0, TimeSpan.Zero) },
                new ChatMessage { Role = ChatRole.System, Text = "Chat closed", SentAt = new DateTimeOffset(2026, 11, 21, 14, 10, 30, TimeSpan.Zero) },
            ],
        };

        var text = new PlainTextTranscriptFormatter().Format(conversation);

        text.Should().Be(
            "Conversation: conv-1\n" +
            "Channel: web\n" +
            "Started: 2026-11-21 14:00:00 UTC\n" +
            "Ended: 2026-11-21 14:10:30 UTC\n" +
            "Agent: Grace\n" +
            "Request page: https://example.com/pricing\n" +
            "Notes: Wants a brochure\n" +
            "Wrap-up: Resolved\n" +
            "Custom fields:\n" +
            "  Campus: North\n" +
            "  Student Type: Future Student\n" +
            "\n" +
            "[2026-11-21 14:01:00 UTC] Visitor (Ada): Hello\n" +
            "[2026-11-21 14:02:05 UTC] Agent (Grace): Hi Ada\n" +
            "[2026-11-21 14:09:00 UTC] Bot: Rate us\n" +
            "[2026-11-21 14:10:30 UTC] System: Chat closed\n");
    }

    [Fact]
    public void Format_MinimalConversation_LeavesOutTheEmptyHeaderLines()
    {
        var conversation = new Conversation { Id = "conv-2", StartedAt = TestData.Started, Notes = "  " };

        var text = new PlainTextTranscriptFormatter().Format(conversation);

        text.Should().Be("Conversation: conv-2\nStarted: 2026-11-21 14:00:00 UTC\n\n");
    }

    [Fact]
    public void Format_AgentWithoutName_ShowsTheEmail()
    {
        var conversation = TestData.Conversation(agent: new ChatAgent { Email = "grace@example.com" });

        new PlainTextTranscriptFormatter().Format(conversation).Should().Contain("Agent: grace@example.com\n");
    }

    [Fact]
    public void Format_EveryTimestamp_CarriesAnExplicitUtcZone()
    {
        var text = new PlainTextTranscriptFormatter().Format(TestData.Conversation());

        text.Split('\n').Where(l => l.StartsWith("Started", StringComparison.Ordinal) || l.StartsWith("Ended", StringComparison.Ordinal) || l.StartsWith('['))
            .Should().HaveCount(3).And.OnlyContain(l => l.Contains(" UTC"));
    }

    [Fact]
    public void Format_Null_Throws()
    {
        var act = () => new PlainTextTranscriptFormatter().Format(null!);

        act.Should().Throw<ArgumentNullException>();
    }
}
