namespace ChatToSalesforce.Actions;

/// <summary>What is known about a visitor, for <see cref="IVisitorLookup.LookupAsync"/>.</summary>
public sealed class VisitorLookupRequest
{
    /// <summary>Gets the tenant whose org is searched; <see langword="null"/> (the default) is the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the visitor's email address (the <c>Email</c> identification rule).</summary>
    public string? Email { get; init; }

    /// <summary>Gets the visitor's phone number (the <c>Phone</c> identification rule, compared on digits).</summary>
    public string? Phone { get; init; }

    /// <summary>Gets the other values identification rules read, by their source name: <c>custom:visitorId</c> for an
    /// <c>ExternalId</c> rule whose source is <c>custom:visitorId</c>, or <c>visitor.name</c>.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets extra fields to return, each as <c>Object.Field</c> (for example <c>Contact.Title</c>,
    /// <c>Lead.Status</c>, <c>Account.Industry</c> for Person Accounts). Name, email, phone, the Account and the owner
    /// are always returned.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"Visitor lookup ({(Email is null ? "no email" : "email")}, {(Phone is null ? "no phone" : "phone")}, {Values.Count} other value(s))";
}
