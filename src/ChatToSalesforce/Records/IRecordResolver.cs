using ChatToSalesforce.Identity;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Records;

/// <summary>Decides how the person record is written: created, updated, upserted on a key, or left as it is.</summary>
/// <remarks>
/// It decides; it does not call Salesforce. The unit of work turns the decision into subrequests of the single write
/// request. Honors <see cref="SalesforceChatExportOptions.UpdatePolicy"/> and <see cref="SalesforceChatExportOptions.ProtectedFields"/>.
/// Replace it with <c>builder.UseRecordResolver&lt;T&gt;()</c>.
/// </remarks>
public interface IRecordResolver
{
    /// <summary>Resolves the person record write.</summary>
    /// <param name="context">The match, mapped values and owner.</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The decision.</returns>
    ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken);
}

/// <summary>The input of <see cref="IRecordResolver"/>.</summary>
public sealed class RecordResolutionContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the person sObject of the mode.</summary>
    public required string PersonObject { get; init; }

    /// <summary>Gets the identity match.</summary>
    public required IdentityMatch Match { get; init; }

    /// <summary>Gets the mapped values.</summary>
    public required FieldMap Fields { get; init; }

    /// <summary>Gets the owner.</summary>
    public required ResolvedOwner Owner { get; init; }

    /// <summary>Gets the batched Salesforce reader.</summary>
    public required ISalesforceReader Salesforce { get; init; }
}

/// <summary>How a record is written.</summary>
public enum RecordAction
{
    /// <summary>Create a new record.</summary>
    Create,

    /// <summary>Update the existing record <see cref="ResolvedRecord.Id"/>.</summary>
    Update,

    /// <summary>Upsert on <see cref="ResolvedRecord.ExternalIdField"/> = <see cref="ResolvedRecord.ExternalIdValue"/>.</summary>
    Upsert,

    /// <summary>Use the existing record <see cref="ResolvedRecord.Id"/> as it is.</summary>
    Keep,
}

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
