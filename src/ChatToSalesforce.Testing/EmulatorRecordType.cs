namespace ChatToSalesforce.Testing;

/// <summary>
/// A record type of an object (<see cref="SalesforceEmulator.AddRecordType"/> or the seed file's <c>recordTypes</c>), with
/// the picklist values it makes available. Records get the default record type when they name none.
/// </summary>
public sealed class EmulatorRecordType
{
    /// <summary>The API name, e.g. <c>Support</c>.</summary>
    public required string DeveloperName { get; init; }

    /// <summary>The label (<c>RecordType.Name</c>). Defaults to the developer name.</summary>
    public string? Label { get; init; }

    /// <summary>Whether records without a <c>RecordTypeId</c> get this record type (otherwise the first one added does).</summary>
    public bool IsDefault { get; init; }

    /// <summary>
    /// Per picklist field, the values available with this record type. A restricted picklist then accepts only these
    /// values for records of this type; fields not listed keep all their values.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> PicklistValues { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
