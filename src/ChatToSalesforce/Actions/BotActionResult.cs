namespace ChatToSalesforce.Actions;

/// <summary>The outcome of a bot action, shaped for a bot engine: a branch, values per field, and a classified failure.</summary>
public sealed class BotActionResult
{
    /// <summary>Initializes a new instance (for a host's tests of its bot engine; the SDK builds its own).</summary>
    /// <param name="outcome">The branch to take.</param>
    /// <param name="objectType">The object the action concerned.</param>
    /// <param name="recordId">The record id, if any.</param>
    /// <param name="values">The values read, by field name; empty when <see langword="null"/>.</param>
    /// <param name="failure">Why it failed, for <see cref="BotActionOutcome.Failed"/>.</param>
    /// <param name="apiCalls">The API calls spent.</param>
    public BotActionResult(BotActionOutcome outcome, string objectType, string? recordId = null, IReadOnlyDictionary<string, string?>? values = null, BotActionFailure? failure = null, int apiCalls = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        Outcome = outcome;
        ObjectType = objectType;
        RecordId = recordId;
        Values = values ?? new Dictionary<string, string?>();
        Failure = failure;
        ApiCalls = apiCalls;
    }

    /// <summary>Gets the branch to take.</summary>
    public BotActionOutcome Outcome { get; }

    /// <summary>Gets the object the action concerned.</summary>
    public string ObjectType { get; }

    /// <summary>Gets the id of the record created, updated or found (for a bot variable), else <see langword="null"/>.</summary>
    public string? RecordId { get; }

    /// <summary>Gets the values read, by field name as requested (relationship fields as <c>Account.Name</c>), as text;
    /// a field Salesforce returned empty is <see langword="null"/>. Empty for creates, updates and failures.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <summary>Gets why the action failed, when <see cref="Outcome"/> is <see cref="BotActionOutcome.Failed"/>.</summary>
    public BotActionFailure? Failure { get; }

    /// <summary>Gets the API calls the action spent (0 when answered from the cache).</summary>
    public int ApiCalls { get; }

    /// <summary>Gets whether the answer came from the cache (<see cref="ChatActionOptions.CacheDuration"/>).</summary>
    public bool FromCache { get; private init; }

    internal BotActionResult Cached() => new(Outcome, ObjectType, RecordId, Values, Failure, 0) { FromCache = true };

    /// <inheritdoc />
    public override string ToString() => Failure is not null ? $"{Outcome} ({Failure})" : RecordId is null ? $"{Outcome} {ObjectType}" : $"{Outcome} {ObjectType} {RecordId}";
}

/// <summary>The branch a bot takes after an action.</summary>
public enum BotActionOutcome
{
    /// <summary>A record was found; its values are in <see cref="BotActionResult.Values"/>.</summary>
    Found,

    /// <summary>Nothing matched: a normal outcome (the bot's "not found" branch).</summary>
    NotFound,

    /// <summary>A record was created; its id is <see cref="BotActionResult.RecordId"/>.</summary>
    Created,

    /// <summary>The record the key field found was updated.</summary>
    Updated,

    /// <summary>The action failed; see <see cref="BotActionResult.Failure"/>. Nothing was written.</summary>
    Failed,
}

/// <summary>What kind of failure a bot action met, so a bot can react (retry later, tell the admin, ask the visitor again).</summary>
public enum BotActionFailureKind
{
    /// <summary>The object, a field or the record does not exist (or the integration user cannot see it).</summary>
    NotFound,

    /// <summary>The integration user may not do this (object or field permissions, a read-only field).</summary>
    Permission,

    /// <summary>A value was rejected: wrong type, too long, not in a restricted picklist, a required field missing, a
    /// validation or duplicate rule, or a placeholder without a value.</summary>
    Validation,

    /// <summary>Salesforce could not answer now (unavailable, locked row, limits, network): the same action may succeed later.</summary>
    Transient,

    /// <summary>The key field of a create-or-update matched several records; nothing was written.</summary>
    SeveralMatches,
}

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
