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
