using System.Text.RegularExpressions;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>The shapes of Salesforce record ids the SDK checks: an id's first three characters name its object (005 User, 003 Contact, 00Q Lead).</summary>
internal static partial class RecordIds
{
    /// <summary>Whether a value is a User id: 15 or 18 characters starting with <c>005</c>.</summary>
    public static bool IsUserId(string? value) => value is not null && UserIdPattern().IsMatch(value);

    /// <summary>The person object a <c>WhoId</c> or <c>ContactId</c> points to, from the id's key prefix; <see langword="null"/> when it is neither a Contact nor a Lead.</summary>
    public static string? PersonObjectOf(string? id) =>
        id is not { Length: 15 or 18 } ? null
        : id.StartsWith("003", StringComparison.Ordinal) ? "Contact"
        : id.StartsWith("00Q", StringComparison.Ordinal) ? "Lead"
        : null;

    /// <summary>The 18-character (case-safe) form of a 15-character id; other values unchanged.</summary>
    public static string To18(string id)
    {
        if (id.Length != 15)
        {
            return id;
        }

        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        Span<char> suffix = stackalloc char[3];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            suffix[chunk] = Alphabet[bits];
        }

        return string.Concat(id, suffix);
    }

    [GeneratedRegex("^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$")]
    private static partial Regex UserIdPattern();
}
