namespace ChatToSalesforce.Salesforce;

/// <summary>The outcome of one <see cref="SalesforceWriteUnit"/>.</summary>
/// <param name="Success">Whether every operation was applied. When <see langword="false"/>, none was (the unit rolled back).</param>
/// <param name="Operations">One result per operation, in order.</param>
public sealed record SalesforceWriteResult(bool Success, IReadOnlyList<SalesforceOperationResult> Operations)
{
    /// <summary>Gets the result of the operation that failed and made the unit roll back, if any.</summary>
    public SalesforceOperationResult? Failure => Operations.FirstOrDefault(o => !o.Success && !o.Halted);

    /// <summary>Gets whether Salesforce did not process the unit at all (it stopped after too many failed units); resending it is safe.</summary>
    public bool NotProcessed => !Success && Operations.Count > 0 && Operations.All(o => o.Halted);
}
