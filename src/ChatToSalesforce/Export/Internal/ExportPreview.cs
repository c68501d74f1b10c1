using ChatToSalesforce.Identity;

namespace ChatToSalesforce.Export.Internal;

/// <summary>What an export of one conversation would do (a dry run: reads only).</summary>
internal sealed record ExportPreview(string ConversationId, string? SkipReason, Exception? Error, IdentityMatch? Match, ExportWritePlan? Plan, int ReadCalls);

/// <summary>The dry run the CLI's <c>preview</c> uses: the same read path as an export, writing nothing.</summary>
internal interface IExportPreviewer
{
    /// <summary>Decides every conversation, chunk by chunk, sharing reads as an export does.</summary>
    IAsyncEnumerable<ExportPreview> PreviewManyAsync(IEnumerable<Conversation> conversations, CancellationToken cancellationToken = default);
}
