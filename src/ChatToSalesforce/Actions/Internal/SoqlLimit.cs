namespace ChatToSalesforce.Actions.Internal;

/// <summary>Whether a SOQL text has a <c>LIMIT</c> of its own (outside quotes and sub-queries).</summary>
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
