namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>The one builder of <c>IN (...)</c> lists: slices values so each list stays within Salesforce's limits.</summary>
/// <remarks>
/// Every value is quoted through <see cref="Soql.Quote"/>. Lists stay under <see cref="MaxListLength"/> characters (below
/// the 4,000 characters Salesforce allows for a string of a WHERE clause, API-FACTS §6) and <see cref="MaxValues"/>
/// values. Duplicates (ordinal) are sent once. A single value longer than the budget gets a list of its own.
/// </remarks>
internal static class SoqlInChunker
{
    /// <summary>Values per list.</summary>
    public const int MaxValues = 100;

    /// <summary>Characters per list, quotes and commas included.</summary>
    public const int MaxListLength = 3_500;

    /// <summary>Slices distinct values into groups whose quoted list fits the limits.</summary>
    /// <param name="values">The raw (unescaped) values.</param>
    /// <param name="maxListLength">The character budget of one list.</param>
    /// <param name="maxValues">A cap on values per list.</param>
    /// <returns>The slices of raw values; empty when there are no values.</returns>
    public static List<List<string>> Slice(IEnumerable<string> values, int maxListLength = MaxListLength, int maxValues = MaxValues)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValues, 1);
        var slices = new List<List<string>>();
        var current = new List<string>();
        var length = 2;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value is null || !seen.Add(value))
            {
                continue;
            }

            var literal = Soql.Quote(value).Length;
            if (current.Count > 0 && (current.Count >= maxValues || length + 1 + literal > maxListLength))
            {
                slices.Add(current);
                current = [];
                length = 2;
            }

            length += literal + (current.Count > 0 ? 1 : 0);
            current.Add(value);
        }

        if (current.Count > 0)
        {
            slices.Add(current);
        }

        return slices;
    }

    /// <summary>Formats a slice as <c>('a','b',...)</c>.</summary>
    /// <param name="values">The raw values.</param>
    /// <returns>The list.</returns>
    public static string InList(IEnumerable<string> values) => "(" + string.Join(",", values.Select(Soql.Quote)) + ")";
}
