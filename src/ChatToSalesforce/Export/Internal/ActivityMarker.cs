using System.Security.Cryptography;
using System.Text;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// How an export finds the activity it wrote before, so a re-export (retry, re-delivery, reopen) updates it instead of
/// creating a second one: by <see cref="SalesforceChatExportOptions.ConversationIdField"/> when the org has one, otherwise
/// by a deterministic marker at the end of the activity's <c>Subject</c> (a standard, filterable field).
/// </summary>
internal static class ActivityMarker
{
    /// <summary>Characters of the activity's <c>Subject</c> (Task, Event and Case hold 255).</summary>
    internal const int SubjectLength = 255;

    /// <summary>Activity objects an export can write; an earlier export of a conversation (a push with other choices) may have written any of them.</summary>
    internal static readonly string[] ActivityObjects = ["Task", "Case", "Event"];

    /// <summary>
    /// The key of the activity a conversation's export writes: session 1 is the conversation itself; a conversation whose
    /// messages resumed after more than <see cref="TranscriptOptions.ReopenWindow"/> of silence is in a later session, which
    /// gets an activity of its own (within the window, the same activity is updated).
    /// </summary>
    public static ActivityKey Key(Conversation conversation, SalesforceChatExportOptions options) =>
        new(conversation.Id, Session(conversation, options.Transcript.ReopenWindow));

    /// <summary>The session (1-based) the conversation's last message belongs to: one more for every silence longer than the window.</summary>
    internal static int Session(Conversation conversation, TimeSpan? window)
    {
        if (window is not { } gap || conversation.Messages.Count < 2)
        {
            return 1;
        }

        var times = conversation.Messages.Select(m => m.SentAt).Order().ToArray();
        var session = 1;
        for (var i = 1; i < times.Length; i++)
        {
            if (times[i] - times[i - 1] > gap)
            {
                session++;
            }
        }

        return session;
    }

    /// <summary>The marker of a conversation's first session, for example <c>[chat chat-1042]</c>; long or unusual ids are hashed.</summary>
    public static string For(string conversationId) => For(conversationId, 1);

    /// <summary>The marker of a session: <c>[chat chat-1042]</c>, then <c>[chat chat-1042~2]</c>, and so on.</summary>
    public static string For(string conversationId, int session)
    {
        var token = conversationId.Length is > 0 and <= 40 && conversationId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? conversationId
            : Hash(conversationId);
        return session <= 1 ? "[chat " + token + "]" : "[chat " + token + "~" + session.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
    }

