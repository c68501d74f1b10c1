using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Conversations.Internal;
using System.Globalization;
using System.Text;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership;

namespace ChatToSalesforce.Transcripts.Internal;

/// <summary>
/// Builds the Task, Case or Event holding the transcript: subject from the template, description from the formatter
/// (cut to the field length on a character boundary, with a note and the full text attached as a file when it does not fit),
/// chat attachments as files, and the conversation id as the upsert key when <see cref="SalesforceChatExportOptions.ConversationIdField"/> is set.
/// </summary>
internal sealed class DefaultTranscriptWriter(ITranscriptFormatter formatter) : ITranscriptWriter
{
    internal const int DefaultDescriptionLength = 32_000;
    internal const int SubjectLength = 255;

    public async ValueTask<TranscriptActivity> WriteAsync(TranscriptWriteContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var conversation = context.Conversation;
        var activity = context.ActivityObject;
        var description = await context.Salesforce.DescribeAsync(activity, cancellationToken).ConfigureAwait(false);
        var maxLength = description.FindField("Description") is { Length: > 0 } d ? d.Length : DefaultDescriptionLength;

        var transcript = FieldValues.StripControlCharacters(formatter.Format(conversation));
        var truncated = transcript.Length > maxLength;
        // Named by the one file-name rule, so the note names the file exactly as it is uploaded.
        var fileName = truncated ? AttachmentNames.Safe($"chat-transcript-{FieldValues.Truncate(conversation.Id, 100)}.txt", 1) : string.Empty;
        var text = transcript;
        if (truncated)
        {
            var note = TruncationNote(options.Transcript.AttachFullTranscriptWhenTruncated ? fileName : null);
            // A field too short for the note holds as much of the transcript as fits.
            text = note.Length < maxLength ? FieldValues.Truncate(transcript, maxLength - note.Length) + note : FieldValues.Truncate(transcript, maxLength);
        }

        var fields = new SalesforceFieldValues
        {
            ["Subject"] = Subject(options.Transcript.SubjectTemplate, conversation),
            ["Description"] = text,
        };

        var start = conversation.StartedAt.ToUniversalTime();
        switch (activity)
        {
            case "Task":
                // Exported while it is still open (at its start), the Task is open; the export at close completes the same Task.
                fields["Status"] = conversation.EndedAt is null && options.Transcript.OpenTaskStatus is { } open ? open : options.Transcript.TaskStatus;
                fields["ActivityDate"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            case "Case":
                fields["Origin"] = options.Transcript.CaseOrigin;
                if (conversation.EndedAt is not null && options.Transcript.ClosedCaseStatus is { } closed)
                {
                    fields["Status"] = closed;
                }

                if (ConversationValues.Read(conversation, "visitor.email") is { } email && EmailAddress.IsValid(email)
                    && (description.FindField("SuppliedEmail") is not { Length: > 0 } emailField || email.Length <= emailField.Length))
                {
                    // An address that does not fit is left out: cut, it would be another (invalid) address and fail the Case.
                    fields["SuppliedEmail"] = email;
                }

                AddIfPresent(fields, "SuppliedName", ConversationValues.Read(conversation, "visitor.name"));
                AddIfPresent(fields, "SuppliedPhone", ConversationValues.Read(conversation, "visitor.phone"));
                AddIfPresent(fields, "SuppliedCompany", ConversationValues.Read(conversation, "visitor.company"));
                break;
            case "Event":
                var end = EventEnd(conversation);
                fields["StartDateTime"] = ConversationValues.FormatTimestamp(start);
                fields["EndDateTime"] = ConversationValues.FormatTimestamp(end);
                break;
        }

        foreach (var field in new[] { "Subject", "SuppliedName", "SuppliedPhone", "SuppliedCompany" })
        {
            if (fields[field] is string s && description.FindField(field) is { Length: > 0 } f && s.Length > f.Length)
            {
                fields[field] = FieldValues.Truncate(s, f.Length);
            }
        }

        if (context.Owner.OwnerId is { } owner)
        {
            fields["OwnerId"] = owner;
        }

        foreach (var (field, value) in context.Fields.For(activity))
        {
            fields[field] = value;
        }

        var files = new List<TranscriptFile>();
        if (truncated && options.Transcript.AttachFullTranscriptWhenTruncated)
        {
            files.Add(new TranscriptFile(fileName, Encoding.UTF8.GetBytes(transcript), "text/plain"));
        }

        if (options.Transcript.UploadAttachments)
        {
            files.AddRange(conversation.Attachments.Select(a => new TranscriptFile(a.FileName, a.Content, a.ContentType)));
        }

        return new TranscriptActivity
        {
            ObjectType = activity,
            Fields = fields,
            PersonLinkField = activity == "Case" ? "ContactId" : "WhoId",
            ExternalIdField = options.ConversationIdField,
            ExternalIdValue = options.ConversationIdField is null ? null : context.ActivityKey ?? conversation.Id,
            Files = files,
            Truncated = truncated,
        };
    }

    /// <summary>
    /// Expands the Subject template in one pass: a placeholder is replaced by its value, and a value is never read as a
    /// template in turn (a visitor named <c>{agent}</c> keeps that name).
    /// </summary>
    internal static string Subject(string template, Conversation conversation)
    {
        var builder = new StringBuilder(template.Length + 64);
        var rest = template.AsSpan();
        while (rest.IndexOf('{') is var open and >= 0)
        {
            builder.Append(rest[..open]);
            rest = rest[open..];
            var close = rest.IndexOf('}');
            if (close < 0 || SubjectValue(rest[1..close], conversation) is not { } value)
            {
                // Not a placeholder: the brace is text.
                builder.Append('{');
                rest = rest[1..];
                continue;
            }

            builder.Append(value);
            rest = rest[(close + 1)..];
        }

        builder.Append(rest);
        return FieldValues.Truncate(FieldValues.StripControlCharacters(builder.ToString()).ReplaceLineEndings(" "), SubjectLength);
    }

    private static string? SubjectValue(ReadOnlySpan<char> name, Conversation conversation) => name switch
    {
        _ when name.Equals("visitor", StringComparison.OrdinalIgnoreCase) =>
            ConversationValues.Read(conversation, "visitor.name") ?? ConversationValues.Read(conversation, "visitor.email") ?? "visitor",
        _ when name.Equals("channel", StringComparison.OrdinalIgnoreCase) => conversation.Channel ?? "chat",
        _ when name.Equals("agent", StringComparison.OrdinalIgnoreCase) => conversation.Agent?.Name ?? conversation.Agent?.Email ?? "no agent",
        _ when name.Equals("conversationId", StringComparison.OrdinalIgnoreCase) => conversation.Id,
        _ when name.Equals("date", StringComparison.OrdinalIgnoreCase) => conversation.StartedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => null,
    };

    internal static DateTimeOffset EventEnd(Conversation conversation)
    {
        var end = conversation.EndedAt ?? (conversation.Messages.Count > 0 ? conversation.Messages.Max(m => m.SentAt) : conversation.StartedAt);
        return end < conversation.StartedAt ? conversation.StartedAt.ToUniversalTime() : end.ToUniversalTime();
    }

    internal static string TruncationNote(string? attachedFileName) => attachedFileName is null
        ? "\n\n[Transcript truncated to fit this field.]"
        : $"\n\n[Transcript truncated to fit this field. The full transcript is attached as {attachedFileName}.]";

    /// <summary>Sets a text field from a conversation value, without the control characters Salesforce rejects; a value that is blank without them is left out.</summary>
    private static void AddIfPresent(SalesforceFieldValues fields, string field, string? value)
    {
        if (value is not null && FieldValues.StripControlCharacters(value) is { } clean && !string.IsNullOrWhiteSpace(clean))
        {
            fields[field] = clean;
        }
    }
}
