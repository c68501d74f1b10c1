using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Identity;

/// <summary>The input of <see cref="IIdentityMatcher"/>.</summary>
public sealed class IdentityMatchContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the sObject the mode creates as the person (<c>Contact</c>, <c>Lead</c>, or the generic target).</summary>
    public required string PersonObject { get; init; }

    /// <summary>Gets the batched Salesforce reader.</summary>
    public required ISalesforceReader Salesforce { get; init; }
}
