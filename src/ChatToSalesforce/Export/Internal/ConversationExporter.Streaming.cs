using System.Runtime.CompilerServices;
using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Tenancy.Internal;

namespace ChatToSalesforce.Export.Internal;

/// <content>
/// Batch streaming: conversations of any tenants in, one chunk of up to <see cref="ChunkSize"/> conversations of one tenant
/// per request round, chunks of different tenants in flight at once, results out in input order.
/// </content>
internal sealed partial class ConversationExporter
{
    /// <summary>
    /// Conversations read ahead of the oldest unfinished one. A tenant's conversations wait (up to this many in all) to
    /// fill a chunk, so a stream that interleaves many tenants still spends one read and one write per tenant and chunk.
    /// </summary>
    internal const int MaxPending = 10_000;

    private async IAsyncEnumerable<ConversationExportResult> RunChunksAsync(
        IAsyncEnumerable<Conversation> conversations,
        SalesforceChatExportOptions defaults,
        ApiWorkPriority priority,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var maxChunks = _tenants.HasStore ? _tenants.Tenancy.MaxConcurrentChunks : Math.Clamp(defaults.MaxConcurrency, 1, 25);
        using var slots = new SemaphoreSlim(maxChunks);
        var seen = new RecentConversationIds(RememberedIds);
        var pending = new Queue<(ExportItem Item, Chunk? Chunk, int Slot)>();
        var open = new Dictionary<string, Chunk>(StringComparer.Ordinal);
        var started = new List<Chunk>();
        var index = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await foreach (var conversation in conversations.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var item = Admit(conversation, index++, seen);
                if (item.Result is not null)
                {
                    pending.Enqueue((item, null, 0));
                }
                else
                {
                    var key = conversation.TenantId ?? TenantContext.DefaultId;
                    if (!open.TryGetValue(key, out var chunk))
                    {
                        open[key] = chunk = new Chunk(key);
                    }

                    pending.Enqueue((item, chunk, chunk.Items.Count));
                    chunk.Items.Add(item);
                    if (chunk.Items.Count == ChunkSize)
                    {
                        open.Remove(key);
                        Start(chunk);
                    }
                }

                // Bounded read-ahead: every open chunk starts when too much is waiting, and reading pauses while more
                // chunks are started than can run (twice the slots, so the next ones are ready when a slot frees).
                if (pending.Count >= MaxPending)
                {
                    StartAll();
                }

                while (pending.Count > 0 && (started.Count >= 2 * maxChunks || pending.Count >= MaxPending || IsDone(pending.Peek())))
                {
                    var front = pending.Peek();
                    if (front.Chunk is { Task: null } waiting)
                    {
                        open.Remove(waiting.TenantKey);
                        Start(waiting);
                    }

                    await WaitAsync(front).ConfigureAwait(false);
                    yield return Take();
                }
            }

            StartAll();
            while (pending.Count > 0)
            {
                await WaitAsync(pending.Peek()).ConfigureAwait(false);
                yield return Take();
            }
        }
        finally
        {
            // The caller stopped early (break, cancellation, a failure): stop the chunks still in flight and let them finish.
            var inFlight = started.Select(c => c.Task!).Where(t => !t.IsCompleted).ToArray();
            if (inFlight.Length > 0)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await Task.WhenAll(inFlight).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Expected (the chunks were cancelled), and nobody is left to report anything else to.
                }
            }
        }

        void Start(Chunk chunk)
        {
            chunk.Task = RunChunkAsync(chunk, slots, priority, stop.Token);
            started.Add(chunk);
        }

        void StartAll()
        {
            foreach (var chunk in open.Values)
            {
                Start(chunk);
            }

            open.Clear();
        }

        ConversationExportResult Take()
        {
            var (item, chunk, slot) = pending.Dequeue();
            var result = chunk is null ? item.Result! : chunk.Task!.Result[slot];
            if (chunk is not null && slot == chunk.Items.Count - 1)
            {
                started.Remove(chunk);
            }

            return result;
        }
    }

    private static bool IsDone((ExportItem Item, Chunk? Chunk, int Slot) entry) => entry.Chunk is null || entry.Chunk.Task is { IsCompleted: true };

    private static async Task WaitAsync((ExportItem Item, Chunk? Chunk, int Slot) entry)
    {
        if (entry.Chunk?.Task is { } task)
        {
            await task.ConfigureAwait(false);
        }
    }

    /// <summary>Runs one tenant's chunk in a slot. A tenant that cannot be used fails its own conversations, with no API call.</summary>
    private async Task<ConversationExportResult[]> RunChunkAsync(Chunk chunk, SemaphoreSlim slots, ApiWorkPriority priority, CancellationToken cancellationToken)
    {
        // The batch's kind of work (a backfill unless the caller said otherwise), for the API budget of each tenant.
        using var scope = SalesforceApiPriority.Use(priority);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TenantContext tenant;
            try
            {
                tenant = await _tenants.GetAsync(chunk.TenantKey, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A tenant that cannot be resolved fails its own conversations; the batch goes on.
                return chunk.Items.Select(i => new ConversationExportResult
                {
                    ConversationId = i.ConversationId, TenantId = i.Conversation?.TenantId, Status = ExportStatus.Failed, Error = ex,
                }).ToArray();
            }

            return await ExportChunkAsync(chunk.Items, tenant, tenant.Options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private static ExportItem Admit(Conversation? conversation, int index, RecentConversationIds seen)
    {
        var item = new ExportItem(index, conversation);
        if (conversation is null)
        {
            item.Result = ConversationExportResult.Failed(string.Empty, new ArgumentNullException(nameof(conversation), "The batch contained a null conversation."));
        }
        else if (!string.IsNullOrWhiteSpace(conversation.Id) && !seen.Add((conversation.TenantId ?? TenantContext.DefaultId) + "\n" + conversation.Id))
        {
            item.Result = new ConversationExportResult { ConversationId = conversation.Id, TenantId = conversation.TenantId, Status = ExportStatus.Skipped, SkipReason = DuplicateReason };
        }

        return item;
    }

    /// <summary>A store tenant's exception for a token answer that says the grant is gone; other errors unchanged.</summary>
    private static Exception ForTenant(Exception error, TenantContext tenant) =>
        error is SalesforceAuthenticationException { GrantGone: true } gone && tenant.Id != TenantContext.DefaultId
            ? new SalesforceReconnectRequiredException(tenant.Id, TenantRegistry.ReconnectReason(gone), gone)
            : error;

    private static async IAsyncEnumerable<Conversation> ToAsync(IEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var conversation in conversations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return conversation;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Up to <see cref="ChunkSize"/> conversations of one tenant, exported together.</summary>
    private sealed class Chunk(string tenantKey)
    {
        public string TenantKey { get; } = tenantKey;

        public List<ExportItem> Items { get; } = new(8);

        public Task<ConversationExportResult[]>? Task { get; set; }
    }
}
