using System.Globalization;
using System.Text;

namespace ChatToSalesforce.Transcripts.Internal;

/// <summary>The default plain-text transcript; every timestamp carries an explicit UTC zone.</summary>
internal sealed class PlainTextTranscriptFormatter : ITranscriptFormatter
{
    public string Format(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var capacity = 256 + conversation.Messages.Sum(m => m.Text.Length + (m.SenderName?.Length ?? 0) + 40);
        var sb = new StringBuilder(capacity);
        sb.Append("Conversation: ").Append(conversation.Id).Append('\n');
        Line(sb, "Channel", conversation.Channel);
        sb.Append("Started: ").Append(Time(conversation.StartedAt)).Append('\n');
        if (conversation.EndedAt is { } ended)
        {
            sb.Append("Ended: ").Append(Time(ended)).Append('\n');
        }

        if (conversation.Agent is { } agent)
        {
            Line(sb, "Agent", agent.Name ?? agent.Email);
        }

        Line(sb, "Request page", conversation.RequestPage?.ToString());
        Line(sb, "Notes", conversation.Notes);
        Line(sb, "Wrap-up", conversation.WrapUp);
        if (conversation.CustomFields.Count > 0)
        {
            sb.Append("Custom fields:\n");
            foreach (var (key, value) in conversation.CustomFields.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                sb.Append("  ").Append(key).Append(": ").Append(value).Append('\n');
            }
        }

        sb.Append('\n');
        foreach (var message in conversation.Messages)
        {
            sb.Append('[').Append(Time(message.SentAt)).Append("] ").Append(message.Role.ToString());
            if (!string.IsNullOrWhiteSpace(message.SenderName))
            {
                sb.Append(" (").Append(message.SenderName).Append(')');
            }

            sb.Append(": ").Append(message.Text).Append('\n');
        }

        return sb.ToString();
    }

    internal static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder sb, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            sb.Append(label).Append(": ").Append(value).Append('\n');
        }
    }
}
