namespace ChatToSalesforce.Salesforce;

/// <summary>One error Salesforce reported.</summary>
/// <param name="ErrorCode">The <c>errorCode</c> (or <c>statusCode</c>), for example <c>REQUIRED_FIELD_MISSING</c>.</param>
/// <param name="Message">Salesforce's message.</param>
/// <param name="Fields">The fields concerned.</param>
public sealed record SalesforceError(string? ErrorCode, string Message, IReadOnlyList<string> Fields)
{
    /// <summary>Gets the ids of records duplicate rules matched (<c>DUPLICATES_DETECTED</c>), when reported.</summary>
    public IReadOnlyList<string> DuplicateRecordIds { get; init; } = [];
}
