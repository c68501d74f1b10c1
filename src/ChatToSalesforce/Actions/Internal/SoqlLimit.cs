using System.Globalization;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>Whether a SOQL text has a <c>LIMIT</c> of its own (outside quotes and sub-queries), and where one goes: the one <c>LIMIT</c> rule of bot and identity-rule queries.</summary>
internal static class SoqlLimit
{
    public static bool HasTopLevelLimit(string soql) => IndexOfTopLevelWord(soql, "LIMIT") >= 0;

    /// <summary>Where <c>LIMIT</c> goes when a query has none: before a top-level <c>OFFSET</c> or <c>FOR</c>, else at the end.</summary>
    public static string AddLimit(string soql, int limit)
    {
        var at = IndexOfTopLevelWord(soql, "OFFSET");
        at = at >= 0 ? at : IndexOfTopLevelWord(soql, "FOR");
        return at < 0 ? $"{soql} LIMIT {limit}" : $"{soql[..at]}LIMIT {limit} {soql[at..]}";
    }

    /// <summary>
    /// A query that reads at most <paramref name="limit"/> rows: its own top-level <c>LIMIT</c> when that is no larger,
    /// else <paramref name="limit"/> (in place of its own, or added as <see cref="AddLimit"/> adds it).
    /// </summary>
    public static string AtMost(string soql, int limit)
    {
        var at = IndexOfTopLevelWord(soql, "LIMIT");
        if (at < 0)
        {
            return AddLimit(soql, limit);
        }

        var start = at + "LIMIT".Length;
        while (start < soql.Length && char.IsWhiteSpace(soql[start]))
        {
            start++;
        }

        var end = start;
        while (end < soql.Length && char.IsAsciiDigit(soql[end]))
        {
            end++;
        }

        // No number after LIMIT is not SOQL: Salesforce rejects the query as written.
        return end == start || (int.TryParse(soql.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var own) && own <= limit)
            ? soql
            : string.Concat(soql.AsSpan(0, start), limit.ToString(CultureInfo.InvariantCulture), soql.AsSpan(end));
    }

    /// <summary>The index of a keyword outside quotes and parentheses, or -1.</summary>
    public static int IndexOfTopLevelWord(string soql, string word)
    {
        var depth = 0;
        for (var i = 0; i < soql.Length; i++)
        {
            var c = soql[i];
            if (c == '\'')
            {
                // Skip a quoted literal (backslash escapes inside).
                for (i++; i < soql.Length && soql[i] != '\''; i++)
                {
                    if (soql[i] == '\\')
                    {
                        i++;
                    }
                }

                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (depth == 0 && char.ToUpperInvariant(c) == word[0] && (i == 0 || !IsWordChar(soql[i - 1]))
                && string.Compare(soql, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (i + word.Length == soql.Length || !IsWordChar(soql[i + word.Length])))
            {
                return i;
            }
        }

        return -1;

        static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '!' or '{';
    }
}