    /// <summary>Whether a <see cref="SalesforceChatExportOptions.ConversationIdField"/> value is the key of a session of a conversation.</summary>
    public static bool IsKeyOf(string? value, string conversationId) =>
        value is not null && value.StartsWith(conversationId, StringComparison.Ordinal)
        && (value.Length == conversationId.Length
            || (value.Length > conversationId.Length + 1 && value[conversationId.Length] == '~' && value.AsSpan(conversationId.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0));

    /// <summary>Whether a subject carries the marker of any session of a conversation.</summary>
    public static bool BelongsTo(string subject, string conversationId)
    {
        var marker = For(conversationId);
        if (subject.EndsWith(" " + marker, StringComparison.Ordinal))
        {
            return true;
        }

        // A later session: "[chat <token>~<n>]".
        var open = " " + marker[..^1] + "~";
        var at = subject.LastIndexOf(open, StringComparison.Ordinal);
        return at >= 0 && subject.EndsWith(']') && subject.Length - 1 > at + open.Length
            && subject.AsSpan(at + open.Length, subject.Length - 1 - at - open.Length).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    /// <summary>Whether a subject ends with a conversation marker (an activity the SDK wrote).</summary>
    public static bool IsMarked(string subject)
    {
        var open = subject.LastIndexOf("[chat ", StringComparison.Ordinal);
        return open >= 0 && subject.EndsWith(']') && subject.IndexOf(']', open) == subject.Length - 1;
    }

    /// <summary>
    /// Whether an export must look for the activity an earlier export wrote. Always without
    /// <see cref="SalesforceChatExportOptions.ConversationIdField"/>; with it, the activity is upserted on the key, so only
    /// to find the files an interrupted export did not attach (when the conversation has files, or a transcript long
    /// enough to be attached as one).
    /// </summary>
    public static bool NeedsLookup(Conversation conversation, SalesforceChatExportOptions options)
    {
        if (options.ConversationIdField is null || conversation.Attachments.Count > 0)
        {
            return true;
        }

        var characters = 0L;
        foreach (var message in conversation.Messages)
        {
            characters += (message.Text?.Length ?? 0) + 64;
        }

        return characters > ChatToSalesforce.Transcripts.Internal.DefaultTranscriptWriter.DefaultDescriptionLength / 2;
    }

    /// <summary>The lookup that finds the activity an earlier export of the conversation wrote (one merged read).</summary>
    /// <param name="activityObject">The activity sObject.</param>
    /// <param name="key">The activity key (<see cref="Key"/>).</param>
    /// <param name="conversationIdField">The external-id field, when configured; an object other than the configured activity object is always searched by its marker.</param>
    public static SalesforceLookup Lookup(string activityObject, ActivityKey key, string? conversationIdField) =>
        conversationIdField is { } field
            ? new SalesforceLookup { ObjectType = activityObject, Field = field, Value = key.Value, Fields = ["Id", PersonLink(activityObject)] }
            : new SalesforceLookup { ObjectType = activityObject, Field = "Subject", Value = " " + key.Marker, Fields = ["Id", "Subject", PersonLink(activityObject)], Match = SalesforceLookupMatch.EndsWith };

    /// <summary>Whether a record found by <see cref="Lookup"/> is the key's activity: its subject (when read) ends with the marker, case included.</summary>
    public static bool IsMarkerOf(SalesforceFieldValues record, ActivityKey key) =>
        record.GetString("Subject") is not { } subject || subject.EndsWith(" " + key.Marker, StringComparison.Ordinal);

    /// <summary>The field of an activity that links it to its person.</summary>
    public static string PersonLink(string activityObject) =>
        string.Equals(activityObject, "Case", StringComparison.OrdinalIgnoreCase) ? "ContactId" : "WhoId";

    /// <summary>Puts the marker at the end of the subject, cutting the subject (never the marker) to fit.</summary>
    public static void Apply(SalesforceFieldValues fields, ActivityKey key)
    {
        var marker = " " + key.Marker;
        var subject = fields.GetString("Subject") ?? string.Empty;
        if (subject.EndsWith(marker, StringComparison.Ordinal))
        {
            return;
        }

        var room = SubjectLength - marker.Length;
        if (subject.Length > room)
        {
            var cut = room;
            if (cut > 0 && char.IsHighSurrogate(subject[cut - 1]))
            {
                cut--;
            }

            subject = subject[..cut];
        }

        fields["Subject"] = subject.TrimEnd() + marker;
    }

    private static string Hash(string value)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), digest);
        return "h" + Convert.ToHexString(digest[..10]).ToLowerInvariant();
    }
}

/// <summary>The idempotency key of the activity of one session of a conversation.</summary>
/// <param name="ConversationId">The conversation's id.</param>
/// <param name="Session">The session, 1 unless the conversation resumed after the reopen window.</param>
internal readonly record struct ActivityKey(string ConversationId, int Session)
{
    /// <summary>Gets the value written to <see cref="SalesforceChatExportOptions.ConversationIdField"/>: the id, or <c>{id}~{session}</c>.</summary>
    public string Value => Session <= 1 ? ConversationId : ConversationId + "~" + Session.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Gets the marker at the end of the activity's <c>Subject</c>.</summary>
    public string Marker => ActivityMarker.For(ConversationId, Session);
}
