using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Transcripts;

/// <summary>The input of <see cref="ITranscriptWriter"/>.</summary>
public sealed class TranscriptWriteContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the activity sObject of the mode.</summary>
    public required string ActivityObject { get; init; }

    /// <summary>Gets the person sObject of the mode.</summary>
    public required string PersonObject { get; init; }

    /// <summary>Gets the mapped values (the activity's mapped fields are included in the result).</summary>
    public required FieldMap Fields { get; init; }

    /// <summary>Gets the owner.</summary>
    public required ResolvedOwner Owner { get; init; }

    /// <summary>Gets the batched Salesforce reader.</summary>
    public required ISalesforceReader Salesforce { get; init; }

    /// <summary>
    /// Gets the activity's idempotency key, the value for <see cref="SalesforceChatExportOptions.ConversationIdField"/>: the
    /// conversation's id, or <c>{id}~{n}</c> for its n-th session when it resumed after <see cref="TranscriptOptions.ReopenWindow"/>.
    /// </summary>
    /// <value><see langword="null"/> means the conversation's id.</value>
    public string? ActivityKey { get; init; }
}
