namespace ChatToSalesforce.Actions.Internal;

/// <summary>Whether a SOQL text has a <c>LIMIT</c> of its own (outside quotes and sub-queries).</summary>
internal static class SoqlLimit
{
    public static bool HasTopLevelLimit(string soql)
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
            else if (depth == 0 && (c is 'L' or 'l') && (i == 0 || !IsWordChar(soql[i - 1]))
                && string.Compare(soql, i, "LIMIT", 0, 5, StringComparison.OrdinalIgnoreCase) == 0
                && (i + 5 == soql.Length || !IsWordChar(soql[i + 5])))
            {
                return true;
            }
        }

        return false;

        static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '!' or '{';
    }
}
