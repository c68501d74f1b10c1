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

    /// <summary>Gets why nothing is written (<see cref="RecordAction.Skip"/>); shown to the host in
    /// <see cref="ConversationExportResult.SkipReason"/>, so it names sources and fields, never values.</summary>
    public string? SkipReason { get; init; }

    /// <summary>Gets whether the write sets <c>OwnerId</c>.</summary>
    public bool SetsOwner => Fields.ContainsField("OwnerId");

    /// <inheritdoc />
    public override string ToString() => Action == RecordAction.Skip ? $"Skip {ObjectType}" : $"{Action} {ObjectType} ({Fields.Count} fields)";

    /// <summary>Creates a decision to write nothing and skip the export.</summary>
    /// <param name="objectType">The person sObject that would have been written.</param>
    /// <param name="reason">Why; no personal data.</param>
    /// <returns>The decision.</returns>
    public static ResolvedRecord Skip(string objectType, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new ResolvedRecord { Action = RecordAction.Skip, ObjectType = objectType, SkipReason = reason };
    }
}
