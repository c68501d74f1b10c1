namespace ChatToSalesforce.Salesforce;

/// <summary>The outcome of one <see cref="SalesforceRead"/>: records, a description, the object list, or Salesforce's error for that read alone.</summary>
public sealed class SalesforceReadResult
{
    /// <summary>Gets the query result (the first page), for a query that succeeded.</summary>
    public SalesforceQueryResult? Query { get; init; }

    /// <summary>Gets whether more pages follow <see cref="Query"/> (read them with <see cref="ISalesforceClient.QueryAsync"/>).</summary>
    public bool HasMorePages { get; init; }

    /// <summary>Gets the description, for a describe that succeeded.</summary>
    public SalesforceObjectDescription? Description { get; init; }

    /// <summary>Gets the org's objects, for an object list read that succeeded.</summary>
    public IReadOnlyList<SalesforceObjectSummary>? Objects { get; init; }

    /// <summary>Gets the error, when Salesforce rejected this read.</summary>
    public SalesforceApiException? Error { get; init; }
}
