namespace ChatToSalesforce;

/// <summary>Exports closed chat conversations into Salesforce.</summary>
/// <remarks>
/// Resolve it from dependency injection after <c>services.AddSalesforceChatExport(...)</c>. It is thread-safe and
/// stateless per call: Salesforce is the source of truth, so concurrent and repeated exports converge
/// (fully so when <see cref="SalesforceChatExportOptions.ConversationIdField"/> is configured).
/// </remarks>
public interface IConversationExporter
{
    /// <summary>Exports one conversation.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>An <see cref="ExportStatus.Exported"/> or <see cref="ExportStatus.Skipped"/> result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conversation"/> is <see langword="null"/>.</exception>
    /// <exception cref="SalesforceApiException">Salesforce rejected the export, after any safe retries.</exception>
    /// <exception cref="SalesforceAuthenticationException">The SDK could not authenticate.</exception>
    Task<ConversationExportResult> ExportAsync(Conversation conversation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports one conversation now, with choices made for this export (for example an agent's "create Lead now" or
    /// "create Case now", owned by that agent). A later export of the same conversation updates what this one wrote.
    /// </summary>
    /// <param name="conversation">The conversation, as it is now (it may still be open).</param>
    /// <param name="choices">The person and activity objects and the owner chosen for this export.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>An <see cref="ExportStatus.Exported"/> or <see cref="ExportStatus.Skipped"/> result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conversation"/> or <paramref name="choices"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="choices"/> names a mode that writes no person and activity, or an owner that is not a User id.</exception>
    /// <exception cref="SalesforceApiException">Salesforce rejected the export, after any safe retries.</exception>
    /// <exception cref="SalesforceAuthenticationException">The SDK could not authenticate.</exception>
    Task<ConversationExportResult> ExportAsync(Conversation conversation, ConversationExportChoices choices, CancellationToken cancellationToken = default);

    /// <summary>Exports many conversations (a batch or a backfill), sharing reads and writes between them.</summary>
    /// <param name="conversations">The conversations.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>One result per conversation, in input order; a failing item is <see cref="ExportStatus.Failed"/>, never a thrown batch.</returns>
    IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IEnumerable<Conversation> conversations, CancellationToken cancellationToken = default);

    /// <summary>Exports many conversations read from an asynchronous stream.</summary>
    /// <param name="conversations">The conversations.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>One result per conversation, in input order; a failing item is <see cref="ExportStatus.Failed"/>, never a thrown batch.</returns>
    IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IAsyncEnumerable<Conversation> conversations, CancellationToken cancellationToken = default);
}
