using ChatToSalesforce.Journal.Internal;

namespace ChatToSalesforce.Journal.Tests;

public sealed class ReplayTests
{
    [Fact]
    public async Task Replay_sends_the_kept_failures_of_a_kind_and_tenant_and_records_their_new_outcome()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = JournalHost.Sqlite(o => o.KeepFailedConversations = true, time);
        host.Stub.Outcome = c => c.Id.StartsWith("cfg", StringComparison.Ordinal) ? throw Errors.InvalidField() : throw Errors.Validation();
        await host.Exporter.ExportManyAsync([Chats.New("cfg-1", "acme"), Chats.New("cfg-2", "acme"), Chats.New("cfg-3", "globex"), Chats.New("data-1", "acme")]).ToListAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        host.Stub.Outcome = StubExporter.Exported; // the configuration was fixed
        host.Stub.Calls.Clear();

        var replay = await host.Journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration", TenantId = "acme" });

        replay.Replayed.Should().Be(2);
        replay.Exported.Should().Be(2);
        replay.NotReplayable.Should().Be(0);
        host.Stub.Calls.Should().BeEquivalentTo("cfg-1", "cfg-2");
        var entry = await host.Journal.FindAsync("acme", "cfg-1");
        entry!.Status.Should().Be(ExportStatus.Exported);
        entry.Attempts.Should().Be(2);
        entry.CanReplay.Should().BeFalse("an exported conversation is no longer kept");
        (await host.Journal.CountFailuresAsync()).Select(c => (c.TenantId, c.FailureKind)).Should().BeEquivalentTo(new[] { ("acme", "rejected-data"), ("globex", "fix-configuration") });
    }

    [Fact]
    public async Task Replay_of_a_conversation_exported_since_its_failure_does_nothing()
    {
        await using var host = JournalHost.Sqlite(o => o.KeepFailedConversations = true);
        host.Stub.Outcome = StubExporter.Throwing(Errors.InvalidField());
        await host.Exporter.ExportManyAsync([Chats.New("c1")]).ToListAsync();
        host.Stub.Outcome = StubExporter.Exported;
        await host.Exporter.ExportAsync(Chats.New("c1")); // the host's own retry got it through
        host.Stub.Calls.Clear();

        var replay = await host.Journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration" });

        replay.Replayed.Should().Be(0);
        host.Stub.Calls.Should().BeEmpty();
        (await host.Journal.FindAsync(null, "c1"))!.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task Replaying_twice_sends_each_conversation_once_and_a_failure_again_is_kept_with_its_new_kind()
    {
        await using var host = JournalHost.Sqlite(o => o.KeepFailedConversations = true);
        host.Stub.Outcome = StubExporter.Throwing(Errors.InvalidField());
        await host.Exporter.ExportManyAsync(Enumerable.Range(1, ExportJournal.ReplayBatchSize + 5).Select(i => Chats.New("c" + i))).ToListAsync();
        host.Stub.Calls.Clear();
        host.Stub.Outcome = c => c.Id == "c7" ? throw Errors.Validation() : StubExporter.Exported(c);

        var first = await host.Journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration" });
        var second = await host.Journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration" });

        first.Replayed.Should().Be(ExportJournal.ReplayBatchSize + 5, "a replay goes through every batch once");
        first.Failed.Should().Be(1);
        host.Stub.Calls.Should().OnlyHaveUniqueItems();
        second.Replayed.Should().Be(0);
        var c7 = await host.Journal.FindAsync(null, "c7");
        c7!.FailureKind.Should().Be("rejected-data");
        c7.CanReplay.Should().BeTrue("a conversation that failed again is still kept");
    }

    [Fact]
    public async Task Kept_conversations_are_purged_after_the_retention_period_and_then_are_not_replayable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = JournalHost.Sqlite(
            o =>
            {
                o.KeepFailedConversations = true;
                o.RetentionPeriod = TimeSpan.FromDays(2);
            },
            time);
        host.Stub.Outcome = StubExporter.Throwing(Errors.InvalidField());
        await host.Exporter.ExportManyAsync([Chats.New("old"), Chats.New("young")]).ToListAsync();
        time.Advance(TimeSpan.FromDays(1));
        await host.Exporter.ExportManyAsync([Chats.New("young")]).ToListAsync(); // failed again: its retention starts over

        time.Advance(TimeSpan.FromDays(1.5));
        (await host.Journal.FindAsync(null, "old"))!.CanReplay.Should().BeFalse("an expired copy is never replayed, purged or not");
        var purged = await host.Journal.PurgeExpiredAsync();

        purged.Should().Be(1);
        (await host.Journal.FindAsync(null, "young"))!.CanReplay.Should().BeTrue();
        var entry = await host.Journal.FindAsync(null, "old");
        entry!.Status.Should().Be(ExportStatus.Failed, "the outcome stays; only the kept content goes");
        host.Stub.Outcome = StubExporter.Exported;
        var replay = await host.Journal.ReplayAsync();
        replay.Replayed.Should().Be(1);
        replay.NotReplayable.Should().Be(1);
        host.Logs.Entries.Should().Contain(e => e.EventId.Id == 4003);
    }

    [Fact]
    public async Task Writing_purges_expired_conversations_at_most_hourly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = JournalHost.Sqlite(
            o =>
            {
                o.KeepFailedConversations = true;
                o.RetentionPeriod = TimeSpan.FromMinutes(30);
            },
            time);
        host.Stub.Outcome = StubExporter.Throwing(Errors.InvalidField());
        await host.Exporter.ExportManyAsync([Chats.New("c1")]).ToListAsync();

        time.Advance(TimeSpan.FromMinutes(61));
        host.Stub.Outcome = StubExporter.Exported;
        await host.Exporter.ExportAsync(Chats.New("c2"));

        host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 4003).Which.Message.Should().Contain("removed 1 kept conversation(s)");
    }
}
