namespace ChatToSalesforce.Actions;

/// <summary>Why a bot action failed.</summary>
/// <param name="Kind">The classification.</param>
/// <param name="Message">What was wrong, naming the object and field; for a failure Salesforce reported, Salesforce's own
/// message, verbatim. It can contain record values: show it to the admin or the flow's error branch, never log it.
/// <see cref="ToString"/> leaves it out.</param>
/// <param name="ErrorCode">Salesforce's error code (for example <c>FIELD_CUSTOM_VALIDATION_EXCEPTION</c>), or the SDK's
/// own code for a check made before sending (<c>INVALID_FIELD</c>, <c>STRING_TOO_LONG</c>, ...).</param>
/// <param name="Fields">The fields concerned, as <c>Object.Field</c> when the SDK checked them.</param>
public sealed record BotActionFailure(BotActionFailureKind Kind, string Message, string? ErrorCode, IReadOnlyList<string> Fields)
{
    /// <summary>Returns the kind, the error code and the fields, never <see cref="Message"/>.</summary>
    /// <returns>For example <c>Validation STRING_TOO_LONG [Lead.Company]</c>.</returns>
    public override string ToString() =>
        $"{Kind} {ErrorCode ?? "(no code)"}" + (Fields.Count > 0 ? " [" + string.Join(", ", Fields) + "]" : string.Empty);
}
