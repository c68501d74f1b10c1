namespace ChatToSalesforce.Testing;

/// <summary>A field definition: a custom field added at run time (<see cref="SalesforceEmulator.DefineField"/>) or through a seed file.</summary>
public sealed class EmulatorField
{
    /// <summary>The API name, e.g. <c>Chat_Id__c</c>. Custom fields must end in <c>__c</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The label shown by describe and used in error messages. Defaults to the name.</summary>
    public string? Label { get; init; }

    /// <summary>The data type. Defaults to <see cref="EmulatorFieldType.Text"/>.</summary>
    public EmulatorFieldType Type { get; init; } = EmulatorFieldType.Text;

    /// <summary>Maximum length for text types. Defaults to 255 (32,000 for <see cref="EmulatorFieldType.TextArea"/>, 80 for email, 40 for phone).</summary>
    public int? Length { get; init; }

    /// <summary>Whether a value is required on create (describe: <c>nillable=false</c>).</summary>
    public bool Required { get; init; }

    /// <summary>Whether values must be unique (case-insensitive unless <see cref="CaseSensitive"/>).</summary>
    public bool Unique { get; init; }

    /// <summary>Whether the field is an External ID (usable for upsert and indexed for lookups).</summary>
    public bool ExternalId { get; init; }

    /// <summary>Whether uniqueness and external-id matching are case-sensitive. Defaults to false.</summary>
    public bool CaseSensitive { get; init; }

    /// <summary>Picklist values (the first one is not a default unless <see cref="DefaultValue"/> says so).</summary>
    public IReadOnlyList<string> PicklistValues { get; init; } = [];

    /// <summary>Whether the picklist rejects values not in <see cref="PicklistValues"/>.</summary>
    public bool RestrictedPicklist { get; init; }

    /// <summary>A value applied on create when none is given.</summary>
    public object? DefaultValue { get; init; }

    /// <summary>For <see cref="EmulatorFieldType.Reference"/>: the object types the lookup may point to.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    /// <summary>Whether the field can be set on create. Defaults to true.</summary>
    public bool Createable { get; init; } = true;

    /// <summary>Whether the field can be changed on update. Defaults to true.</summary>
    public bool Updateable { get; init; } = true;
}
