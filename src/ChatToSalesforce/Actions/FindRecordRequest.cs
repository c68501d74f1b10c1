namespace ChatToSalesforce.Actions;

/// <summary>A "find a record" bot action: the first record of an object whose field equals a value.</summary>
public sealed class FindRecordRequest
{
    /// <summary>Gets the tenant whose org is searched; <see langword="null"/> (the default) is the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the object to search, for example <c>Contact</c> or <c>Order__c</c>.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the field to search by (it must be filterable), for example <c>Email</c>.</summary>
    public required string Field { get; init; }

    /// <summary>Gets the value to look for (sent as an escaped literal; text is compared without case).</summary>
    public required string Value { get; init; }

    /// <summary>Gets the fields to return (<c>Id</c> is always returned).</summary>
    public IReadOnlyList<string> ReturnFields { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"Find {ObjectType} by {Field}";
}
