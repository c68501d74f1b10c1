using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ChatToSalesforce.Journal.Internal;

/// <summary>
/// Wraps the registered <see cref="IConversationExporter"/> and records every outcome (results, and exceptions of
/// the single exports) in the journal before handing it back unchanged. The journal never changes or delays an outcome
/// beyond its own write, and never fails one (see <see cref="JournalRecorder"/>).
/// </summary>
internal sealed class JournalingExporter(IConversationExporter inner, JournalRecorder recorder) : IConversationExporter
{
    public Task<ConversationExportResult> ExportAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return RecordAsync(conversation, () => inner.ExportAsync(conversation, cancellationToken), cancellationToken);
    }

    public Task<ConversationExportResult> ExportAsync(Conversation conversation, ConversationExportChoices choices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(choices);
        return RecordAsync(conversation, () => inner.ExportAsync(conversation, choices, cancellationToken), cancellationToken);
    }

    private async Task<ConversationExportResult> RecordAsync(Conversation conversation, Func<Task<ConversationExportResult>> export, CancellationToken cancellationToken)
    {
        ConversationExportResult result;
        try
        {
            result = await export().ConfigureAwait(false);
        }
        catch (Exception e) when (Recordable(conversation) && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            await recorder.RecordAsync(JournalRecord.FromException(conversation, e, recorder.Time.GetUtcNow(), recorder.Options)).ConfigureAwait(false);
            throw;
        }

        if (Recordable(conversation) && result.ConversationId.Length > 0)
        {
            await recorder.RecordAsync(JournalRecord.FromResult(conversation, result, recorder.Time.GetUtcNow(), recorder.Options)).ConfigureAwait(false);
        }

        return result;
    }

    public IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IEnumerable<Conversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var pulled = new ConcurrentQueue<Conversation?>();
        return RecordManyAsync(inner.ExportManyAsync(Tap(conversations, pulled), cancellationToken), pulled, cancellationToken);
    }

    public IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IAsyncEnumerable<Conversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var pulled = new ConcurrentQueue<Conversation?>();
        return RecordManyAsync(inner.ExportManyAsync(TapAsync(conversations, pulled, cancellationToken), cancellationToken), pulled, cancellationToken);
    }

    private static bool Recordable(Conversation conversation) => !string.IsNullOrEmpty(conversation.Id);

    private static IEnumerable<Conversation> Tap(IEnumerable<Conversation> source, ConcurrentQueue<Conversation?> pulled)
    {
        foreach (var conversation in source)
        {
            pulled.Enqueue(conversation);
            yield return conversation;
        }
    }

    private static async IAsyncEnumerable<Conversation> TapAsync(IAsyncEnumerable<Conversation> source, ConcurrentQueue<Conversation?> pulled, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var conversation in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            pulled.Enqueue(conversation);
            yield return conversation;
        }
    }

    /// <summary>Results come in input order (the exporter's contract), so the n-th result belongs to the n-th conversation pulled.</summary>
    private async IAsyncEnumerable<ConversationExportResult> RecordManyAsync(IAsyncEnumerable<ConversationExportResult> results, ConcurrentQueue<Conversation?> pulled, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            pulled.TryDequeue(out var conversation);
            if (conversation is not null && conversation.Id != result.ConversationId)
            {
                conversation = null; // never pair a result with another conversation's tenant or content
            }

            if (result.ConversationId.Length > 0)
            {
                await recorder.RecordAsync(JournalRecord.FromResult(conversation, result, recorder.Time.GetUtcNow(), recorder.Options)).ConfigureAwait(false);
            }

            yield return result;
        }
    }
}
