namespace ChatToSalesforce.Salesforce;

/// <summary>The describe metadata of one field.</summary>
/// <param name="Name">The API name.</param>
/// <param name="Type">Salesforce's field type, for example <c>string</c>, <c>email</c>, <c>picklist</c>, <c>datetime</c>.</param>
/// <param name="Length">The maximum length in characters (text fields), else 0.</param>
/// <param name="Nillable">Whether the field may be empty.</param>
/// <param name="Createable">Whether the field can be set on create.</param>
/// <param name="Updateable">Whether the field can be set on update.</param>
/// <param name="DefaultedOnCreate">Whether Salesforce fills it on create when it is not given.</param>
/// <param name="IsExternalId">Whether it is an external-id field.</param>
/// <param name="IsRestrictedPicklist">Whether only <paramref name="PicklistValues"/> are accepted.</param>
/// <param name="PicklistValues">The active picklist values.</param>
public sealed record SalesforceFieldDescription(
    string Name,
    string Type,
    int Length,
    bool Nillable,
    bool Createable,
    bool Updateable,
    bool DefaultedOnCreate,
    bool IsExternalId,
    bool IsRestrictedPicklist,
    IReadOnlyList<string> PicklistValues)
{
    /// <summary>Gets whether the field is unique.</summary>
    public bool IsUnique { get; init; }

    /// <summary>Gets the field's label, when the describe gave one.</summary>
    public string? Label { get; init; }

    /// <summary>Gets whether the field can be used in a <c>WHERE</c> condition (a find by this field).</summary>
    /// <value>The default is <see langword="true"/>; long text areas are not filterable.</value>
    public bool IsFilterable { get; init; } = true;

    /// <summary>Gets the objects a reference field points to.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    /// <summary>Gets whether the field must be given on create (not nillable, not defaulted, createable, not boolean).</summary>
    public bool IsRequiredOnCreate => !Nillable && !DefaultedOnCreate && Createable && !string.Equals(Type, "boolean", StringComparison.OrdinalIgnoreCase);
}
