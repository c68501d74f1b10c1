using System.Net;
using System.Text;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// The one read path: the stages of every conversation of a chunk (a single export is a chunk of one) read through it,
/// and it sends what they queued together, in rounds. Keyed lookups that differ only in their value are merged into
/// shared <c>IN</c> queries; queries and describes are deduplicated; a round travels as few <c>/composite</c> requests as
/// Salesforce allows.
/// </summary>
/// <remarks>
/// <para>Completions run their continuations inline (no <c>RunContinuationsAsynchronously</c>), so the reads a stage
/// starts in response to a result are queued before <see cref="RunAsync"/> looks again; it keeps flushing rounds until
/// every participant has finished.</para>
/// <para>A merged query Salesforce rejects is split in halves and sent again, so a value Salesforce rejects fails only the
/// conversations that asked for it; an error that no value can cause (a missing field or object) fails them all at once.
/// A failed read is never cached.</para>
/// </remarks>
internal sealed class ChunkReader : ISalesforceReader
{
    private static readonly string[] ConfigurationErrors = ["INVALID_FIELD", "INVALID_TYPE", "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY", "API_DISABLED_FOR_ORG", "INVALID_SESSION_ID", "REQUEST_LIMIT_EXCEEDED"];

    private readonly ISalesforceClient _client;
    private readonly OrgMetadataCache _cache;
    private readonly string _org;
    private readonly TimeSpan _cacheDuration;
    private readonly object _gate = new();
    private readonly Dictionary<LookupKey, Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>>> _lookups = [];
    private readonly List<(LookupKey Key, Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>> Waiting)> _splits = [];
    private readonly Dictionary<string, TaskCompletionSource<SalesforceQueryResult>> _queries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<SalesforceObjectDescription>> _describes = new(StringComparer.OrdinalIgnoreCase);
    private TaskCompletionSource _queued = NewSignal();
    private SalesforceConnection? _connection;
    private int _apiCalls;

    public ChunkReader(ISalesforceClient client, OrgMetadataCache cache, string org, TimeSpan cacheDuration)
    {
        _client = client;
        _cache = cache;
        _org = org;
        _cacheDuration = cacheDuration;
    }

    /// <summary>Gets the API calls this reader spent.</summary>
    public int ApiCalls => Volatile.Read(ref _apiCalls);

    public ValueTask<IReadOnlyList<SalesforceFieldValues>> LookupAsync(SalesforceLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (!Soql.IsIdentifier(lookup.ObjectType) || !Soql.IsIdentifier(lookup.Field) || !AreIdentifiers(lookup.Fields))
        {
            throw new ArgumentException($"A lookup names an object or field that is not an API name ({lookup.ObjectType}.{lookup.Field}).", nameof(lookup));
        }

        if (LookupValues.Reject(lookup) is { } rejected)
        {
            // Salesforce would reject the value (or could not match it): answer here, without sending it with others.
            return rejected.Length == 0 ? ValueTask.FromResult<IReadOnlyList<SalesforceFieldValues>>([]) : ValueTask.FromException<IReadOnlyList<SalesforceFieldValues>>(new ArgumentException(rejected, nameof(lookup)));
        }

        if (LookupValues.IsIdField(lookup.Field) && lookup.Value.Length == 15)
        {
            // Salesforce answers 18-character ids; a 15-character one is case-sensitive and would never match back.
            lookup = lookup with { Value = RecordIds.To18(lookup.Value) };
        }

        var source = new TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>();
        TaskCompletionSource signal;
        lock (_gate)
        {
            var key = LookupKey.Of(lookup);
            if (!_lookups.TryGetValue(key, out var byValue))
            {
                byValue = new Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>>(StringComparer.OrdinalIgnoreCase);
                _lookups[key] = byValue;
            }

            if (!byValue.TryGetValue(lookup.Value, out var waiting))
            {
                waiting = [];
                byValue[lookup.Value] = waiting;
            }

            waiting.Add(source);
            signal = _queued;
        }

        signal.TrySetResult();
        return new ValueTask<IReadOnlyList<SalesforceFieldValues>>(source.Task.WaitAsync(cancellationToken));
    }

    private static bool AreIdentifiers(IReadOnlyList<string> fields)
    {
        foreach (var field in fields)
        {
            if (!Soql.IsIdentifier(field))
            {
                return false;
            }
        }

        return true;
    }

