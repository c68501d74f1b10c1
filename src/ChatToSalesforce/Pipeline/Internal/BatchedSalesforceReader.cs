using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// The read side of the unit of work: stages queue queries and describes, and the exporter sends everything queued
/// together, as subrequests of one <c>/composite</c> request per round.
/// </summary>
/// <remarks>
/// Stages start their reads and then await them. Completions run their continuations inline, so reads a stage starts
/// in response to a result are queued before the exporter looks again; <see cref="RunAsync"/> keeps flushing rounds
/// until every participant has finished. Composite allows at most 25 subrequests, 5 of them queries, per call.
/// </remarks>
internal sealed class BatchedSalesforceReader : ISalesforceReader
{
    internal const int MaxSubrequests = 25;
    internal const int MaxQueriesPerComposite = 5;

    private readonly ISalesforceClient _client;
    private readonly OrgMetadataCache _cache;
    private readonly string _org;
    private readonly TimeSpan _cacheDuration;
    private readonly object _gate = new();
    private readonly List<PendingRead> _pending = [];
    private TaskCompletionSource _queued = NewSignal();
    private SalesforceConnection? _connection;

    public BatchedSalesforceReader(ISalesforceClient client, OrgMetadataCache cache, SalesforceChatExportOptions options)
    {
        _client = client;
        _cache = cache;
        _org = options.InstanceUrl?.ToString() ?? string.Empty;
        _cacheDuration = options.MetadataCacheDuration;
    }

    /// <summary>Gets the API calls this reader spent.</summary>
    public int ApiCalls { get; private set; }

    public OrgMetadataCache Cache => _cache;

    public string Org => _org;

    public TimeSpan CacheDuration => _cacheDuration;

