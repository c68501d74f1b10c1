using System.Globalization;
using ChatToSalesforce.Mapping.Internal;

namespace ChatToSalesforce.Conversations.Internal;

/// <summary>Reads values out of a conversation by source path (<c>visitor.email</c>, <c>custom:Student Type</c>, ...).</summary>
internal static class ConversationValues
{
    public const string CustomPrefix = "custom:";

    private static readonly string[] KnownSources =
    [
        "visitor.firstName", "visitor.lastName", "visitor.name", "visitor.email", "visitor.phone", "visitor.company",
        "agent.name", "agent.email",
        "conversation.id", "conversation.channel", "conversation.startedAt", "conversation.endedAt",
        "conversation.requestPage", "conversation.notes", "conversation.wrapUp", "conversation.messageCount",
    ];

    private static readonly Dictionary<string, Func<Conversation, string?>> Readers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["visitor.firstName"] = static c => PersonName.FirstName(c.Visitor),
        ["visitor.lastName"] = static c => PersonName.LastName(c.Visitor),
        ["visitor.name"] = static c => PersonName.FullName(c.Visitor),
        ["visitor.email"] = static c => EmailAddress.AsWritten(c.Visitor.Email),
        ["visitor.phone"] = static c => c.Visitor.Phone,
        ["visitor.company"] = static c => c.Visitor.Company,
        ["agent.name"] = static c => c.Agent?.Name,
        ["agent.email"] = static c => EmailAddress.AsWritten(c.Agent?.Email),
        ["conversation.id"] = static c => c.Id,
        ["conversation.channel"] = static c => c.Channel,
        ["conversation.startedAt"] = static c => FormatTimestamp(c.StartedAt),
        ["conversation.endedAt"] = static c => c.EndedAt is { } end ? FormatTimestamp(end) : null,
        ["conversation.requestPage"] = static c => c.RequestPage?.ToString(),
        ["conversation.notes"] = static c => c.Notes,
        ["conversation.wrapUp"] = static c => c.WrapUp,
        ["conversation.messageCount"] = static c => c.Messages.Count.ToString(CultureInfo.InvariantCulture),
    };

    public static IReadOnlyList<string> Sources => KnownSources;

    /// <summary>Checks a source path; returns an error text or <see langword="null"/>.</summary>
    public static string? Validate(string? source)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            return "is empty; use a source such as 'visitor.email' or 'custom:<key>'";
        }

        if (source.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return source.Length > CustomPrefix.Length ? null : "names no custom key; write 'custom:<key>', for example 'custom:Student Type'";
        }

        foreach (var known in KnownSources)
        {
            if (string.Equals(known, source, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return $"'{source}' is not a known source; use one of {string.Join(", ", KnownSources)} or 'custom:<key>'";
    }

    /// <summary>Reads a value; <see langword="null"/> when absent or blank.</summary>
    public static string? Read(Conversation conversation, string source)
    {
        string? value;
        if (source.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var key = source[CustomPrefix.Length..];
            value = ReadCustom(conversation.CustomFields, key);
        }
        else
        {
            // A case-insensitive lookup: upper-casing the source first cost a string per read, and reads run per field.
            value = Readers.TryGetValue(source, out var read) ? read(conversation) : null;
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Formats a timestamp as UTC ISO 8601 with an explicit zone (<c>2026-11-21T14:09:00Z</c>).</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? ReadCustom(IReadOnlyDictionary<string, string?> fields, string key)
    {
        if (fields.TryGetValue(key, out var exact))
        {
            return exact;
        }

        foreach (var pair in fields)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }
}

/// <summary>First/last name rules: explicit names win; otherwise <see cref="ChatVisitor.Name"/> is split on its last space.</summary>
internal static class PersonName
{
    public static string? FirstName(ChatVisitor visitor)
    {
        if (!string.IsNullOrWhiteSpace(visitor.FirstName))
        {
            return visitor.FirstName.Trim();
        }

        if (!string.IsNullOrWhiteSpace(visitor.LastName))
        {
            return null;
        }

        var name = visitor.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var space = name.LastIndexOf(' ');
        return space > 0 ? name[..space].Trim() : null;
    }

    public static string? LastName(ChatVisitor visitor)
    {
        if (!string.IsNullOrWhiteSpace(visitor.LastName))
        {
            return visitor.LastName.Trim();
        }

        var name = visitor.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var space = name.LastIndexOf(' ');
        return space > 0 ? name[(space + 1)..].Trim() : name;
    }

    public static string? FullName(ChatVisitor visitor)
    {
        if (!string.IsNullOrWhiteSpace(visitor.Name))
        {
            return visitor.Name.Trim();
        }

        var parts = new[] { visitor.FirstName?.Trim(), visitor.LastName?.Trim() }.Where(p => !string.IsNullOrEmpty(p));
        var joined = string.Join(" ", parts);
        return joined.Length == 0 ? null : joined;
    }
}
