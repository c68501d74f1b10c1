using ChatToSalesforce.Export.Internal;
using FluentAssertions;
using Xunit;

namespace ChatToSalesforce.Tests.Export;

public class ActivityMarkerTests
{
    [Theory]
    [InlineData("chat-1042", 1, "[chat chat-1042]")]
    [InlineData("chat-1042", 2, "[chat chat-1042~2]")]
    [InlineData("chat-1042", 12, "[chat chat-1042~12]")]
    public void A_session_after_the_first_is_marked_with_its_number(string id, int session, string marker) =>
        new ActivityKey(id, session).Marker.Should().Be(marker);

    [Fact]
    public void An_id_with_a_tilde_is_hashed_so_it_never_reads_as_another_conversations_session()
    {
        ActivityMarker.For("abc~2").Should().NotBe(new ActivityKey("abc", 2).Marker).And.StartWith("[chat h");
    }

    [Theory]
    [InlineData("Chat with Ada [chat c1]", "c1", true)]
    [InlineData("Chat with Ada [chat c1~2]", "c1", true)]
    [InlineData("Chat with Ada [chat c1~x]", "c1", false)]
    [InlineData("Chat with Ada [chat c10]", "c1", false)]
    [InlineData("Chat with Ada [chat c1~]", "c1", false)]
    [InlineData("[chat c1] and more", "c1", false)]
    public void A_subject_belongs_to_a_conversation_only_by_its_sessions_markers(string subject, string id, bool belongs) =>
        ActivityMarker.BelongsTo(subject, id).Should().Be(belongs);

    [Fact]
    public void A_long_id_is_matched_through_its_hash_in_every_session()
    {
        var id = new string('x', 80);
        ActivityMarker.BelongsTo("Chat " + new ActivityKey(id, 3).Marker, id).Should().BeTrue();
    }

    [Theory]
    [InlineData("c1", "c1", true)]
    [InlineData("c1~2", "c1", true)]
    [InlineData("c1~", "c1", false)]
    [InlineData("c10", "c1", false)]
    [InlineData("c1~2a", "c1", false)]
    [InlineData(null, "c1", false)]
    public void A_key_value_is_a_conversations_only_for_its_sessions(string? value, string id, bool ofIt) =>
        ActivityMarker.IsKeyOf(value, id).Should().Be(ofIt);

    [Fact]
    public void Sessions_count_only_silences_longer_than_the_window()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var conversation = new Conversation
        {
            Id = "c1",
            Messages = new[] { 0, 5, 60 * 30, 60 * 30 + 1, 60 * 80 }.Select(m => new ChatMessage { Text = "x", SentAt = start.AddMinutes(m) }).Reverse().ToArray(),
        };

        ActivityMarker.Session(conversation, TimeSpan.FromHours(24)).Should().Be(3);
        ActivityMarker.Session(conversation, TimeSpan.FromHours(50)).Should().Be(1);
        ActivityMarker.Session(conversation, null).Should().Be(1);
    }
}
