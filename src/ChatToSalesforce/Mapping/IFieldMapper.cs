using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Mapping;

/// <summary>Turns a conversation into Salesforce field values for the person, the activity and other targets.</summary>
/// <remarks>
/// Values are validated against describe metadata (read through <see cref="FieldMappingContext.Salesforce"/>, cached per
/// org): unknown or non-writable fields are configuration errors; text is truncated to the field length; restricted
/// picklist values follow <see cref="SalesforceChatExportOptions.RestrictedPicklistPolicy"/>. Replace it with
/// <c>builder.UseFieldMapper&lt;T&gt;()</c>.
/// </remarks>
public interface IFieldMapper
{
    /// <summary>Maps the conversation.</summary>
    /// <param name="context">The conversation, options and reader.</param>
    /// <param name="cancellationToken">Cancels the mapping.</param>
    /// <returns>The values per object.</returns>
    ValueTask<FieldMap> MapAsync(FieldMappingContext context, CancellationToken cancellationToken);
}

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
