namespace ChatToSalesforce.Salesforce;

/// <summary>One record write inside a <see cref="SalesforceWriteUnit"/>.</summary>
public sealed record SalesforceWriteOperation
{
    /// <summary>Gets the operation's name, unique within its unit (letters, digits and underscores, starting with a letter).</summary>
    public required string Name { get; init; }

    /// <summary>Gets what the operation does.</summary>
    public required SalesforceWriteKind Kind { get; init; }

    /// <summary>Gets the sObject written.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the id of the record to update (<see cref="SalesforceWriteKind.Update"/>).</summary>
    public string? Id { get; init; }

    /// <summary>Gets the external-id field of an upsert.</summary>
    public string? ExternalIdField { get; init; }

    /// <summary>Gets the key of an upsert.</summary>
    public string? ExternalIdValue { get; init; }

    /// <summary>Gets the field values to write.</summary>
    public SalesforceFieldValues Fields { get; init; } = new();

    /// <summary>Gets fields that take the id of an earlier operation of the same unit: field name → operation name.</summary>
    public IReadOnlyDictionary<string, string> References { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets whether Salesforce's assignment rules must leave the owner set here alone (<c>Sforce-Auto-Assign: FALSE</c>).</summary>
    public bool SuppressAssignmentRules { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {ObjectType} ({Fields.Count} fields)";
}
