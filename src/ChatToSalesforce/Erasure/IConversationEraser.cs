namespace ChatToSalesforce.Erasure;

/// <summary>
/// Erases what the SDK wrote for a person (a data-subject request): the activities found by the conversation key (the
/// <c>[chat …]</c> subject marker or <see cref="SalesforceChatExportOptions.ConversationIdField"/>) and their files, and
/// optionally the person when the SDK's user created it and nothing else references it. Per tenant, idempotent (a second
/// run finds nothing left), reporting what it removed. Registered by <c>AddSalesforceChatExport</c>.
/// </summary>
public interface IConversationEraser
{
    /// <summary>Finds and erases (or anonymises) the records.</summary>
    /// <param name="request">Whose records, in which tenant, and how.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was erased and what was kept, and why.</returns>
    Task<ErasureResult> EraseAsync(ErasureRequest request, CancellationToken cancellationToken = default);
}
