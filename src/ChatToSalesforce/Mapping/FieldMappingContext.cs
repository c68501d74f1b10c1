using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Mapping;

/// <summary>The input of <see cref="IFieldMapper"/>.</summary>
public sealed class FieldMappingContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the person sObject of the mode.</summary>
    public required string PersonObject { get; init; }

    /// <summary>Gets the activity sObject of the mode (<c>Task</c>, <c>Case</c>, <c>Event</c>), or <see langword="null"/> for the generic record mode.</summary>
    public required string? ActivityObject { get; init; }

    /// <summary>Gets the batched Salesforce reader.</summary>
    public required ISalesforceReader Salesforce { get; init; }
}