    public ValueTask<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(soql);
        return new ValueTask<SalesforceQueryResult>(CopyAsync(Enqueue(_queries, soql).WaitAsync(cancellationToken)));
    }

    public ValueTask<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        if (_cache.TryGetDescribe(_org, objectType, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        return new ValueTask<SalesforceObjectDescription>(Enqueue(_describes, objectType).WaitAsync(cancellationToken));
    }

    /// <summary>Queues a read (once per key for the round) and wakes the run loop.</summary>
    private Task<T> Enqueue<T>(Dictionary<string, TaskCompletionSource<T>> pending, string key)
    {
        TaskCompletionSource<T> source;
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (!pending.TryGetValue(key, out source!))
            {
                source = new TaskCompletionSource<T>();
                pending[key] = source;
            }

            signal = _queued;
        }

        signal.TrySetResult();
        return source.Task;
    }

    public async ValueTask<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken) =>
        _connection ??= await _client.GetConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Flushes queued reads in rounds until every participant task has completed.</summary>
    public async Task RunAsync(IReadOnlyList<Task> participants, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(participants);
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (!HasPending)
                {
                    if (all.IsCompleted)
                    {
                        break;
                    }

                    if (_queued.Task.IsCompleted)
                    {
                        _queued = NewSignal();
                    }

                    signal = _queued.Task;
                }
                else
                {
                    signal = Task.CompletedTask;
                }
            }

            if (!signal.IsCompleted)
            {
                await Task.WhenAny(all, signal).WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await all.ConfigureAwait(false);
    }

    private bool HasPending => _lookups.Count > 0 || _splits.Count > 0 || _queries.Count > 0 || _describes.Count > 0;

    /// <summary>Sends everything queued as one round.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var reads = new List<SalesforceRead>();
        var answers = new List<Action<SalesforceReadResult>>();
        var failures = new List<Action<Exception>>();
        lock (_gate)
        {
            foreach (var (key, byValue) in _lookups)
            {
                foreach (var slice in SoqlInChunker.Slice(byValue.Keys))
                {
                    var waiting = slice.ToDictionary(v => v, v => byValue[v], StringComparer.OrdinalIgnoreCase);
                    AddLookup(reads, answers, failures, key, waiting);
                }
            }

            foreach (var (key, waiting) in _splits)
            {
                // Halves of a query Salesforce rejected: each goes as a query of its own, never merged back.
                AddLookup(reads, answers, failures, key, waiting);
            }

            foreach (var (soql, source) in _queries)
            {
                reads.Add(SalesforceRead.Query(soql));
                answers.Add(result => CompleteQuery(soql, source, result));
                failures.Add(ex => source.TrySetException(ex));
            }

            foreach (var (objectType, source) in _describes)
            {
                reads.Add(SalesforceRead.Describe(objectType));
                answers.Add(result =>
                {
                    if (result.Description is { } description)
                    {
                        _cache.SetDescribe(_org, description, _cacheDuration);
                        source.TrySetResult(description);
                    }
                    else
                    {
                        source.TrySetException(result.Error ?? Missing($"describe of {objectType}"));
                    }
                });
                failures.Add(ex => source.TrySetException(ex));
            }

            _lookups.Clear();
            _splits.Clear();
            _queries.Clear();
            _describes.Clear();
        }

        if (reads.Count == 0)
        {
            return;
        }

        SalesforceReadBatchResult batch;
        try
        {
            batch = await _client.ReadAsync(reads, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var fail in failures)
            {
                fail(ex);
            }

            return;
        }

        Interlocked.Add(ref _apiCalls, batch.ApiCalls);
        for (var i = 0; i < reads.Count; i++)
        {
            answers[i](i < batch.Results.Count ? batch.Results[i] : new SalesforceReadResult { Error = Missing("read") });
        }

        // Answers may have queued follow-up reads (paging, split lookups): the run loop sends them in the next round.
        await Task.WhenAll(_pagings).ConfigureAwait(false);
        _pagings.Clear();
    }

    private readonly List<Task> _pagings = [];

    private void AddLookup(
        List<SalesforceRead> reads,
        List<Action<SalesforceReadResult>> answers,
        List<Action<Exception>> failures,
        LookupKey key,
        Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>> waiting)
    {
        var soql = key.Query(waiting.Keys);
        reads.Add(SalesforceRead.Query(soql));
        failures.Add(ex => FailAll(waiting, ex));
        answers.Add(result =>
        {
            if (result.Error is { } error)
            {
                if (waiting.Count > 1 && !ConfigurationErrors.Contains(error.ErrorCode))
                {
                    // One of the values may be what Salesforce rejected: send the halves again, apart.
                    var values = waiting.Keys.ToList();
                    var half = values.Count / 2;
                    Requeue(key, values.Take(half).ToDictionary(v => v, v => waiting[v], StringComparer.OrdinalIgnoreCase));
                    Requeue(key, values.Skip(half).ToDictionary(v => v, v => waiting[v], StringComparer.OrdinalIgnoreCase));
                    return;
                }

                FailAll(waiting, error);
                return;
            }

            if (result.HasMorePages)
            {
                _pagings.Add(PageAsync(soql, key, waiting));
                return;
            }

            Answer(key, waiting, result.Query!.Records);
        });
    }

    private async Task PageAsync(string soql, LookupKey key, Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>> waiting)
    {
        try
        {
            var full = await _client.QueryAsync(soql, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _apiCalls, full.Requests);
            Answer(key, waiting, full.Records);
        }
        catch (Exception ex)
        {
            FailAll(waiting, ex);
        }
    }

    private void Requeue(LookupKey key, Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>> waiting)
    {
        lock (_gate)
        {
            _splits.Add((key, waiting));
        }
    }

    private static void Answer(LookupKey key, Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>> waiting, IReadOnlyList<SalesforceFieldValues> records)
    {
        var matches = waiting.Keys.ToDictionary(v => v, _ => new List<SalesforceFieldValues>(), StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
        {
            var value = record[key.Field] as string;
            if (value is null)
            {
                continue;
            }

            if (key.Match == SalesforceLookupMatch.Equals)
            {
                if (matches.TryGetValue(value.Trim(), out var list) || matches.TryGetValue(value, out list))
                {
                    list.Add(record);
                }
            }
            else
            {
                foreach (var (suffix, list) in matches)
                {
                    if (value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                    {
                        list.Add(record);
                    }
                }
            }
        }

        foreach (var (value, sources) in waiting)
        {
            var found = matches[value];
            foreach (var source in sources)
            {
                // Each conversation gets its own copies: stages may keep (and the planner may edit) what they read.
                var copies = new SalesforceFieldValues[found.Count];
                for (var i = 0; i < found.Count; i++)
                {
                    copies[i] = found[i].Clone();
                }

                source.TrySetResult(copies);
            }
        }
    }

    private void CompleteQuery(string soql, TaskCompletionSource<SalesforceQueryResult> source, SalesforceReadResult result)
    {
        if (result.Error is { } error)
        {
            source.TrySetException(error);
        }
        else if (result.HasMorePages)
        {
            // A composite query subrequest returns the first page only: read the rest through the client's paging.
            _pagings.Add(Task.Run(async () =>
            {
                try
                {
                    var full = await _client.QueryAsync(soql, CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Add(ref _apiCalls, full.Requests);
                    source.TrySetResult(full with { Requests = 0 });
                }
                catch (Exception ex)
                {
                    source.TrySetException(ex);
                }
            }));
        }
        else
        {
            source.TrySetResult(result.Query ?? new SalesforceQueryResult(0, []) { Requests = 0 });
        }
    }

    private static async Task<SalesforceQueryResult> CopyAsync(Task<SalesforceQueryResult> shared)
    {
        var result = await shared.ConfigureAwait(false);
        var copies = new List<SalesforceFieldValues>(result.Records.Count);
        foreach (var record in result.Records)
        {
            copies.Add(record.Clone());
        }

        return new SalesforceQueryResult(result.TotalSize, copies) { Requests = 0 };
    }

    private static void FailAll(Dictionary<string, List<TaskCompletionSource<IReadOnlyList<SalesforceFieldValues>>>> waiting, Exception ex)
    {
        foreach (var sources in waiting.Values)
        {
            foreach (var source in sources)
            {
                source.TrySetException(ex);
            }
        }
    }

    private static SalesforceApiException Missing(string what) =>
        new(HttpStatusCode.InternalServerError, null, $"Salesforce returned no result for the {what}.");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
