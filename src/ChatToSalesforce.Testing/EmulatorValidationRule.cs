namespace ChatToSalesforce.Testing;

/// <summary>
/// A declarative validation rule of the emulated org (<see cref="SalesforceEmulator.AddValidationRule"/> or the seed
/// file's <c>validationRules</c>). When the rule's conditions hold (<see cref="When"/>) and <see cref="Field"/> breaks one of
/// its checks, a create or update answers <c>FIELD_CUSTOM_VALIDATION_EXCEPTION</c> with <see cref="Message"/>, like an
/// admin-authored Salesforce rule; every failing rule of the record is reported at once.
/// </summary>
public sealed class EmulatorValidationRule
{
    /// <summary>The rule's name (for the reader; Salesforce does not return it).</summary>
    public required string Name { get; init; }

    /// <summary>The error message returned to the API client.</summary>
    public required string Message { get; init; }

    /// <summary>The field the checks apply to.</summary>
    public required string Field { get; init; }

    /// <summary>Where the error is shown: a field name (returned in <c>fields</c>) or null for the top of the page (<c>fields: []</c>).</summary>
    public string? ErrorField { get; init; }

    /// <summary>The field must not be blank.</summary>
    public bool Required { get; init; }

    /// <summary>A non-blank value must match this regular expression entirely (like the REGEX() formula function).</summary>
    public string? Pattern { get; init; }

    /// <summary>A non-blank value must have at least this many characters.</summary>
    public int? MinLength { get; init; }

    /// <summary>A value must have at most this many characters.</summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// Conditions, all of which must hold for the rule to apply: field name → expected value (case-insensitive; null
    /// means the field is blank). Empty: the rule always applies.
    /// </summary>
    public IReadOnlyDictionary<string, string?> When { get; init; } = new Dictionary<string, string?>();

    /// <summary>Inactive rules are ignored. Defaults to true.</summary>
    public bool Active { get; init; } = true;
}
