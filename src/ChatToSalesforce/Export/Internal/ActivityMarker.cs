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

    /// <summary>The marker of a conversation, for example <c>[chat chat-1042]</c>; long or unusual ids are hashed.</summary>
    public static string For(string conversationId)
    {
        var token = conversationId.Length is > 0 and <= 40 && conversationId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? conversationId
            : Hash(conversationId);
        return "[chat " + token + "]";
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
    public static SalesforceLookup Lookup(string activityObject, string conversationId, string? conversationIdField) =>
        conversationIdField is { } key
            ? new SalesforceLookup { ObjectType = activityObject, Field = key, Value = conversationId, Fields = ["Id"] }
            : new SalesforceLookup { ObjectType = activityObject, Field = "Subject", Value = " " + For(conversationId), Fields = ["Id", "Subject"], Match = SalesforceLookupMatch.EndsWith };

    /// <summary>Puts the marker at the end of the subject, cutting the subject (never the marker) to fit.</summary>
    public static void Apply(SalesforceFieldValues fields, string conversationId)
    {
        var marker = " " + For(conversationId);
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
