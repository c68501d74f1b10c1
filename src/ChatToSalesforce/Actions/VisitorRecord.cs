namespace ChatToSalesforce.Actions;

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
