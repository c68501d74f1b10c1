namespace ChatToSalesforce.Salesforce;

/// <summary>One error Salesforce reported.</summary>
/// <param name="ErrorCode">The <c>errorCode</c> (or <c>statusCode</c>), for example <c>REQUIRED_FIELD_MISSING</c>.</param>
/// <param name="Message">
/// Salesforce's message, verbatim. It can contain record values (<c>invalid email address: ada@…</c>, a phone number a
/// validation rule printed): show it to an operator if you must, but do not log it. <see cref="ToString"/> leaves it out.
/// </param>
/// <param name="Fields">The fields concerned.</param>
public sealed record SalesforceError(string? ErrorCode, string Message, IReadOnlyList<string> Fields)
{
    /// <summary>Gets the ids of records duplicate rules matched (<c>DUPLICATES_DETECTED</c>), when reported.</summary>
    public IReadOnlyList<string> DuplicateRecordIds { get; init; } = [];

    /// <summary>Returns the error code and the fields, never <see cref="Message"/> (it can contain record values).</summary>
    /// <returns>For example <c>INVALID_EMAIL_ADDRESS [Email]</c>.</returns>
    public override string ToString() =>
        (ErrorCode ?? "(no error code)") + (Fields.Count > 0 ? " [" + string.Join(", ", Fields) + "]" : string.Empty);
}
