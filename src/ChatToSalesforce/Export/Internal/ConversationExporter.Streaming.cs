using System.Runtime.CompilerServices;

namespace ChatToSalesforce.Export.Internal;

/// <content>Batch streaming: conversations in, chunks of <see cref="ChunkSize"/> in flight, results out in input order.</content>
internal sealed partial class ConversationExporter
{
    private async IAsyncEnumerable<ConversationExportResult> RunChunksAsync(
        IAsyncEnumerable<Conversation> conversations,
        SalesforceChatExportOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var concurrency = Math.Clamp(options.MaxConcurrency, 1, 25);
        var seen = new RecentConversationIds(RememberedIds);
        var progress = new ProgressCounter(options.OnProgress);
        var window = new Queue<Task<ConversationExportResult[]>>();
        var chunk = new List<ExportItem>(ChunkSize);
        var index = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await foreach (var conversation in conversations.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                chunk.Add(Admit(conversation, index++, seen));
                if (chunk.Count < ChunkSize)
                {
                    continue;
                }

                window.Enqueue(Start(chunk));
                chunk = new List<ExportItem>(ChunkSize);
                if (window.Count >= concurrency)
                {
                    foreach (var result in await window.Dequeue().ConfigureAwait(false))
                    {
                        progress.Report(result.Status);
                        yield return result;
                    }
                }
            }

            if (chunk.Count > 0)
            {
                window.Enqueue(Start(chunk));
            }

            while (window.Count > 0)
            {
                foreach (var result in await window.Dequeue().ConfigureAwait(false))
                {
                    progress.Report(result.Status);
                    yield return result;
                }
            }
        }
        finally
        {
            // The caller stopped early (break, cancellation, a failure): stop the chunks still in flight and let them finish.
            if (window.Count > 0)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await Task.WhenAll(window).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Expected (the chunks were cancelled), and nobody is left to report anything else to.
                }
            }
        }

        Task<ConversationExportResult[]> Start(List<ExportItem> items) => ExportChunkAsync(items, options, stop.Token);
    }

    private static ExportItem Admit(Conversation? conversation, int index, RecentConversationIds seen)
    {
        var item = new ExportItem(index, conversation);
        if (conversation is null)
        {
            item.Result = ConversationExportResult.Failed(string.Empty, new ArgumentNullException(nameof(conversation), "The batch contained a null conversation."));
        }
        else if (!string.IsNullOrWhiteSpace(conversation.Id) && !seen.Add(conversation.Id))
        {
            item.Result = ConversationExportResult.Skipped(conversation.Id, DuplicateReason);
        }

        return item;
    }

    private static async IAsyncEnumerable<Conversation> ToAsync(IEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var conversation in conversations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return conversation;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
