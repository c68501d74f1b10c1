using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Journal.Internal;

/// <summary>Reads the journal and replays kept failures through the (journaling) exporter.</summary>
internal sealed partial class ExportJournal(JournalRecorder recorder, IConversationExporter? exporter, ILogger<ExportJournal> logger) : IExportJournal
{
    /// <summary>How many kept conversations one replay step claims and sends as one batch.</summary>
    internal const int ReplayBatchSize = 100;

    /// <summary>How long a replay holds its claim: another replay skips the conversation meanwhile.</summary>
    internal static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(15);

    private IJournalStore Store => recorder.Store;

    private DateTimeOffset Now => recorder.Time.GetUtcNow();

    public Task<IReadOnlyList<JournalFailureCount>> CountFailuresAsync(CancellationToken cancellationToken = default) =>
        Store.CountFailuresAsync(Now, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> GetFailuresAsync(JournalQuery? query = null, CancellationToken cancellationToken = default) =>
        Store.GetFailuresAsync(Normalize(query), Now, cancellationToken);

    public Task<JournalEntry?> FindAsync(string? tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        return Store.FindAsync(JournalRecord.KeyOf(tenantId), conversationId, Now, cancellationToken);
    }

    public async Task<JournalReplayResult> ReplayAsync(JournalQuery? query = null, CancellationToken cancellationToken = default)
    {
        if (exporter is null)
        {
            throw new InvalidOperationException("This journal was opened for reading only; replay through the journal registered with AddExportJournal.");
        }

        query = Normalize(query);
        var run = Guid.NewGuid().ToString("N");
        int replayed = 0, exported = 0, skipped = 0, failed = 0, unreadable = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Now;
            var claimed = await Store.ClaimForReplayAsync(query, run, now, now + ClaimLease, ReplayBatchSize, cancellationToken).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                break;
            }

            var conversations = new List<Conversation>(claimed.Count);
            foreach (var item in claimed)
            {
                if (ConversationPayload.TryDecode(item.Payload) is { } conversation && conversation.Id == item.ConversationId)
                {
                    conversations.Add(conversation);
                }
                else
                {
                    unreadable++;
                    LogUnreadable(logger, Store.Description, item.ConversationId);
                }
            }

            // Through the journaling exporter: every new outcome is recorded (and ends the claim).
            await foreach (var result in exporter.ExportManyAsync(conversations, cancellationToken).ConfigureAwait(false))
            {
                replayed++;
                switch (result.Status)
                {
                    case ExportStatus.Exported: exported++; break;
                    case ExportStatus.Skipped: skipped++; break;
                    default: failed++; break;
                }
            }
        }

        // What matched but could not be sent: failures whose conversation was not kept or has expired.
        var counts = await Store.CountFailuresAsync(Now, cancellationToken).ConfigureAwait(false);
        var notKept = counts
            .Where(c => query.FailureKind is null || c.FailureKind == query.FailureKind)
            .Where(c => query.TenantId is null || JournalRecord.KeyOf(c.TenantId) == query.TenantId)
            .Sum(c => c.Count - c.Replayable);
        var summary = new JournalReplayResult { Replayed = replayed, Exported = exported, Skipped = skipped, Failed = failed, NotReplayable = notKept + unreadable };
        LogReplayed(logger, Store.Description, query.FailureKind ?? "any", query.TenantId is null ? "any" : JournalRecord.TenantOf(query.TenantId) ?? "(default)", replayed, exported, skipped, failed, summary.NotReplayable);
        return summary;
    }

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => recorder.PurgeAsync(cancellationToken);

    public Task<int> ForgetAsync(string? tenantId, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        return recorder.ForgetAsync(JournalRecord.KeyOf(tenantId), conversationIds, cancellationToken);
    }

    public Task<bool> FlushAsync(CancellationToken cancellationToken = default) => recorder.FlushAsync();

    /// <summary>Checks the query: a failure kind the journal does not know is an error in the user's terms, not an empty answer.</summary>
    private static JournalQuery Normalize(JournalQuery? query)
    {
        query ??= new JournalQuery();
        if (query.FailureKind is { } kind)
        {
            var known = FailureKinds.Parse(kind)
                ?? throw new ArgumentException($"Unknown failure kind '{kind}'; use one of {string.Join(", ", FailureKinds.All)}.", nameof(query));
            if (!string.Equals(known, kind, StringComparison.Ordinal))
            {
                query = new JournalQuery { FailureKind = known, TenantId = query.TenantId, Limit = query.Limit };
            }
        }

        return query.Limit < 0
            ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Limit must not be negative (it is {query.Limit})."), nameof(query))
            : query;
    }

    [LoggerMessage(EventId = 4010, EventName = "JournalReplayed", Level = LogLevel.Information, Message = "Replay from the {Journal} (kind {Kind}, tenant {Tenant}): {Replayed} sent, {Exported} exported, {Skipped} skipped, {Failed} failed again, {NotReplayable} not replayable (not kept).")]
    private static partial void LogReplayed(ILogger logger, string journal, string kind, string tenant, int replayed, int exported, int skipped, int failed, int notReplayable);

    [LoggerMessage(EventId = 4011, EventName = "JournalKeptConversationUnreadable", Level = LogLevel.Warning, Message = "The {Journal} keeps conversation {ConversationId} in a form this version cannot read; it was not replayed.")]
    private static partial void LogUnreadable(ILogger logger, string journal, string conversationId);
}
