using ChatToSalesforce.Journal.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Journal.Tests;

/// <summary>Issue 16, bad input: a journal database that is unreachable or full never loses or fails an export.</summary>
public sealed class AvailabilityTests
{
    [Fact]
    public async Task A_full_journal_does_not_fail_the_export_reports_it_and_writes_the_outcomes_when_it_answers_again()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        BreakableStore? store = null;
        await using var host = JournalHost.Create(
            (o, folder) =>
            {
                o.UseStore(() => store = new BreakableStore(new SqliteJournalStore($"Data Source={Path.Combine(folder, "j.db")}")) { Broken = true });
                o.RetryDelay = TimeSpan.FromSeconds(30);
            },
            time);
        using var metrics = new MeterRecorder(host.Recorder.Meter);

        var single = await host.Exporter.ExportAsync(Chats.New("c1"));
        var batch = await host.Exporter.ExportManyAsync([Chats.New("c2"), Chats.New("c3")]).ToListAsync();

        single.Status.Should().Be(ExportStatus.Exported);
        batch.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        host.Stub.Calls.Should().Equal("c1", "c2", "c3");
        store!.Writes.Should().Be(1, "after a failed write the journal waits RetryDelay before it tries the store again");
        metrics.Sum(ExportJournalTelemetry.WriteFailuresMetric).Should().Be(1);
        metrics.Measurements.Single(m => m.Name == ExportJournalTelemetry.WriteFailuresMetric).Tags["error.type"].Should().Be("sqlite_full");
        metrics.Observe(ExportJournalTelemetry.RecordsBufferedMetric).Should().Be(3);
        var warning = host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 4000).Which;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain("sqlite_full").And.Contain("1 export outcome(s)").And.Contain("unaffected").And.NotContain("Lovelace");

        store.Broken = false;
        time.Advance(TimeSpan.FromSeconds(31));
        await host.Exporter.ExportAsync(Chats.New("c4"));

        (await host.Journal.FindAsync(null, "c1"))!.Status.Should().Be(ExportStatus.Exported);
        (await host.Journal.FindAsync(null, "c3"))!.Status.Should().Be(ExportStatus.Exported);
        (await host.Journal.FindAsync(null, "c4"))!.Status.Should().Be(ExportStatus.Exported);
        host.Recorder.Buffered.Should().Be(0);
        metrics.Sum(ExportJournalTelemetry.RecordsWrittenMetric).Should().Be(4);
        host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 4001).Which.Message.Should().Contain("3 export outcome(s)");
    }

    [Fact]
    public async Task A_thrown_export_still_throws_its_own_exception_when_the_journal_is_full()
    {
        await using var host = JournalHost.Create((o, folder) => o.UseStore(() => new BreakableStore(new SqliteJournalStore($"Data Source={Path.Combine(folder, "j.db")}")) { Broken = true }));
        var error = Errors.Validation();
        host.Stub.Outcome = StubExporter.Throwing(error);

        var act = () => host.Exporter.ExportAsync(Chats.New("c1"));

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.Should().BeSameAs(error);
        host.Recorder.Buffered.Should().Be(1);
    }

    [Fact]
    public async Task An_unreachable_SQLite_file_is_reported_and_flushed_once_it_can_be_opened()
    {
        string? missingFolder = null;
        await using var host = JournalHost.Create((o, folder) =>
        {
            missingFolder = Path.Combine(folder, "not-yet");
            o.UseSqlite($"Data Source={Path.Combine(missingFolder, "journal.db")}");
        });
        using var metrics = new MeterRecorder(host.Recorder.Meter);

        var result = await host.Exporter.ExportAsync(Chats.New("c1"));

        result.Status.Should().Be(ExportStatus.Exported);
        metrics.Measurements.Single(m => m.Name == ExportJournalTelemetry.WriteFailuresMetric).Tags["error.type"].Should().Be("sqlite_cannot_open");
        host.Logs.Entries.Should().Contain(e => e.EventId.Id == 4000);

        Directory.CreateDirectory(missingFolder!);
        (await host.Journal.FlushAsync()).Should().BeTrue();
        (await host.Journal.FindAsync(null, "c1"))!.Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task Beyond_the_buffer_the_oldest_outcomes_are_dropped_and_counted_and_exports_still_succeed()
    {
        await using var host = JournalHost.Create((o, folder) =>
        {
            o.UseStore(() => new BreakableStore(new SqliteJournalStore($"Data Source={Path.Combine(folder, "j.db")}")) { Broken = true });
            o.BufferCapacity = 2;
        });
        using var metrics = new MeterRecorder(host.Recorder.Meter);

        var results = await host.Exporter.ExportManyAsync(Enumerable.Range(1, 5).Select(i => Chats.New("c" + i))).ToListAsync();

        results.Should().HaveCount(5).And.OnlyContain(r => r.Status == ExportStatus.Exported);
        host.Recorder.Buffered.Should().Be(2);
        metrics.Sum(ExportJournalTelemetry.RecordsDroppedMetric).Should().Be(3);
        host.Logs.Entries.Should().Contain(e => e.EventId.Id == 4002 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Disposing_the_host_writes_what_is_buffered()
    {
        string? path = null;
        BreakableStore? store = null;
        var host = JournalHost.Create((o, folder) =>
        {
            path = Path.Combine(folder, "j.db");
            o.UseStore(() => store = new BreakableStore(new SqliteJournalStore($"Data Source={path}")) { Broken = true });
        });
        await host.Exporter.ExportAsync(Chats.New("c1"));
        store!.Broken = false;
        var copy = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db");

        await host.Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Copy(path!, copy);
        await host.DisposeAsync();

        await using var reader = new SqliteJournalStore($"Data Source={copy}", mustExist: true);
        (await reader.FindAsync(string.Empty, "c1", DateTimeOffset.UtcNow, default))!.Status.Should().Be(ExportStatus.Exported);
    }
}
