namespace ChatToSalesforce.Salesforce;

/// <summary>The result of saving one record.</summary>
/// <param name="Id">The record id, when saved.</param>
/// <param name="Success">Whether the save succeeded.</param>
/// <param name="Created">For upserts, whether the record was created.</param>
/// <param name="Errors">The errors, when it failed.</param>
public sealed record SalesforceSaveResult(string? Id, bool Success, bool? Created, IReadOnlyList<SalesforceError> Errors);
