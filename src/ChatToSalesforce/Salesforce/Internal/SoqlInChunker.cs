using System.Text;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Splits long <c>IN (...)</c> lists so each query's URL stays under Salesforce's recommended ~2,000 characters.</summary>
/// <remarks>
/// Every value is quoted through <see cref="Soql.Quote"/>. Lengths are measured URL-encoded (as in <c>query?q=</c>), leaving
/// <see cref="UriOverhead"/> characters for <c>https://{host}/services/data/vXX.X/query?q=</c>. Duplicates (ordinal) are sent once.
/// A single value longer than the budget gets a query of its own rather than being dropped.
/// </remarks>
internal static class SoqlInChunker
{
    /// <summary>The recommended maximum URI length.</summary>
    public const int DefaultMaxUriLength = 2000;

    /// <summary>Characters reserved for the scheme, host and path before <c>q=</c>.</summary>
    public const int UriOverhead = 200;

    /// <summary>Builds complete queries <c>{prefix}('a','b',...){suffix}</c>, each within <paramref name="maxUriLength"/> once URL-encoded.</summary>
    /// <param name="prefix">The query up to the IN list, for example <c>SELECT Id, Email FROM Contact WHERE Email IN </c>.</param>
    /// <param name="values">The raw (unescaped) values.</param>
    /// <param name="suffix">What follows the list, for example <c> ORDER BY LastModifiedDate DESC</c>.</param>
    /// <param name="maxUriLength">The URI budget.</param>
    /// <param name="maxValuesPerQuery">A cap on values per query (Salesforce's WHERE-clause and result limits).</param>
    /// <returns>The queries; empty when there are no values.</returns>
    public static IReadOnlyList<string> ChunkQueries(string prefix, IEnumerable<string> values, string suffix = "", int maxUriLength = DefaultMaxUriLength, int maxValuesPerQuery = 200)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(suffix);
        var fixedLength = Uri.EscapeDataString(prefix).Length + Uri.EscapeDataString(suffix).Length;
        return ChunkInList(values, maxUriLength - UriOverhead - fixedLength, maxValuesPerQuery)
            .Select(list => prefix + list + suffix)
            .ToArray();
    }

    /// <summary>Builds IN lists <c>('a','b',...)</c> whose URL-encoded length is at most <paramref name="maxEncodedListLength"/>.</summary>
    /// <param name="values">The raw (unescaped) values.</param>
    /// <param name="maxEncodedListLength">The budget for one list, URL-encoded.</param>
    /// <param name="maxValuesPerList">A cap on values per list.</param>
    /// <returns>The lists; empty when there are no values.</returns>
    public static IReadOnlyList<string> ChunkInList(IEnumerable<string> values, int maxEncodedListLength = DefaultMaxUriLength - UriOverhead, int maxValuesPerList = 200)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValuesPerList, 1);
        var lists = new List<string>();
        var current = new StringBuilder();
        var currentEncoded = 0;
        var count = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        const int Parens = 6; // "(" and ")" encode to %28 %29

        foreach (var value in values)
        {
            if (value is null || !seen.Add(value))
            {
                continue;
            }

            var literal = Soql.Quote(value);
            var encoded = Uri.EscapeDataString(literal).Length;
            var separator = count == 0 ? 0 : 3; // "," encodes to %2C
            if (count > 0 && (count >= maxValuesPerList || currentEncoded + separator + encoded + Parens > maxEncodedListLength))
            {
                lists.Add("(" + current + ")");
                current.Clear();
                currentEncoded = 0;
                count = 0;
                separator = 0;
            }

            if (separator > 0)
            {
                current.Append(',');
            }

            current.Append(literal);
            currentEncoded += separator + encoded;
            count++;
        }

        if (count > 0)
        {
            lists.Add("(" + current + ")");
        }

        return lists;
    }
}
