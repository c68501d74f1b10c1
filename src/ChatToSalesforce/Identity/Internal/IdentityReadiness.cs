using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Mapping.Internal;

namespace ChatToSalesforce.Identity.Internal;

/// <summary>Checks that enough is known about the visitor before anything is read or written.</summary>
internal static class IdentityReadiness
{
    private static readonly string[] PersonDefault = ["visitor.email", "visitor.lastName"];

    /// <summary>Returns why the conversation is not ready, or <see langword="null"/>. Reasons name sources, never values.</summary>
    public static string? Check(Conversation conversation, SalesforceChatExportOptions options)
    {
        var required = options.Identity.RequiredSources ?? (options.Mode == ExportMode.Record ? [] : PersonDefault);
        var missing = required.Where(s => ConversationValues.Read(conversation, s) is null).ToArray();
        if (missing.Length > 0)
        {
            return $"Not enough identity to export: {string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} missing or blank (Identity.RequiredSources).";
        }

        if (options.Mode != ExportMode.Record && ConversationValues.Read(conversation, "visitor.email") is { } email && !EmailAddress.IsValid(email))
        {
            // One rule (EmailAddress): an address that is not valid as written is never corrected, so it is a missing identity.
            return "The visitor's email address is malformed as written (it is never corrected, for example by removing control characters); nothing was written.";
        }

        return null;
    }
}
