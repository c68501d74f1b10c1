using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Conversations;

public class ConversationValuesTests
{
    private static readonly Conversation Full = new()
    {
        Id = "conv-42",
        Channel = "whatsapp",
        StartedAt = new DateTimeOffset(2026, 11, 21, 16, 9, 0, TimeSpan.FromHours(2)),
        EndedAt = new DateTimeOffset(2026, 11, 21, 9, 30, 5, TimeSpan.FromHours(-5)),
        Visitor = new ChatVisitor { FirstName = " Ada ", LastName = " Lovelace ", Email = "  ada@example.com ", Phone = "+44 20 7946 0958", Company = "Analytical Engines" },
        Agent = new ChatAgent { Name = "Grace Hopper", Email = " grace@example.com " },
        Messages = [new ChatMessage { Text = "a" }, new ChatMessage { Text = "b" }, new ChatMessage { Text = "c" }],
        Notes = "Wants a brochure",
        WrapUp = "Resolved",
        RequestPage = new Uri("https://example.com/pricing?plan=pro"),
        CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student", ["empty"] = "  " },
    };

    [Theory]
    [InlineData("visitor.firstName", "Ada")]
    [InlineData("visitor.lastName", "Lovelace")]
    [InlineData("visitor.name", "Ada Lovelace")]
    [InlineData("visitor.email", "ada@example.com")]
    [InlineData("visitor.phone", "+44 20 7946 0958")]
    [InlineData("visitor.company", "Analytical Engines")]
    [InlineData("agent.name", "Grace Hopper")]
    [InlineData("agent.email", "grace@example.com")]
    [InlineData("conversation.id", "conv-42")]
    [InlineData("conversation.channel", "whatsapp")]
    [InlineData("conversation.startedAt", "2026-11-21T14:09:00Z")]
    [InlineData("conversation.endedAt", "2026-11-21T14:30:05Z")]
    [InlineData("conversation.requestPage", "https://example.com/pricing?plan=pro")]
    [InlineData("conversation.notes", "Wants a brochure")]
    [InlineData("conversation.wrapUp", "Resolved")]
    [InlineData("conversation.messageCount", "3")]
    [InlineData("custom:Student Type", "Future Student")]
    [InlineData("custom:student type", "Future Student")]
    [InlineData("VISITOR.EMAIL", "ada@example.com")]
    [InlineData("Custom:Student Type", "Future Student")]
    public void Read_EverySource_ReturnsItsValue(string source, string expected)
    {
        ConversationValues.Read(Full, source).Should().Be(expected);
    }

    [Theory]
    [InlineData("custom:empty")]
    [InlineData("custom:missing")]
    [InlineData("visitor.age")]
    [InlineData("conversation.endedAt")]
    [InlineData("agent.email")]
    [InlineData("conversation.notes")]
    public void Read_AbsentOrBlank_ReturnsNull(string source)
    {
        var bare = new Conversation { Id = "conv-1", Agent = new ChatAgent { Email = " " }, CustomFields = new Dictionary<string, string?> { ["empty"] = "  " } };

        ConversationValues.Read(bare, source).Should().BeNull();
    }

    [Fact]
    public void Read_CustomKeyExactAndOtherCase_PrefersTheExactKey()
    {
        var conversation = TestData.Conversation(custom: new Dictionary<string, string?> { ["type"] = "lower", ["TYPE"] = "upper" });

        ConversationValues.Read(conversation, "custom:TYPE").Should().Be("upper");
        ConversationValues.Read(conversation, "custom:type").Should().Be("lower");
    }

    [Fact]
    public void FormatTimestamp_Offset_IsUtcWithZ()
    {
        ConversationValues.FormatTimestamp(new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.FromHours(1))).Should().Be("2025-12-31T23:30:00Z");
    }

    [Theory]
    [InlineData("Ada", "Lovelace", "Ignored Name", "Ada", "Lovelace", "Ignored Name")]
    [InlineData(null, null, "Ada King Lovelace", "Ada King", "Lovelace", "Ada King Lovelace")]
    [InlineData(null, null, "  Ada   Lovelace  ", "Ada", "Lovelace", "Ada   Lovelace")]
    [InlineData(null, null, "Cher", null, "Cher", "Cher")]
    [InlineData(null, "Lovelace", "Ada Byron", null, "Lovelace", "Ada Byron")]
    [InlineData("Ada", null, "Ada Lovelace", "Ada", "Lovelace", "Ada Lovelace")]
    [InlineData("Ada", null, null, "Ada", null, "Ada")]
    [InlineData(" ", " ", " ", null, null, null)]
    [InlineData("Ada", "Lovelace", null, "Ada", "Lovelace", "Ada Lovelace")]
    public void PersonName_Rules_SplitTheFullNameOnlyWhenNeeded(string? first, string? last, string? name, string? expectedFirst, string? expectedLast, string? expectedFull)
    {
        var visitor = new ChatVisitor { FirstName = first, LastName = last, Name = name };

        PersonName.FirstName(visitor).Should().Be(expectedFirst);
        PersonName.LastName(visitor).Should().Be(expectedLast);
        PersonName.FullName(visitor).Should().Be(expectedFull);
    }

    [Theory]
    [InlineData("visitor.email")]
    [InlineData("Visitor.Email")]
    [InlineData("custom:Student Type")]
    [InlineData("conversation.messageCount")]
    public void Validate_KnownSource_ReturnsNull(string source)
    {
        ConversationValues.Validate(source).Should().BeNull();
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData(" ", "is empty")]
    [InlineData("custom:", "names no custom key")]
    [InlineData("visitor.age", "'visitor.age' is not a known source; use one of visitor.firstName")]
    public void Validate_BadSource_SaysWhy(string? source, string expected)
    {
        ConversationValues.Validate(source).Should().StartWith(expected);
    }
}
