namespace ChatToSalesforce.Redaction.Internal;

/// <summary>
/// The one place redaction happens: a redacted copy of the conversation, made before the stages see it, so the transcript,
/// the full-transcript file and every mapped value come from redacted text whatever stage writes them.
/// </summary>
internal static class ConversationRedactor
{
    /// <summary>Returns a copy of <paramref name="conversation"/> with every configured pattern redacted, or the conversation itself when nothing is configured or found.</summary>
    /// <param name="conversation">The conversation as the host gave it (never modified).</param>
    /// <param name="options">The tenant's options.</param>
    /// <returns>The conversation the stages see; <see cref="Conversation.RedactedValues"/> says how many values were redacted.</returns>
    /// <exception cref="ExportConfigurationException">A custom pattern ran too long (the conversation is not exported).</exception>
    public static Conversation Redact(Conversation conversation, SalesforceChatExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (options.Redaction is not { IsEnabled: true } redaction)
        {
            return conversation;
        }

        var redactor = TextRedactor.For(redaction);
        var count = 0;
        var messages = new ChatMessage[conversation.Messages.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var message = conversation.Messages[i];
            var before = count;
            var text = redactor.Redact(message.Text, ref count)!;
            messages[i] = count == before
                ? message
                : new ChatMessage { Role = message.Role, SenderName = message.SenderName, Text = text, SentAt = message.SentAt };
        }

        var notes = redactor.Redact(conversation.Notes, ref count);
        var wrapUp = redactor.Redact(conversation.WrapUp, ref count);
        var customFields = new Dictionary<string, string?>(conversation.CustomFields.Count, StringComparer.Ordinal);
        foreach (var (key, value) in conversation.CustomFields)
        {
            customFields[key] = redactor.Redact(value, ref count);
        }

        if (count == 0)
        {
            return conversation;
        }

        return new Conversation
        {
            Id = conversation.Id,
            TenantId = conversation.TenantId,
            Channel = conversation.Channel,
            StartedAt = conversation.StartedAt,
            EndedAt = conversation.EndedAt,
            Visitor = conversation.Visitor,
            Agent = conversation.Agent,
            Messages = messages,
            Attachments = conversation.Attachments,
            Notes = notes,
            WrapUp = wrapUp,
            RequestPage = conversation.RequestPage,
            CustomFields = WithComparer(customFields, conversation.CustomFields),
            RedactedValues = conversation.RedactedValues + count,
        };
    }

    // Lookups of "custom:<key>" keep the comparer the host chose (a case-insensitive dictionary stays case-insensitive).
    private static Dictionary<string, string?> WithComparer(Dictionary<string, string?> values, IReadOnlyDictionary<string, string?> original) =>
        original is Dictionary<string, string?> { Comparer: var comparer } && !ReferenceEquals(comparer, values.Comparer)
            ? new Dictionary<string, string?>(values, comparer)
            : values;
}
