using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Records;

/// <summary>A record write decided by <see cref="IRecordResolver"/>.</summary>
public sealed class ResolvedRecord
{
    /// <summary>Gets the action.</summary>
    public required RecordAction Action { get; init; }

    /// <summary>Gets the sObject.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the existing record id (<see cref="RecordAction.Update"/>, <see cref="RecordAction.Keep"/>).</summary>
    public string? Id { get; init; }

    /// <summary>Gets the external-id field (<see cref="RecordAction.Upsert"/>).</summary>
    public string? ExternalIdField { get; init; }

    /// <summary>Gets the external-id value (<see cref="RecordAction.Upsert"/>).</summary>
    public string? ExternalIdValue { get; init; }

    /// <summary>Gets the values written.</summary>
    public SalesforceFieldValues Fields { get; init; } = new();

    /// <summary>Gets whether the write sets <c>OwnerId</c>.</summary>
    public bool SetsOwner => Fields.ContainsField("OwnerId");

    /// <inheritdoc />
    public override string ToString() => $"{Action} {ObjectType} ({Fields.Count} fields)";
}
