using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Infrastructure;

/// <summary>
/// An <see cref="ISalesforceReader"/> that records the SOQL it receives and answers from canned records.
/// With <see cref="HoldQueries"/> set, queries stay pending until <see cref="ReleaseAll"/>, which lets a test
/// check that a stage started every query before awaiting any.
/// </summary>
internal sealed class FakeSalesforceReader : ISalesforceReader
{
    private readonly List<(Func<string, bool> When, JsonObject[] Records)> _answers = [];
    private readonly Dictionary<string, SalesforceObjectDescription> _describes = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(TaskCompletionSource<SalesforceQueryResult> Pending, SalesforceQueryResult Result)> _held = [];

    public List<string> Queries { get; } = [];

    public List<string> Describes { get; } = [];

    public bool HoldQueries { get; set; }

    /// <summary>Answers queries whose text contains <paramref name="fragment"/> (the first matching answer wins); records are given as Salesforce returns them.</summary>
    public FakeSalesforceReader Answer(string fragment, params JsonObject[] records) =>
        Answer(soql => soql.Contains(fragment, StringComparison.Ordinal), records);

    public FakeSalesforceReader Answer(Func<string, bool> when, params JsonObject[] records)
    {
        _answers.Add((when, records));
        return this;
    }

    public FakeSalesforceReader Describe(params SalesforceObjectDescription[] descriptions)
    {
        foreach (var d in descriptions)
        {
            _describes[d.Name] = d;
        }

        return this;
    }

    public void ReleaseAll()
    {
        var held = _held.ToArray();
        _held.Clear();
        foreach (var (pending, result) in held)
        {
            pending.SetResult(result);
        }
    }

    public ValueTask<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken)
    {
        Queries.Add(soql);
        var records = _answers.FirstOrDefault(a => a.When(soql)).Records ?? [];
        var result = new SalesforceQueryResult(records.Length, records.Select(r => FieldValuesWire.FromRecord(System.Text.Json.JsonSerializer.SerializeToElement(r))).ToArray());
        if (HoldQueries)
        {
            var pending = new TaskCompletionSource<SalesforceQueryResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _held.Add((pending, result));
            return new ValueTask<SalesforceQueryResult>(pending.Task);
        }

        return ValueTask.FromResult(result);
    }

    /// <summary>Gets the keyed lookups received (each is also recorded in <see cref="Queries"/> as the equivalent SOQL).</summary>
    public List<SalesforceLookup> Lookups { get; } = [];

    /// <summary>Answers a keyed lookup as the query it stands for (<c>... WHERE Field = 'value'</c>) would be answered.</summary>
    public ValueTask<IReadOnlyList<SalesforceFieldValues>> LookupAsync(SalesforceLookup lookup, CancellationToken cancellationToken)
    {
        Lookups.Add(lookup);
        var filter = lookup.Filter is null ? string.Empty : $"{lookup.Filter} AND ";
        var condition = lookup.Match == SalesforceLookupMatch.Equals
            ? $"{lookup.Field} = {Soql.Quote(lookup.Value)}"
            : $"{lookup.Field} LIKE '%{Soql.EscapeLike(lookup.Value)}'";
        var soql = $"SELECT {string.Join(", ", lookup.Fields)} FROM {lookup.ObjectType} WHERE {filter}{condition} ORDER BY LastModifiedDate DESC";
        return Await(QueryAsync(soql, cancellationToken));

        static async ValueTask<IReadOnlyList<SalesforceFieldValues>> Await(ValueTask<SalesforceQueryResult> query) => (await query).Records;
    }

    public ValueTask<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken)
    {
        Describes.Add(objectType);
        return _describes.TryGetValue(objectType, out var d)
            ? ValueTask.FromResult(d)
            : ValueTask.FromException<SalesforceObjectDescription>(new InvalidOperationException($"The test gave no describe of {objectType}."));
    }

    public ValueTask<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SalesforceConnection(new Uri("https://acme.my.salesforce.com"), "00D000000000001AAA", "005000000000001AAA", "62.0"));
}
