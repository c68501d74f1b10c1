namespace ChatToSalesforce.Salesforce;

/// <summary>The records a SOQL query returned.</summary>
/// <param name="TotalSize">Salesforce's <c>totalSize</c> (for <c>COUNT()</c> queries, the count).</param>
/// <param name="Records">The records, each with Salesforce's field names (relationship fields under their SOQL path, for example <c>Owner.Name</c>; child-relationship sub-queries are not returned).</param>
public sealed record SalesforceQueryResult(int TotalSize, IReadOnlyList<SalesforceFieldValues> Records)
{
    /// <summary>Gets the API requests the query spent (one per page); a host's own transport is counted one per query.</summary>
    internal int Requests { get; init; } = 1;
}
