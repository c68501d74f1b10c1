namespace ChatToSalesforce.Salesforce;

/// <summary>
/// A keyed read: the records of <see cref="ObjectType"/> whose <see cref="Field"/> matches <see cref="Value"/>. The reader
/// merges the lookups of a whole chunk of conversations that differ only in their value into shared <c>IN</c> queries.
/// </summary>
/// <remarks>
/// Text is compared as Salesforce compares it (without case). Records come back most recently modified first. Lookups
/// with the same object, field, fields, <see cref="Filter"/> and <see cref="Match"/> are merged; give stable, equal lists
/// to keep them mergeable.
/// </remarks>
public sealed record SalesforceLookup
{
    /// <summary>Gets the sObject to read, for example <c>Contact</c>.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the field compared with <see cref="Value"/>, for example <c>Email</c>.</summary>
    public required string Field { get; init; }

    /// <summary>Gets the value to look for (sent as an escaped literal, never as SOQL text).</summary>
    public required string Value { get; init; }

    /// <summary>Gets the fields to return (<c>Id</c> is always returned).</summary>
    /// <value>The default is <c>Id</c> only.</value>
    public IReadOnlyList<string> Fields { get; init; } = ["Id"];

    /// <summary>Gets a fixed condition every returned record also meets, for example <c>IsActive = true</c>.</summary>
    /// <value>The default is <see langword="null"/>: no extra condition.</value>
    /// <remarks>A constant condition written by the developer: it must not contain values from a conversation.</remarks>
    public string? Filter { get; init; }

    /// <summary>Gets how <see cref="Field"/> is compared with <see cref="Value"/>.</summary>
    /// <value>The default is <see cref="SalesforceLookupMatch.Equals"/>.</value>
    public SalesforceLookupMatch Match { get; init; } = SalesforceLookupMatch.Equals;
}
