using ChatToSalesforce.Identity;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Records;

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
