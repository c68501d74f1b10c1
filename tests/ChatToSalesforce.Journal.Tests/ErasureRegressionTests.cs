using ChatToSalesforce.Journal.Internal;
using Microsoft.Data.Sqlite;

namespace ChatToSalesforce.Journal.Tests;

/// <summary>Regression tests for bugs found in a review.</summary>
public sealed class ErasureRegressionTests
{
    // ForgetAsync is an erasure ("nothing may come back later"), but an outcome whose write is in flight when it runs is
    // put back in the buffer when that write fails, and written again (with the kept conversation) after the erasure.
    [Fact]
    public async Task An_outcome_in_flight_during_forget_does_not_bring_the_erased_conversation_back()
    {
        GatedStore? store = null;
        await using var host = JournalHost.Create((o, folder) =>
        {
            o.UseStore(() => store = new GatedStore(new SqliteJournalStore($"Data Source={Path.Combine(folder, "j.db")}")));
            o.KeepFailedConversations = true;
        });
        host.Stub.Outcome = StubExporter.Throwing(Errors.Validation());
        _ = host.Recorder; // build the store
        store!.GateNextWrite = true;

        var export = host.Exporter.ExportManyAsync([Chats.New("c1", "acme")]).ToListAsync().AsTask();
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the outcome's write is in flight
        var forget = host.Journal.ForgetAsync("acme", ["c1"]);
        await Task.WhenAny(forget, Task.Delay(300));
        store.Release.SetResult();                                     // ... and then fails (database busy)
        await export;
        await forget;
        await host.Journal.FlushAsync();

        (await host.Journal.FindAsync("acme", "c1")).Should().BeNull("the conversation was erased; a retried write must not bring it back");
    }

    private sealed class GatedStore(IJournalStore inner) : IJournalStore
    {
        public bool GateNextWrite { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => inner.Description;

        public async Task WriteAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken)
        {
            if (GateNextWrite)
            {
                GateNextWrite = false;
                Entered.SetResult();
                await Release.Task;
                throw new SqliteException("database is locked", 5);
            }

            await inner.WriteAsync(records, cancellationToken);
        }

        public Task<IReadOnlyList<JournalFailureCount>> CountFailuresAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.CountFailuresAsync(now, cancellationToken);

        public Task<IReadOnlyList<JournalEntry>> GetFailuresAsync(JournalQuery query, DateTimeOffset now, CancellationToken cancellationToken) => inner.GetFailuresAsync(query, now, cancellationToken);

        public Task<JournalEntry?> FindAsync(string tenantKey, string conversationId, DateTimeOffset now, CancellationToken cancellationToken) => inner.FindAsync(tenantKey, conversationId, now, cancellationToken);

        public Task<IReadOnlyList<ClaimedConversation>> ClaimForReplayAsync(JournalQuery query, string run, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken) =>
            inner.ClaimForReplayAsync(query, run, now, claimUntil, limit, cancellationToken);

        public Task<int> DeleteAsync(string tenantKey, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken) => inner.DeleteAsync(tenantKey, conversationIds, cancellationToken);

        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.PurgeExpiredAsync(now, cancellationToken);

        public string Classify(Exception error) => inner.Classify(error);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
