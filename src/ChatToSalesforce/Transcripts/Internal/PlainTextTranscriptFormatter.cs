using System.Globalization;
using System.Text;

namespace ChatToSalesforce.Transcripts.Internal;

/// <summary>The default plain-text transcript; every timestamp carries an explicit UTC zone.</summary>
/// <remarks>
/// Built in one pass into a per-thread, reused <see cref="StringBuilder"/> (timestamps are formatted straight into it),
/// so a transcript costs one string of its own length: the formatter runs once per exported conversation.
/// </remarks>
internal sealed class PlainTextTranscriptFormatter : ITranscriptFormatter
{
    /// <summary>Builders up to this many characters are kept for the thread's next transcript; larger ones are dropped.</summary>
    internal const int MaxCachedCapacity = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_cached;

    public string Format(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var capacity = 256;
        foreach (var message in conversation.Messages)
        {
            capacity += message.Text.Length + (message.SenderName?.Length ?? 0) + 40;
        }

        var sb = Acquire(capacity);
        sb.Append("Conversation: ").Append(conversation.Id).Append('\n');
        Line(sb, "Channel", conversation.Channel);
        AppendTime(sb.Append("Started: "), conversation.StartedAt).Append('\n');
        if (conversation.EndedAt is { } ended)
        {
            AppendTime(sb.Append("Ended: "), ended).Append('\n');
        }

        if (conversation.Agent is { } agent)
        {
            Line(sb, "Agent", agent.Name ?? agent.Email);
        }

        Line(sb, "Request page", conversation.RequestPage?.ToString());
        if (conversation.RedactedValues > 0)
        {
            // How much, never what.
            sb.Append("Redaction: ").Append(conversation.RedactedValues).Append(conversation.RedactedValues == 1 ? " value was" : " values were").Append(" redacted before export\n");
        }

        Line(sb, "Notes", conversation.Notes);
        Line(sb, "Wrap-up", conversation.WrapUp);
        if (conversation.CustomFields.Count > 0)
        {
            sb.Append("Custom fields:\n");
            var keys = new string[conversation.CustomFields.Count];
            var k = 0;
            foreach (var key in conversation.CustomFields.Keys)
            {
                keys[k++] = key;
            }

            Array.Sort(keys, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                sb.Append("  ").Append(key).Append(": ").Append(conversation.CustomFields[key]).Append('\n');
            }
        }

        sb.Append('\n');
        foreach (var message in conversation.Messages)
        {
            AppendTime(sb.Append('['), message.SentAt).Append("] ").Append(RoleName(message.Role));
            if (!string.IsNullOrWhiteSpace(message.SenderName))
            {
                sb.Append(" (").Append(message.SenderName).Append(')');
            }

            sb.Append(": ").Append(message.Text).Append('\n');
        }

        var transcript = sb.ToString();
        Release(sb);
        return transcript;
    }

    internal static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static StringBuilder AppendTime(StringBuilder sb, DateTimeOffset value) =>
        sb.Append(CultureInfo.InvariantCulture, $"{value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");

    // Enum.ToString() would box the role once per message.
    private static string RoleName(ChatRole role) => role switch
    {
        ChatRole.Visitor => nameof(ChatRole.Visitor),
        ChatRole.Agent => nameof(ChatRole.Agent),
        ChatRole.Bot => nameof(ChatRole.Bot),
        ChatRole.System => nameof(ChatRole.System),
        _ => role.ToString(),
    };

    private static StringBuilder Acquire(int capacity)
    {
        var sb = t_cached;
        if (sb is not null && capacity <= MaxCachedCapacity)
        {
            t_cached = null;
            sb.Clear();
            sb.EnsureCapacity(capacity);
            return sb;
        }

        return new StringBuilder(capacity);
    }

    private static void Release(StringBuilder sb)
    {
        if (sb.Capacity <= MaxCachedCapacity)
        {
            t_cached = sb;
        }
    }

    private static void Line(StringBuilder sb, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            sb.Append(label).Append(": ").Append(value).Append('\n');
        }
    }
}
