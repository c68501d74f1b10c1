using System.Net;
using System.Net.Sockets;
using ChatToSalesforce.Journal.Internal;
using ChatToSalesforce.Journal.PostgreSql.Internal;

namespace ChatToSalesforce.Journal.Tests;

/// <summary>The journal on a real PostgreSQL server, as many worker processes share it.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlJournalTests(PostgreSqlServer server)
{
    [SkippableFact]
    public async Task Outcomes_are_recorded_per_tenant_and_counted_by_kind()
    {
        var connectionString = await server.NewSchemaAsync();
        await using var host = JournalHost.Create((o, _) =>
        {
            o.UsePostgreSql(connectionString);
            o.KeepFailedConversations = true;
        });
        host.Stub.Outcome = c => c.Id == "ok" ? StubExporter.Exported(c) : throw Errors.InvalidField();

        await host.Exporter.ExportManyAsync([Chats.New("ok", "acme"), Chats.New("bad", "acme"), Chats.New("bad")]).ToListAsync();

        (await host.Journal.FindAsync("acme", "ok"))!.Activity!.Id.Should().Be("00T000000000001AAA");
        (await host.Journal.CountFailuresAsync()).Should().Equal(
            new JournalFailureCount(null, "fix-configuration", 1, 1),
            new JournalFailureCount("acme", "fix-configuration", 1, 1));
        host.Logs.Entries.Should().NotContain(e => e.EventId.Id == 4000);
    }

    [SkippableFact]
    public async Task Concurrent_workers_converge_on_one_row_per_conversation_with_every_attempt_counted()
    {
        var connectionString = await server.NewSchemaAsync();
        const int Workers = 4;
        const int Conversations = 60;
        // Each worker is a host of its own (its own connection pool), as separate processes would be; all start on an empty schema.
        var hosts = Enumerable.Range(0, Workers).Select(_ => JournalHost.Create((o, _) => o.UsePostgreSql(connectionString))).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => Task.Run(async () =>
            {
                await h.Exporter.ExportManyAsync(Enumerable.Range(0, Conversations).Select(i => Chats.New("c" + i, "acme"))).ToListAsync();
            })));

            foreach (var h in hosts)
            {
                h.Logs.Entries.Should().NotContain(e => e.EventId.Id == 4000, "concurrent upserts and the schema creation must not conflict");
            }

            var journal = hosts[0].Journal;
            for (var i = 0; i < Conversations; i++)
            {
                var entry = await journal.FindAsync("acme", "c" + i);
                entry!.Attempts.Should().Be(Workers);
                entry.Status.Should().Be(ExportStatus.Exported);
            }
        }
        finally
        {
            foreach (var h in hosts)
            {
                await h.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task Two_replays_at_once_send_each_kept_failure_exactly_once()
    {
        var connectionString = await server.NewSchemaAsync();
        await using var a = JournalHost.Create((o, _) =>
        {
            o.UsePostgreSql(connectionString);
            o.KeepFailedConversations = true;
        });
        await using var b = JournalHost.Create((o, _) => o.UsePostgreSql(connectionString));
        a.Stub.Outcome = StubExporter.Throwing(Errors.InvalidField());
        const int Count = (ExportJournal.ReplayBatchSize * 2) + 10;
        await a.Exporter.ExportManyAsync(Enumerable.Range(0, Count).Select(i => Chats.New("c" + i, "acme"))).ToListAsync();
        a.Stub.Outcome = StubExporter.Exported;
        a.Stub.Calls.Clear();

        var replays = await Task.WhenAll(
            Task.Run(() => a.Journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration", TenantId = "acme" })),
            Task.Run(() => b.Journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration", TenantId = "acme" })));

        replays.Sum(r => r.Replayed).Should().Be(Count);
        a.Stub.Calls.Concat(b.Stub.Calls).Should().OnlyHaveUniqueItems().And.HaveCount(Count);
        (await a.Journal.CountFailuresAsync()).Should().BeEmpty();
        (await a.Journal.ReplayAsync()).Replayed.Should().Be(0, "a replay of conversations exported since does nothing");
    }

    [SkippableFact]
    public async Task The_newest_outcome_wins_whatever_order_the_writes_arrive_in()
    {
        var connectionString = await server.NewSchemaAsync();
        await using var store = new PostgreSqlJournalStore(connectionString);
        await NewestWins(store);
    }

    [Fact]
    public async Task The_newest_outcome_wins_on_SQLite_too()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db");
        await using var store = new SqliteJournalStore($"Data Source={path}");
        await NewestWins(store);
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_server_does_not_fail_the_export_and_is_reported()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var host = JournalHost.Create((o, _) => o.UsePostgreSql($"Host=127.0.0.1;Port={closedPort};Username=u;Password=secret-pw;Timeout=5"));
        using var metrics = new MeterRecorder(host.Recorder.Meter);

        var result = await host.Exporter.ExportAsync(Chats.New("c1"));

        result.Status.Should().Be(ExportStatus.Exported);
        metrics.Measurements.Single(m => m.Name == ExportJournalTelemetry.WriteFailuresMetric).Tags["error.type"].Should().Be("unreachable");
        var warning = host.Logs.Entries.Single(e => e.EventId.Id == 4000);
        warning.Message.Should().Contain($"PostgreSQL journal '127.0.0.1:{closedPort}/u'").And.NotContain("secret-pw");
        host.Recorder.Buffered.Should().Be(1);
    }

    private static async Task NewestWins(IJournalStore store)
    {
        var t0 = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var exported = new JournalRecord(string.Empty, "c1", ExportStatus.Exported, null, null, new SalesforceRecordRef("Contact", "003A", RecordChange.Created), new SalesforceRecordRef("Task", "00TA", RecordChange.Created), [], t0, null, null);
        var failed = new JournalRecord(string.Empty, "c1", ExportStatus.Failed, "retry-later", "SERVER_UNAVAILABLE", null, null, [], t0.AddSeconds(1), [1, 2], t0.AddDays(1));

        await store.WriteAsync([failed], default);
        await store.WriteAsync([exported], default); // older, arriving late

        var entry = await store.FindAsync(string.Empty, "c1", t0, default);
        entry!.Status.Should().Be(ExportStatus.Failed);
        entry.FailureKind.Should().Be("retry-later");
        entry.Attempts.Should().Be(2);
        entry.ExportedAt.Should().Be(t0, "the late success is still remembered");
        entry.LastAttemptAt.Should().Be(t0.AddSeconds(1));
        entry.CanReplay.Should().BeTrue();
    }
}
