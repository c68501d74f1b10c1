using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Ownership.Internal;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// Batch export (<see cref="IConversationExporter.ExportManyAsync(IAsyncEnumerable{Conversation}, CancellationToken)"/>):
/// conversations are taken in chunks of <see cref="ChunkSize"/>; per chunk, the reads are shared (one prefetch, usually one
/// <c>/composite</c> call), the stages decide per conversation against the prefetched results, and the writes go out as
/// sObject Collections (persons, then activities, then campaign members and files), 200 records per call.
/// </summary>
/// <remarks>
/// <para>Results come back in input order. A conversation that fails is <see cref="ExportStatus.Failed"/> with the
/// exception; it never stops the batch. A conversation id seen earlier in the batch is <see cref="ExportStatus.Skipped"/>.</para>
/// <para>At most <see cref="SalesforceChatExportOptions.MaxConcurrency"/> chunks are in flight, and at most that many
/// requests are open at once. Person writes run chunk after chunk, so a new visitor who appears in two chunks is created
/// once (the later chunk links to the person the earlier one created).</para>
/// <para>API calls: a chunk's shared calls (reads and collection writes) are charged to the first conversation of the
/// chunk that got past the filters; calls made for one conversation only (reads a custom stage needed, large files) are
/// charged to it. The sum over the results is the number of calls spent.</para>
/// </remarks>
internal sealed partial class BatchExporter(
    ConversationExporter exporter,
    ISalesforceClient client,
    IIdentityMatcher identityMatcher,
    IOwnerResolver ownerResolver,
    OrgMetadataCache cache,
    SalesforceChatExportOptions options,
    ILogger logger)
{
    /// <summary>Conversations per chunk: one sObject Collections call holds 200 records.</summary>
    internal const int ChunkSize = BatchWriter.CollectionLimit;

    private const string DuplicateReason = "The batch already contains a conversation with this Id; it was exported once.";

    public async IAsyncEnumerable<ConversationExportResult> RunAsync(IAsyncEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var concurrency = Math.Clamp(options.MaxConcurrency, 1, 25);
        using var gate = new SemaphoreSlim(concurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var createdPersons = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var progress = new ProgressCounter(options.OnProgress);
        var window = new Queue<Task<ConversationExportResult[]>>();
        var personWrites = Task.CompletedTask;
        var chunk = new List<BatchItem>(ChunkSize);
        var index = 0;
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
                chunk = new List<BatchItem>(ChunkSize);
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
            // The caller stopped early (break, cancellation, a failure): stop the chunks still in flight and let them
            // finish before the gate is disposed.
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

        Task<ConversationExportResult[]> Start(List<BatchItem> items)
        {
            var previous = personWrites;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            personWrites = done.Task;
            return ProcessChunkAsync(items, new ChunkContext(gate, previous, done, createdPersons), stop.Token);
        }
    }

    private static BatchItem Admit(Conversation? conversation, int index, HashSet<string> seen)
    {
        var item = new BatchItem(index, conversation);
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

    private async Task<ConversationExportResult[]> ProcessChunkAsync(List<BatchItem> items, ChunkContext context, CancellationToken cancellationToken)
    {
        using var activity = ConversationExporter.ActivitySource.StartActivity("ChatToSalesforce.ExportBatch");
        activity?.SetTag("chat_to_salesforce.batch_size", items.Count);
        var gated = new GatedSalesforceClient(client, context.Gate);
        var candidates = new List<BatchItem>(items.Count);
        try
        {
            foreach (var item in items)
            {
                if (item.Result is not null)
                {
                    continue;
                }

                try
                {
                    item.Result = await exporter.PrecheckAsync(item.Conversation!, options, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    item.Error = ex;
                }

                if (item.Result is null && item.Error is null)
                {
                    candidates.Add(item);
                }
            }

            if (candidates.Count > 0)
            {
                await ExportCandidatesAsync(candidates, gated, context, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            context.PersonsWritten.TrySetResult();
        }

        var results = Results(items, candidates, gated.ApiCalls);
        var exported = results.Count(r => r.Status == ExportStatus.Exported);
        var failed = results.Count(r => r.Status == ExportStatus.Failed);
        activity?.SetTag("chat_to_salesforce.api_calls", gated.ApiCalls);
        LogChunk(logger, items.Count, exported, results.Length - exported - failed, failed, gated.ApiCalls);
        foreach (var item in items.Where(i => i.Error is not null))
        {
            ConversationExporter.LogFailed(logger, item.Conversation?.Id ?? string.Empty, item.Error!.GetType().Name, (item.Error as SalesforceApiException)?.ErrorCode);
        }

        return results;
    }

    private async Task ExportCandidatesAsync(List<BatchItem> candidates, GatedSalesforceClient gated, ChunkContext context, CancellationToken cancellationToken)
    {
        // 1. Shared reads. Only the default stages' reads are known in advance; anything else a stage reads falls
        //    through to a read round of its own conversation.
        var persons = identityMatcher is DefaultIdentityMatcher && options.Mode != ExportMode.Record && options.PersonKeyField is null
            && options.Identity.Rules.Any(r => r.Kind == IdentificationRuleKind.Email);
        var agents = ownerResolver is DefaultOwnerResolver && options.OwnerStrategies.Contains(OwnerStrategy.AgentUser);
        BatchPrefetch prefetch;
        try
        {
            prefetch = await BatchPrefetch.LoadAsync(candidates.Select(c => c.Conversation!).ToArray(), options, persons, agents, cache, gated, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            foreach (var candidate in candidates)
            {
                candidate.Error = ex;
            }

            return;
        }

        // 2. Decisions, per conversation (no calls when the prefetch answered everything).
        await Task.WhenAll(candidates.Select(c => DecideAsync(c, prefetch, gated, cancellationToken))).ConfigureAwait(false);

        // 3. Writes, shared: persons, activities, then campaign members and files.
        var writer = new BatchWriter(gated, options, cache);
        await writer.WriteAsync(candidates.Where(c => c.Plan is not null && c.Error is null).ToList(), context, cancellationToken).ConfigureAwait(false);
    }

    private async Task DecideAsync(BatchItem item, BatchPrefetch prefetch, GatedSalesforceClient gated, CancellationToken cancellationToken)
    {
        var rounds = new BatchedSalesforceReader(gated, cache, options);
        try
        {
            var decision = await exporter.DecideAsync(item.Conversation!, options, new PrefetchedSalesforceReader(prefetch, rounds), rounds, cancellationToken).ConfigureAwait(false);
            item.Result = decision.Skipped;
            item.Plan = decision.Plan;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            item.Error = ex;
        }
        finally
        {
            item.OwnCalls += rounds.ApiCalls;
        }
    }

    private static ConversationExportResult[] Results(List<BatchItem> items, List<BatchItem> candidates, int chunkCalls)
    {
        var shared = chunkCalls - items.Sum(i => i.OwnCalls);
        var first = candidates.Count > 0 ? candidates[0] : null;
        var results = new ConversationExportResult[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var calls = item.OwnCalls + (ReferenceEquals(item, first) ? shared : 0);
            var id = item.Conversation?.Id ?? string.Empty;
            if (item.Error is not null)
            {
                results[i] = new ConversationExportResult
                {
                    ConversationId = id, Status = ExportStatus.Failed, Error = item.Error, Person = item.Person, Activity = item.Activity,
                    Files = item.Files, ApiCalls = calls, Warnings = item.Plan?.Warnings ?? [],
                };
            }
            else if (item.Result is { } done)
            {
                results[i] = new ConversationExportResult
                {
                    ConversationId = done.ConversationId, Status = done.Status, SkipReason = done.SkipReason, Error = done.Error, ApiCalls = calls,
                };
            }
            else
            {
                var plan = item.Plan!;
                results[i] = new ConversationExportResult
                {
                    ConversationId = id,
                    Status = ExportStatus.Exported,
                    Person = item.Person,
                    Activity = item.Activity,
                    Files = item.Files,
                    OwnerId = plan.Owner.OwnerId,
                    ApiCalls = calls,
                    Warnings = plan.Warnings,
                };
            }
        }

        return results;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Batch chunk of {Count} conversations: {Exported} exported, {Skipped} skipped, {Failed} failed, {ApiCalls} API calls")]
    private static partial void LogChunk(ILogger logger, int count, int exported, int skipped, int failed, int apiCalls);

    private sealed class ProgressCounter(Action<ExportProgress>? callback)
    {
        private int _completed;
        private int _exported;
        private int _skipped;
        private int _failed;

        public void Report(ExportStatus status)
        {
            if (callback is null)
            {
                return;
            }

            _completed++;
            switch (status)
            {
                case ExportStatus.Exported: _exported++; break;
                case ExportStatus.Skipped: _skipped++; break;
                default: _failed++; break;
            }

            callback(new ExportProgress(_completed, _exported, _skipped, _failed));
        }
    }
}

/// <summary>What one chunk shares with the rest of the batch.</summary>
/// <param name="Gate">Bounds the requests open at once.</param>
/// <param name="PreviousPersonsWritten">Completes when the previous chunk has written its persons.</param>
/// <param name="PersonsWritten">Completed when this chunk has written its persons (or gave up).</param>
/// <param name="CreatedPersons">Persons created by this batch, by <c>{object}|{lower-cased email}</c>.</param>
internal sealed record ChunkContext(SemaphoreSlim Gate, Task PreviousPersonsWritten, TaskCompletionSource PersonsWritten, ConcurrentDictionary<string, string> CreatedPersons);

/// <summary>One conversation of a batch, and what happened to it.</summary>
internal sealed class BatchItem(int index, Conversation? conversation)
{
    public int Index { get; } = index;

    public Conversation? Conversation { get; } = conversation;

    /// <summary>Gets or sets a result decided without writing (skipped, or failed before the chunk's work).</summary>
    public ConversationExportResult? Result { get; set; }

    public ExportWritePlan? Plan { get; set; }

    public Exception? Error { get; set; }

    /// <summary>Gets or sets the API calls made for this conversation alone.</summary>
    public int OwnCalls { get; set; }

    public string? PersonId { get; set; }

    public SalesforceRecordRef? Person { get; set; }

    public SalesforceRecordRef? Activity { get; set; }

    public List<SalesforceRecordRef> Files { get; } = [];

    /// <summary>Owner ids Salesforce rejected for this conversation, and what replaced them (<see langword="null"/>: none set).</summary>
    private List<(string Rejected, string? Replacement)>? _ownerChanges;

    /// <summary>
    /// Moves to the next fallback owner after Salesforce rejected the current one, and rewrites <paramref name="record"/>'s
    /// <c>OwnerId</c>. Returns <see langword="false"/> when no fallback is left.
    /// </summary>
    public bool FallBackOwner(JsonObject record, OrgMetadataCache cache, SalesforceChatExportOptions options)
    {
        var plan = Plan!;
        var rejected = record["OwnerId"]?.GetValue<string>();
        var current = plan.Owner;
        var fallbacks = current.Fallbacks;
        if (rejected is null || fallbacks.Count == 0)
        {
            return false;
        }

        var next = fallbacks[0] with { Fallbacks = fallbacks.Skip(1).ToArray() };
        plan.Owner = next;
        (_ownerChanges ??= []).Add((rejected, next.OwnerId));
        plan.Warnings.Add($"Salesforce rejected the {current.Strategy} owner; fell back to {next.Strategy}.");
        if (current.Strategy == OwnerStrategy.AgentUser && Conversation?.Agent?.Email is { } agentEmail)
        {
            // Forget the agent's User so the next export looks again.
            cache.RemoveAgentUser(options.InstanceUrl?.ToString() ?? string.Empty, agentEmail.Trim().ToLowerInvariant());
        }

        ApplyOwnerFallbacks(record);
        return true;
    }

    /// <summary>Replaces owners rejected earlier (on the person) in a record about to be sent (the activity).</summary>
    public void ApplyOwnerFallbacks(JsonObject record)
    {
        if (_ownerChanges is null)
        {
            return;
        }

        foreach (var (rejected, replacement) in _ownerChanges)
        {
            if (string.Equals(record["OwnerId"]?.GetValue<string>(), rejected, StringComparison.Ordinal))
            {
                if (replacement is null)
                {
                    record.Remove("OwnerId");
                }
                else
                {
                    record["OwnerId"] = replacement;
                }
            }
        }
    }
}
