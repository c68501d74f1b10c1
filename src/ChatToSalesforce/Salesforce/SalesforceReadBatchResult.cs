namespace ChatToSalesforce.Salesforce;

/// <summary>The outcome of a <see cref="ISalesforceClient.ReadAsync"/> call.</summary>
/// <param name="Results">One result per read, in order.</param>
/// <param name="ApiCalls">The API calls the reads cost.</param>
public sealed record SalesforceReadBatchResult(IReadOnlyList<SalesforceReadResult> Results, int ApiCalls);
