namespace ChatToSalesforce.Salesforce;

/// <summary>The outcome of a <see cref="ISalesforceClient.WriteAsync"/> call.</summary>
/// <param name="Units">One result per unit, in order.</param>
/// <param name="ApiCalls">The API calls the writes cost.</param>
public sealed record SalesforceWriteBatchResult(IReadOnlyList<SalesforceWriteResult> Units, int ApiCalls);
