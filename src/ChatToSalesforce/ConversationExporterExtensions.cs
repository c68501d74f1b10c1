using System.Runtime.CompilerServices;
using ChatToSalesforce.Export.Internal;

namespace ChatToSalesforce;

/// <summary>Batch exports that report their progress.</summary>
public static class ConversationExporterExtensions
{
    /// <summary>Exports many conversations, reporting running totals after each result (in input order).</summary>
    /// <param name="exporter">The exporter.</param>
    /// <param name="conversations">The conversations.</param>
    /// <param name="progress">Receives an <see cref="ExportProgress"/> after each result, for example a progress bar's <see cref="Progress{T}"/>.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>One result per conversation, in input order.</returns>
    public static IAsyncEnumerable<ConversationExportResult> ExportManyAsync(this IConversationExporter exporter, IEnumerable<Conversation> conversations, IProgress<ExportProgress> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(progress);
        return Report(exporter.ExportManyAsync(conversations, cancellationToken), progress, cancellationToken);
    }

    /// <summary>Exports many conversations read from an asynchronous stream, reporting running totals after each result (in input order).</summary>
    /// <param name="exporter">The exporter.</param>
    /// <param name="conversations">The conversations.</param>
    /// <param name="progress">Receives an <see cref="ExportProgress"/> after each result.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    /// <returns>One result per conversation, in input order.</returns>
    public static IAsyncEnumerable<ConversationExportResult> ExportManyAsync(this IConversationExporter exporter, IAsyncEnumerable<Conversation> conversations, IProgress<ExportProgress> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(progress);
        return Report(exporter.ExportManyAsync(conversations, cancellationToken), progress, cancellationToken);
    }

    private static async IAsyncEnumerable<ConversationExportResult> Report(IAsyncEnumerable<ConversationExportResult> results, IProgress<ExportProgress> progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var counter = new ProgressCounter(progress);
        await foreach (var result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            counter.Report(result.Status);
            yield return result;
        }
    }
}
