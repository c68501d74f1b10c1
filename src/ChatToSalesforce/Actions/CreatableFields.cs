using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Actions;

/// <summary>The fields a "create a record" action can set on an object, for a flow builder.</summary>
public sealed class CreatableFields
{
    /// <summary>Initializes a new instance (for a host's tests of its flow builder; the SDK builds its own).</summary>
    /// <param name="objectType">The object's API name.</param>
    /// <param name="required">The fields that must be given to create a record.</param>
    /// <param name="optional">The other createable fields.</param>
    public CreatableFields(string objectType, IReadOnlyList<SalesforceFieldDescription> required, IReadOnlyList<SalesforceFieldDescription> optional)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(optional);
        ObjectType = objectType;
        Required = required;
        Optional = optional;
    }

    /// <summary>Gets the object's API name.</summary>
    public string ObjectType { get; }

    /// <summary>Gets the fields that must be given to create a record (not nillable and not defaulted by Salesforce), by name.</summary>
    public IReadOnlyList<SalesforceFieldDescription> Required { get; }

    /// <summary>Gets the other createable fields, by name.</summary>
    public IReadOnlyList<SalesforceFieldDescription> Optional { get; }

    /// <inheritdoc />
    public override string ToString() => $"{ObjectType}: {Required.Count} required, {Optional.Count} optional field(s)";
}
