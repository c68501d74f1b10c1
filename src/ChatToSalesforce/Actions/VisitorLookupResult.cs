namespace ChatToSalesforce.Actions;

/// <summary>The outcome of a visitor lookup.</summary>
public sealed class VisitorLookupResult
{
    /// <summary>Initializes a new instance (for a host's tests of its console; the SDK builds its own).</summary>
    /// <param name="match">The record an export would use, if any.</param>
    /// <param name="records">Every record the deciding rule found, <paramref name="match"/> first.</param>
    /// <param name="skipReason">Why no record was chosen although some matched, if so.</param>
    /// <param name="apiCalls">The API calls spent.</param>
    /// <param name="fromCache">Whether the answer came from the cache.</param>
    public VisitorLookupResult(VisitorRecord? match, IReadOnlyList<VisitorRecord> records, string? skipReason = null, int apiCalls = 0, bool fromCache = false)
    {
        ArgumentNullException.ThrowIfNull(records);
        Match = match;
        Records = records;
        SkipReason = skipReason;
        ApiCalls = apiCalls;
        FromCache = fromCache;
    }

    /// <summary>Gets the record an export of this visitor would use, or <see langword="null"/> when nobody matched
    /// (an export would create the person) or the lookup was inconclusive (<see cref="SkipReason"/>).</summary>
    public VisitorRecord? Match { get; }

    /// <summary>Gets every record the deciding identification rule found, <see cref="Match"/> first; empty when nobody matched.</summary>
    public IReadOnlyList<VisitorRecord> Records { get; }

    /// <summary>Gets why no record was chosen although some matched (several matches and <c>Identity.MultipleMatches</c>
    /// is <c>Skip</c>), or that nothing was given to look up by. No personal data.</summary>
    public string? SkipReason { get; }

    /// <summary>Gets whether anybody was found.</summary>
    public bool IsFound => Records.Count > 0;

    /// <summary>Gets the API calls this lookup spent (0 when answered from the cache).</summary>
    public int ApiCalls { get; }

    /// <summary>Gets whether the answer came from the cache (<see cref="ChatActionOptions.CacheDuration"/>).</summary>
    public bool FromCache { get; }

    internal VisitorLookupResult Cached() => new(Match, Records, SkipReason, 0, fromCache: true);

    /// <inheritdoc />
    public override string ToString() => Match is not null ? $"Found {Match.ObjectType} {Match.Id} ({Records.Count} record(s))" : SkipReason is not null ? "Inconclusive" : "Not found";
}
