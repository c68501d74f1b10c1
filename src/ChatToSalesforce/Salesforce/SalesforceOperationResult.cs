namespace ChatToSalesforce.Salesforce;

/// <summary>The outcome of one <see cref="SalesforceWriteOperation"/>.</summary>
/// <param name="Name">The operation's name.</param>
/// <param name="Success">Whether it was applied.</param>
/// <param name="Id">The record id, when applied.</param>
/// <param name="Created">Whether a record was created (always for a create; for an upsert, when the key was new).</param>
/// <param name="Errors">Salesforce's errors, when it failed (their messages may hold record values: treat them as data, not log text).</param>
/// <param name="Halted">Whether it was not applied only because another operation of its unit failed.</param>
public sealed record SalesforceOperationResult(string Name, bool Success, string? Id, bool Created, IReadOnlyList<SalesforceError> Errors, bool Halted = false);
