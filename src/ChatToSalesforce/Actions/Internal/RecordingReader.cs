using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>
/// Wraps the read path for a visitor lookup: the identity matcher's lookups and queries also select the fields the
/// console shows (name, Account, owner, the host's fields), so one round answers everything, and every answer is kept in
/// the order the searches were started, so the lookup can show all records of the deciding rule, not only the chosen one.
/// </summary>
internal sealed class RecordingReader(ISalesforceReader inner, IReadOnlyDictionary<string, IReadOnlyList<string>> extraFields) : ISalesforceReader
{
    private readonly List<(string ObjectType, string? Soql, Task<IReadOnlyList<SalesforceFieldValues>> Records)> _searches = [];

    /// <summary>The searches in the order they were started: the object, the query text (for queries) and the records.</summary>
    public IReadOnlyList<(string ObjectType, string? Soql, Task<IReadOnlyList<SalesforceFieldValues>> Records)> Searches => _searches;

    public ValueTask<IReadOnlyList<SalesforceFieldValues>> LookupAsync(SalesforceLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (extraFields.TryGetValue(lookup.ObjectType, out var extra))
        {
            lookup = lookup with { Fields = Merge(lookup.Fields, extra) };
        }

        var task = inner.LookupAsync(lookup, cancellationToken).AsTask();
        lock (_searches)
        {
            _searches.Add((lookup.ObjectType, null, task));
        }

        return new ValueTask<IReadOnlyList<SalesforceFieldValues>>(task);
    }

    public ValueTask<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken)
    {
        var (objectType, widened) = Widen(soql);
        var task = inner.QueryAsync(widened, cancellationToken).AsTask();
        lock (_searches)
        {
            _searches.Add((objectType ?? string.Empty, widened, Records(task)));
        }

        return new ValueTask<SalesforceQueryResult>(task);

        static async Task<IReadOnlyList<SalesforceFieldValues>> Records(Task<SalesforceQueryResult> query) => (await query.ConfigureAwait(false)).Records;
    }

    public ValueTask<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken) => inner.DescribeAsync(objectType, cancellationToken);

    public ValueTask<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken) => inner.GetConnectionAsync(cancellationToken);

    /// <summary>Adds the extra fields to a query's SELECT list when the list is plain (no sub-query, no function).</summary>
    private (string? ObjectType, string Soql) Widen(string soql)
    {
        const string select = "SELECT ";
        var from = soql.IndexOf(" FROM ", StringComparison.OrdinalIgnoreCase);
        if (!soql.StartsWith(select, StringComparison.OrdinalIgnoreCase) || from < 0)
        {
            return (null, soql);
        }

        var rest = soql[(from + 6)..].TrimStart();
        var end = rest.IndexOfAny([' ', '\t', '\r', '\n']);
        var objectType = end < 0 ? rest : rest[..end];
        var list = soql[select.Length..from];
        if (list.Contains('(', StringComparison.Ordinal) || !extraFields.TryGetValue(objectType, out var extra))
        {
            return (objectType, soql);
        }

        var present = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var fields = Merge(present, extra);
        return (objectType, select + string.Join(", ", fields) + soql[from..]);
    }

    private static IReadOnlyList<string> Merge(IReadOnlyList<string> fields, IReadOnlyList<string> extra)
    {
        var merged = new List<string>(fields);
        foreach (var field in extra)
        {
            if (!merged.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                merged.Add(field);
            }
        }

        return merged;
    }
}
