using ChatToSalesforce.Journal.Internal;

namespace ChatToSalesforce.Journal.Tests;

/// <summary>Regression tests: an erasure while journal writes are in flight.</summary>
public sealed class ErasureRegressionTests
{
    // Regression: ForgetAsync is an erasure ("nothing may come back later"), but an outcome whose write is in flight when it runs is
    // put back in the buffer when that write fails, and written again (with the kept conversation) after the erasure.
    [Fact]
    public async Task An_outcome_in_flight_during_forget_does_not_bring_the_erased_conversation_back()
    {
        BreakableStore? store = null;
        await using var host = JournalHost.Create((o, folder) =>
        {
            o.UseStore(() => store = new BreakableStore(new SqliteJournalStore($"Data Source={Path.Combine(folder, "j.db")}")));
            o.KeepFailedConversations = true;
        });
        host.Stub.Outcome = StubExporter.Throwing(Errors.Validation());
        _ = host.Recorder; // build the store
        store!.GateNextWrite = true;

        var export = host.Exporter.ExportManyAsync([Chats.New("c1", "acme")]).ToListAsync().AsTask();
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the outcome's write is in flight
        var forget = host.Journal.ForgetAsync("acme", ["c1"]);
        forget.IsCompleted.Should().BeFalse("the erasure waits for the write in flight");
        store.Release.SetResult();                                     // ... and then fails (database busy)
        await export;
        await forget;
        await host.Journal.FlushAsync();

        (await host.Journal.FindAsync("acme", "c1")).Should().BeNull("the conversation was erased; a retried write must not bring it back");
    }
}
