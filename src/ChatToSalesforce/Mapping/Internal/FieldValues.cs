using System.Buffers;
using ChatToSalesforce.Conversations.Internal;
using System.Globalization;
using System.Text;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Mapping.Internal;

/// <summary>Converts text to a field's type and fits it to the field (length, picklist, control characters).</summary>
internal static partial class FieldValues
{
    private static readonly string[] TextTypes = ["string", "textarea", "phone", "url", "combobox", "encryptedstring"];

    /// <summary>Converts <paramref name="raw"/> for <paramref name="field"/>; <paramref name="problem"/> names why a value was changed or dropped (no values in it).</summary>
    public static object? Convert(SalesforceFieldDescription field, string raw, string target, PicklistPolicy picklistPolicy, out string? problem)
    {
        problem = null;
        var text = StripControlCharacters(raw);
        switch (field.Type.ToLowerInvariant())
        {
            case "boolean":
                if (TryBool(text, out var b))
                {
                    return b;
                }

                problem = $"{target}: the value is not a boolean and was left out.";
                return null;
            case "int":
                if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                problem = $"{target}: the value is not a whole number and was left out.";
                return null;
            case "double" or "currency" or "percent":
                if (TryNumber(text.Trim(), out var d))
                {
                    return d;
                }

                problem = $"{target}: the value is not a number and was left out.";
                return null;
            case "date":
                if (TryDateTime(text.Trim(), out var date))
                {
                    return date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }

                problem = $"{target}: the value is not a date and was left out.";
                return null;
            case "datetime":
                if (TryDateTime(text.Trim(), out var dt))
                {
                    return ConversationValues.FormatTimestamp(dt);
                }

                problem = $"{target}: the value is not a date-time and was left out.";
                return null;
            case "email":
                // The address as written, not the stripped text: an address with a control character is invalid, never cleaned.
                var email = EmailAddress.AsWritten(raw)!;
                if (!EmailAddress.IsValid(email) || (field.Length > 0 && email.Length > field.Length))
                {
                    problem = $"{target}: the value is not a valid email address (or is longer than {field.Length}) and was left out.";
                    return null;
                }

                return email;
            case "picklist" or "multipicklist":
                return Picklist(field, text.Trim(), target, picklistPolicy, out problem);
            case "reference" or "id":
                return text.Trim();
            default:
                if (field.Length > 0 && text.Length > field.Length && (TextTypes.Contains(field.Type.ToLowerInvariant()) || field.Length > 0))
                {
                    problem = $"{target}: the value was cut to the field length ({field.Length} characters).";
                    return Truncate(text, field.Length);
                }

                return text;
        }
    }

    /// <summary>
    /// Reads a number in invariant form (<c>1234.5</c>, <c>-3</c>, <c>1.5e3</c>). Thousands separators are accepted only
    /// where they group thousands (<c>1,234.50</c>): <c>1,5</c> is a decimal comma, not fifteen, and is not a number here.
    /// </summary>
    private static bool TryNumber(string text, out decimal value)
    {
        if (text.Contains(',', StringComparison.Ordinal) && !GroupedNumber().IsMatch(text))
        {
            value = 0;
            return false;
        }

        return decimal.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex GroupedNumber();

    /// <summary>Reads a date or date-time in invariant form; a time alone is not one (it would take the day of the export).</summary>
    private static bool TryDateTime(string text, out DateTimeOffset value)
    {
        value = default;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.NoCurrentDateDefault | DateTimeStyles.AllowWhiteSpaces, out var withoutDefault)
            || withoutDefault.Year == 1)
        {
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>Cuts text to at most <paramref name="maxChars"/> UTF-16 units without splitting a surrogate pair.</summary>
    public static string Truncate(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        if (maxChars <= 0)
        {
            return string.Empty;
        }

        var cut = maxChars;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut];
    }

    /// <summary>Removes control characters Salesforce rejects, keeping tab, line feed and carriage return.</summary>
    public static string StripControlCharacters(string text)
    {
        // A vectorized scan: every transcript goes through here, and most are clean.
        if (text.AsSpan().IndexOfAny(Rejected) < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsRejected(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>The characters <see cref="IsRejected"/> names, for a vectorized scan.</summary>
    private static readonly SearchValues<char> Rejected =
        SearchValues.Create(Enumerable.Range(char.MinValue, char.MaxValue + 1).Select(i => (char)i).Where(IsRejected).ToArray());

    /// <summary>What Salesforce rejects in text: C0 controls other than tab and line breaks, and two non-characters.</summary>
    private static bool IsRejected(char c) => (c < 0x20 && c is not '\t' and not '\n' and not '\r') || c is '\uFFFE' or '\uFFFF';

    private static object? Picklist(SalesforceFieldDescription field, string value, string target, PicklistPolicy policy, out string? problem)
    {
        problem = null;
        if (!field.IsRestrictedPicklist || field.PicklistValues.Count == 0)
        {
            return Truncate(value, field.Length > 0 ? field.Length : 255);
        }

        if (string.Equals(field.Type, "multipicklist", StringComparison.OrdinalIgnoreCase))
        {
            var parts = value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var known = parts.Select(p => field.PicklistValues.FirstOrDefault(v => string.Equals(v, p, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (known.All(k => k is not null) && known.Length > 0)
            {
                return string.Join(";", known);
            }
        }

        var match = field.PicklistValues.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        if (policy == PicklistPolicy.Fail)
        {
            throw new ExportConfigurationException(
                nameof(SalesforceChatExportOptions.RestrictedPicklistPolicy),
                $"{target} is a restricted picklist and the mapped value is not one of its values; add the value in Salesforce, map a different source, or set RestrictedPicklistPolicy to Drop.");
        }

        problem = $"{target}: the value is not in the restricted picklist and was left out.";
        return null;
    }

    private static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "y" or "1" or "on" or "checked":
                value = true;
                return true;
            case "false" or "no" or "n" or "0" or "off" or "unchecked" or "":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}

/// <summary>
/// The one rule for email addresses, used for identity readiness, the lookup and the write alike: an address is used
/// exactly as written (only surrounding spaces are dropped) or not at all. Control characters (NUL, CR, LF, tab, ...),
/// invisible format characters and spaces inside it make it invalid instead of being removed: a silently "cleaned"
/// address would miss the existing Contact in the lookup and then create a duplicate with the cleaned value.
/// </summary>
internal static class EmailAddress
{
    /// <summary>The address as written: surrounding space characters removed, nothing else changed.</summary>
    public static string? AsWritten(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        int start = 0, end = raw.Length;
        while (start < end && char.GetUnicodeCategory(raw[start]) == UnicodeCategory.SpaceSeparator)
        {
            start++;
        }

        while (end > start && char.GetUnicodeCategory(raw[end - 1]) == UnicodeCategory.SpaceSeparator)
        {
            end--;
        }

        return raw[start..end];
    }

    /// <summary>A pragmatic check (what Salesforce's email fields accept: local@domain.tld), with no control, format or space characters anywhere.</summary>
    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254)
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }

        var domain = email[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot < domain.Length - 2 && !email.Any(IsForbidden) && !domain.Contains("..", StringComparison.Ordinal);
    }

    private static bool IsForbidden(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
