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

/// <summary>A Contact, Lead or Person Account the visitor is in Salesforce.</summary>
public sealed class VisitorRecord
{
    /// <summary>Initializes a new instance (for a host's tests of its console; the SDK builds its own).</summary>
    /// <param name="objectType">The sObject: <c>Contact</c>, <c>Lead</c> or <c>Account</c>.</param>
    /// <param name="id">The record id.</param>
    /// <param name="fields">The values by field name (<c>Name</c>, <c>Email</c>, <c>AccountId</c>, <c>Account.Name</c>, <c>OwnerId</c>, <c>Owner.Name</c>, ...).</param>
    public VisitorRecord(string objectType, string id, IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(fields);
        ObjectType = objectType;
        Id = id;
        Fields = fields;
    }

    /// <summary>Gets the sObject: <c>Contact</c>, <c>Lead</c>, or <c>Account</c> for a Person Account.</summary>
    public string ObjectType { get; }

    /// <summary>Gets the record id.</summary>
    public string Id { get; }

    /// <summary>Gets the Contact activities are related to: the record itself for a Contact, the Person Account's
    /// <c>PersonContactId</c>, a converted Lead's Contact; <see langword="null"/> for a Lead that is not converted.</summary>
    public string? ContactId { get; init; }

    /// <summary>Gets the Account id (a Contact's Account, the Person Account itself, a converted Lead's Account).</summary>
    public string? AccountId => Field("AccountId") ?? (ObjectType == "Account" ? Id : Field("ConvertedAccountId"));

    /// <summary>Gets the Account's name (a Lead's <c>Company</c> when it has no Account).</summary>
    public string? AccountName => Field("Account.Name") ?? (ObjectType == "Account" ? Field("Name") : Field("Company"));

    /// <summary>Gets the owner's id (a User or, for a Lead, a queue).</summary>
    public string? OwnerId => Field("OwnerId");

    /// <summary>Gets the owner's name.</summary>
    public string? OwnerName => Field("Owner.Name");

    /// <summary>Gets the record's values by field name (<c>Email</c>, <c>Account.Name</c>, the requested fields), as text;
    /// a field Salesforce returned empty is <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; }

    private string? Field(string name) => Fields.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => $"{ObjectType} {Id}";
}
