using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Journal.Internal;

/// <summary>
/// Writes outcomes to the store without ever failing or losing an export: a failed write keeps the outcomes in a bounded
/// in-memory buffer, reports the failure (log event 4000, metric) and waits <see cref="ExportJournalOptions.RetryDelay"/> before it
/// tries the store again; meanwhile outcomes go straight to the buffer. The next successful write empties it.
/// </summary>
internal sealed partial class JournalRecorder : IAsyncDisposable
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly IJournalStore _store;
    private readonly ExportJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _written;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _dropped;
    private readonly Lock _gate = new();
    private readonly LinkedList<JournalRecord> _buffer = new();
    private readonly HashSet<Task> _writes = [];
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private DateTimeOffset _nextPurgeAt = DateTimeOffset.MinValue;
    private int _purging;

    public JournalRecorder(IJournalStore store, ExportJournalOptions options, TimeProvider time, ILogger<JournalRecorder> logger, IMeterFactory? meterFactory = null)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        // One Meter per recorder (through the host's IMeterFactory when it has one), so two hosts in one process never mix counts.
        _meter = meterFactory?.Create(ExportJournalTelemetry.MeterName) ?? new Meter(ExportJournalTelemetry.MeterName);
        _written = _meter.CreateCounter<long>(ExportJournalTelemetry.RecordsWrittenMetric, "{outcome}", "Export outcomes written to the journal.");
        _failures = _meter.CreateCounter<long>(ExportJournalTelemetry.WriteFailuresMetric, "{write}", "Journal writes that failed; the outcomes were kept in memory.");
        _dropped = _meter.CreateCounter<long>(ExportJournalTelemetry.RecordsDroppedMetric, "{outcome}", "Outcomes dropped because the journal stayed unwritable longer than its buffer could hold.");
        _meter.CreateObservableGauge(ExportJournalTelemetry.RecordsBufferedMetric, () => (long)Buffered, "{outcome}", "Outcomes kept in memory, waiting for the journal.");
    }

    public IJournalStore Store => _store;

    public ExportJournalOptions Options => _options;

    public TimeProvider Time => _time;

    /// <summary>Gets the meter (tests listen to this instance only).</summary>
    public Meter Meter => _meter;

    public int Buffered
    {
        get
        {
            lock (_gate)
            {
                return _buffer.Count;
            }
        }
    }

    /// <summary>Records outcomes; never throws (the export's result stands whatever happens here).</summary>
    public Task RecordAsync(JournalRecord record) => RecordAsync([record], force: false);

    /// <summary>Writes what is buffered now, whatever the retry delay says.</summary>
    public async Task<bool> FlushAsync()
    {
        await RecordAsync([], force: true).ConfigureAwait(false);
        return Buffered == 0;
    }

    public async Task RecordAsync(IReadOnlyList<JournalRecord> records, bool force)
    {
        List<JournalRecord> batch;
        var now = _time.GetUtcNow();
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!force && now < _retryAt)
            {
                foreach (var record in records)
                {
                    BufferLocked(record);
                }

                return;
            }

            batch = new List<JournalRecord>(_buffer.Count + records.Count);
            batch.AddRange(_buffer);
            batch.AddRange(records);
            _buffer.Clear();
            if (batch.Count == 0)
            {
                return;
            }

            _writes.Add(written.Task); // an erasure waits for the writes that took outcomes out of the buffer
        }

        try
        {
            await WriteBatchAsync(batch, records.Count, now).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _writes.Remove(written.Task);
            }

            written.SetResult();
        }
    }

    private async Task WriteBatchAsync(List<JournalRecord> batch, int newRecords, DateTimeOffset now)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.WriteTimeout, _time);
            await _store.WriteAsync(batch, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a journal failure must never reach the exporter's caller
        catch (Exception e)
#pragma warning restore CA1031
        {
            var code = _store.Classify(e);
            _failures.Add(1, new KeyValuePair<string, object?>("error.type", code));
            int buffered;
            lock (_gate)
            {
                // Back in front of anything buffered meanwhile, oldest first.
                for (var i = batch.Count - 1; i >= 0; i--)
                {
                    _buffer.AddFirst(batch[i]);
                }

                TrimLocked();
                buffered = _buffer.Count;
                _retryAt = _time.GetUtcNow() + _options.RetryDelay;
            }

            LogWriteFailed(_logger, _store.Description, code, batch.Count, buffered, _options.RetryDelay);
            return;
        }

        foreach (var group in batch.GroupBy(r => r.Status))
        {
            _written.Add(group.Count(), new KeyValuePair<string, object?>("chat_to_salesforce.export.status", group.Key.ToString()));
        }

        if (batch.Count > newRecords)
        {
            LogRecovered(_logger, _store.Description, batch.Count - newRecords);
        }

        await PurgeIfDueAsync(now).ConfigureAwait(false);
    }

    /// <summary>Deletes conversations from the store and from the buffer (an erasure: nothing may come back later).</summary>
    public async Task<int> ForgetAsync(string tenantKey, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        var ids = conversationIds.ToHashSet(StringComparer.Ordinal);
        Task[] inFlight;
        lock (_gate)
        {
            RemoveLocked(tenantKey, ids);
            inFlight = [.. _writes];
        }

        // A write in flight either lands before the delete below or fails and puts its outcomes back in the buffer: wait
        // for it, then clear the buffer again, so no outcome taken before the erasure can bring the conversation back.
        await Task.WhenAll(inFlight).WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            RemoveLocked(tenantKey, ids);
        }

        var deleted = await _store.DeleteAsync(tenantKey, ids, cancellationToken).ConfigureAwait(false);
        LogForgotten(_logger, _store.Description, deleted);
        return deleted;
    }

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var purged = await _store.PurgeExpiredAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (purged > 0)
        {
            LogPurged(_logger, _store.Description, purged);
        }

        return purged;
    }

    public async ValueTask DisposeAsync()
    {
        // Last chance for buffered outcomes (a host shutting down after the store came back).
        if (Buffered > 0)
        {
            await FlushAsync().ConfigureAwait(false);
        }

        if (Buffered > 0)
        {
            LogLostAtShutdown(_logger, _store.Description, Buffered);
        }

        _meter.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private async Task PurgeIfDueAsync(DateTimeOffset now)
    {
        if (now < _nextPurgeAt || Interlocked.Exchange(ref _purging, 1) == 1)
        {
            return;
        }

        try
        {
            _nextPurgeAt = now + PurgeInterval;
            using var timeout = new CancellationTokenSource(_options.WriteTimeout, _time);
            await PurgeAsync(timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // purging is housekeeping; the next write tries again in an hour
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogPurgeFailed(_logger, _store.Description, _store.Classify(e));
        }
        finally
        {
            Volatile.Write(ref _purging, 0);
        }
    }

    private void RemoveLocked(string tenantKey, HashSet<string> ids)
    {
        for (var node = _buffer.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.TenantKey == tenantKey && ids.Contains(node.Value.ConversationId))
            {
                _buffer.Remove(node);
            }

            node = next;
        }
    }

    private void BufferLocked(JournalRecord record)
    {
        _buffer.AddLast(record);
        TrimLocked();
    }

    private void TrimLocked()
    {
        var dropped = 0;
        while (_buffer.Count > _options.BufferCapacity)
        {
            _buffer.RemoveFirst();
            dropped++;
        }

        if (dropped > 0)
        {
            _dropped.Add(dropped);
            LogDropped(_logger, _store.Description, dropped, _options.BufferCapacity);
        }
    }

    [LoggerMessage(EventId = 4000, EventName = "JournalWriteFailed", Level = LogLevel.Warning, Message = "The {Journal} could not record {Count} export outcome(s) ({ErrorType}); the exports themselves are unaffected. {Buffered} outcome(s) are kept in memory and written when the journal answers again (next try in {RetryDelay}).")]
    private static partial void LogWriteFailed(ILogger logger, string journal, string errorType, int count, int buffered, TimeSpan retryDelay);

    [LoggerMessage(EventId = 4001, EventName = "JournalRecovered", Level = LogLevel.Information, Message = "The {Journal} answers again: {Count} export outcome(s) kept in memory were written.")]
    private static partial void LogRecovered(ILogger logger, string journal, int count);

    [LoggerMessage(EventId = 4002, EventName = "JournalRecordsDropped", Level = LogLevel.Error, Message = "The {Journal} stayed unwritable: {Count} export outcome(s) were dropped from memory (BufferCapacity {Capacity}). The exports themselves are unaffected; their records in Salesforce stand.")]
    private static partial void LogDropped(ILogger logger, string journal, int count, int capacity);

    [LoggerMessage(EventId = 4003, EventName = "JournalPurged", Level = LogLevel.Information, Message = "The {Journal} removed {Count} kept conversation(s) whose retention period passed.")]
    private static partial void LogPurged(ILogger logger, string journal, int count);

    [LoggerMessage(EventId = 4004, EventName = "JournalPurgeFailed", Level = LogLevel.Warning, Message = "The {Journal} could not remove expired kept conversations ({ErrorType}); it tries again within the hour.")]
    private static partial void LogPurgeFailed(ILogger logger, string journal, string errorType);

    [LoggerMessage(EventId = 4006, EventName = "JournalConversationsForgotten", Level = LogLevel.Information, Message = "The {Journal} removed {Count} conversation(s) on request (erasure).")]
    private static partial void LogForgotten(ILogger logger, string journal, int count);

    [LoggerMessage(EventId = 4005, EventName = "JournalOutcomesLostAtShutdown", Level = LogLevel.Error, Message = "The {Journal} could not be written before shutdown: {Count} export outcome(s) kept in memory are lost (the exports themselves stand in Salesforce).")]
    private static partial void LogLostAtShutdown(ILogger logger, string journal, int count);
}
