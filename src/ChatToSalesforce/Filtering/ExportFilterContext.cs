namespace ChatToSalesforce.Filtering;

/// <summary>The input of <see cref="IExportFilter"/>.</summary>
public sealed class ExportFilterContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }
}