    public ValueTask<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(soql);
        var pending = new PendingRead(PendingKind.Query, soql);
        Enqueue(pending);
        return new ValueTask<SalesforceQueryResult>(pending.Query.Task.WaitAsync(cancellationToken));
    }

    public ValueTask<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        if (_cache.TryGetDescribe(_org, objectType, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        PendingRead pending;
        lock (_gate)
        {
            pending = _pending.FirstOrDefault(p => p.Kind == PendingKind.Describe && string.Equals(p.Text, objectType, StringComparison.OrdinalIgnoreCase))
                ?? new PendingRead(PendingKind.Describe, objectType);
        }

        Enqueue(pending);
        return new ValueTask<SalesforceObjectDescription>(pending.Describe.Task.WaitAsync(cancellationToken));
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
                if (_pending.Count == 0)
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

    /// <summary>Sends everything queued (one composite per 25 subrequests / 5 queries).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        List<PendingRead> batch;
        lock (_gate)
        {
            batch = [.. _pending];
            _pending.Clear();
        }

        while (batch.Count > 0)
        {
            var chunk = TakeChunk(batch);
            try
            {
                if (chunk.Count == 1 && chunk[0].Kind == PendingKind.Query)
                {
                    var result = await _client.QueryAsync(chunk[0].Text, cancellationToken).ConfigureAwait(false);
                    ApiCalls += result.Requests;
                    chunk[0].Query.TrySetResult(result);
                    continue;
                }

                await SendCompositeAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var read in chunk)
                {
                    read.Fail(ex);
                }

                foreach (var read in batch)
                {
                    read.Fail(ex);
                }

                throw;
            }
        }
    }

    private async Task SendCompositeAsync(List<PendingRead> chunk, CancellationToken cancellationToken)
    {
        var request = new SalesforceCompositeRequest { AllOrNone = false };
        for (var i = 0; i < chunk.Count; i++)
        {
            var read = chunk[i];
            var url = read.Kind == PendingKind.Query
                ? QueryUrl(read.Text)
                : "sobjects/" + Uri.EscapeDataString(read.Text) + "/describe";
            request.Subrequests.Add(new SalesforceSubrequest("GET", url, "read" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var response = await _client.SendCompositeAsync(request, cancellationToken).ConfigureAwait(false);
        ApiCalls++;
        for (var i = 0; i < chunk.Count; i++)
        {
            var read = chunk[i];
            var sub = response.Find("read" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (sub is null || !sub.IsSuccess)
            {
                var what = read.Kind == PendingKind.Query ? "query" : $"describe of {read.Text}";
                read.Fail(sub is null
                    ? new SalesforceApiException(HttpStatusCode.InternalServerError, null, $"Salesforce returned no result for the {what}.")
                    : SalesforceErrorParser.ToException(sub.HttpStatusCode, sub.Body, $"The {what} failed", sub.ReferenceId));
                continue;
            }

            if (read.Kind == PendingKind.Query)
            {
                read.Query.TrySetResult(await ReadQueryAsync(sub.Body, read.Text, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                var description = SalesforceObjectDescription.FromJson(sub.Body!);
                _cache.SetDescribe(_org, description, _cacheDuration, sub.Body);
                read.Describe.TrySetResult(description);
            }
        }
    }

    /// <summary><c>query?q=</c> and the URL-encoded SOQL, built as one string where the runtime allows it.</summary>
    internal static string QueryUrl(string soql)
    {
#if NET9_0_OR_GREATER
        const string Prefix = "query?q=";
        var rented = System.Buffers.ArrayPool<char>.Shared.Rent(Prefix.Length + (soql.Length * 3));
        try
        {
            Prefix.CopyTo(rented);
            if (Uri.TryEscapeDataString(soql, rented.AsSpan(Prefix.Length), out var written))
            {
                return new string(rented, 0, Prefix.Length + written);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
#endif
        return "query?q=" + Uri.EscapeDataString(soql);
    }

    private async Task<SalesforceQueryResult> ReadQueryAsync(JsonNode? body, string soql, CancellationToken cancellationToken)
    {
        var records = new List<JsonObject>();
        var total = body?["totalSize"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 0;
        if (body?["records"] is JsonArray array)
        {
            records.AddRange(array.OfType<JsonObject>().Select(r => (JsonObject)r.DeepClone()));
        }

        // A composite query subrequest returns the first page only. The SDK's own queries are LIMITed well below a page,
        // but a custom stage's query may not be: then run it on its own, through the client's paging.
        if (body?["done"] is JsonValue done && done.TryGetValue<bool>(out var isDone) && !isDone)
        {
            var full = await _client.QueryAsync(soql, cancellationToken).ConfigureAwait(false);
            ApiCalls += full.Requests;
            return full with { Requests = 0 };
        }

        return new SalesforceQueryResult(total, records, 0);
    }

    private static List<PendingRead> TakeChunk(List<PendingRead> batch)
    {
        var chunk = new List<PendingRead>();
        var queries = 0;
        for (var i = 0; i < batch.Count && chunk.Count < MaxSubrequests;)
        {
            var read = batch[i];
            if (read.Kind == PendingKind.Query)
            {
                if (queries == MaxQueriesPerComposite)
                {
                    i++;
                    continue;
                }

                queries++;
            }

            chunk.Add(read);
            batch.RemoveAt(i);
        }

        return chunk;
    }

    private void Enqueue(PendingRead read)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (!_pending.Contains(read))
            {
                _pending.Add(read);
            }

            signal = _queued;
        }

        signal.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private enum PendingKind
    {
        Query,
        Describe,
    }

    private sealed class PendingRead(PendingKind kind, string text)
    {
        // Continuations run inline on completion (no RunContinuationsAsynchronously), so follow-up reads that a stage
        // starts in response to a result are queued before the exporter decides whether another round is needed.
        public TaskCompletionSource<SalesforceQueryResult> Query { get; } = new();

        public TaskCompletionSource<SalesforceObjectDescription> Describe { get; } = new();

        public PendingKind Kind { get; } = kind;

        public string Text { get; } = text;

        public void Fail(Exception ex)
        {
            if (Kind == PendingKind.Query)
            {
                Query.TrySetException(ex);
            }
            else
            {
                Describe.TrySetException(ex);
            }
        }
    }
}
