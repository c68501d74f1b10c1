namespace ChatToSalesforce.Erasure;

/// <summary>What an erasure did.</summary>
public sealed class ErasureResult
{
    /// <summary>The records deleted.</summary>
    public IReadOnlyList<SalesforceRecordRef> Deleted { get; init; } = [];

    /// <summary>The records anonymised.</summary>
    public IReadOnlyList<SalesforceRecordRef> Anonymized { get; init; } = [];

    /// <summary>Persons left in place, with why (not created by the SDK, still referenced, or not asked).</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>API calls spent.</summary>
    public int ApiCalls { get; init; }

    /// <summary>Whether nothing was found to erase (for example on a second run).</summary>
    public bool NothingFound => Deleted.Count == 0 && Anonymized.Count == 0;

    /// <inheritdoc/>
    public override string ToString() => $"ErasureResult {{ Deleted = {Deleted.Count}, Anonymized = {Anonymized.Count}, Kept = {Kept.Count} }}";
}
