using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Ownership;

/// <summary>The input of <see cref="IOwnerResolver"/>.</summary>
public sealed class OwnerResolutionContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the batched Salesforce reader.</summary>
    public required ISalesforceReader Salesforce { get; init; }
}
