using ChatToSalesforce.Journal.Internal;
using Microsoft.Data.Sqlite;

namespace ChatToSalesforce.Cli.Tests;

/// <summary><c>chat2sf journal</c> and <c>chat2sf replay</c> against a SQLite journal the test writes as an exporter would.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"chat2sf-journal-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Fact]
    public async Task Journal_shows_failures_by_kind_and_tenant_with_what_to_do()
    {
        await SeedAsync(
            Failed("c1", null, "fix-configuration", "INVALID_FIELD", keep: true),
            Failed("c2", null, "fix-configuration", "INVALID_FIELD", keep: false),
            Failed("c3", "acme", "rejected-data", "FIELD_CUSTOM_VALIDATION_EXCEPTION", keep: true),
            Failed("c4", "acme", "wait-for-window", "REQUEST_LIMIT_EXCEEDED", keep: true),
            Exported("exported-five", "acme"));

        var run = await CliRunner.RunAsync(["journal", "--journal", _path]);

        run.ExitCode.Should().Be(0, run.Err);
        var lines = run.Out.Split('\n');
        lines.Should().Contain(l => l.Contains("(default)") && l.Contains("fix-configuration") && l.Contains(" 2 ") && l.Contains(" 1 ") && l.Contains("then replay"));
        lines.Should().Contain(l => l.Contains("acme") && l.Contains("rejected-data") && l.Contains("validation rule"));
        lines.Should().Contain(l => l.Contains("acme") && l.Contains("wait-for-window"));
        run.Out.Should().Contain("4 failed conversation(s), 3 replayable").And.NotContain("exported-five").And.NotContain("Lovelace");

        // (An id such as "c5" could appear in the random hex of the journal's temp path the output names: that was flaky.)
    }

    [Fact]
    public async Task Journal_with_a_kind_and_tenant_lists_the_conversations()
    {
        await SeedAsync(Failed("c3", "acme", "rejected-data", "FIELD_CUSTOM_VALIDATION_EXCEPTION", keep: true), Failed("c1", null, "rejected-data", null, keep: false));

        var run = await CliRunner.RunAsync(["journal", "--journal", $"Data Source={_path}", "--kind", "RejectedData", "--tenant", "acme"]);

        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().Contain("c3").And.Contain("FIELD_CUSTOM_VALIDATION_EXCEPTION").And.Contain("2026-11-02 09:00:00Z").And.NotContain(" c1 ");
    }

    [Fact]
    public async Task Replay_exports_the_kept_failures_of_the_kind_once_and_a_second_replay_does_nothing()
    {
        await SeedAsync(
            Failed("c1", null, "fix-configuration", "INVALID_FIELD", keep: true),
            Failed("c2", null, "fix-configuration", "INVALID_FIELD", keep: true),
            Failed("c3", null, "rejected-data", "REQUIRED_FIELD_MISSING", keep: true),
            Failed("c4", "acme", "fix-configuration", "INVALID_FIELD", keep: true),
            Failed("c5", null, "fix-configuration", "INVALID_FIELD", keep: false));

        var first = await CliRunner.RunAsync(["replay", "--journal", _path, "--kind", "fix-configuration", "--default-tenant"]);
        var second = await CliRunner.RunAsync(["replay", "--journal", _path, "--kind", "fix-configuration", "--default-tenant"]);

        first.ExitCode.Should().Be(0, first.Err);
        first.Out.Should().Contain("Replayed 2: 2 exported, 0 skipped, 0 failed again.").And.Contain("1 matching failure(s) are not kept");
        first.Emulator!.Records("Task").Should().HaveCount(2);
        second.ExitCode.Should().Be(0, second.Err);
        second.Out.Should().Contain("Nothing to replay");
        second.Emulator!.ApiCallsUsed.Should().Be(0);
        await using var store = new SqliteJournalStore($"Data Source={_path}");
        (await store.FindAsync(string.Empty, "c1", At, default))!.Status.Should().Be(ExportStatus.Exported);
        (await store.FindAsync(string.Empty, "c3", At, default))!.Status.Should().Be(ExportStatus.Failed);
        (await store.FindAsync("acme", "c4", At, default))!.Status.Should().Be(ExportStatus.Failed, "another tenant's failures are not replayed");
    }

    [Fact]
    public async Task Replay_of_a_tenant_exports_into_that_tenants_org_from_the_tenants_file()
    {
        await SeedAsync(
            Failed("c4", "acme", "fix-configuration", "INVALID_FIELD", keep: true),
            Failed("c1", null, "fix-configuration", "INVALID_FIELD", keep: true));
        var tenants = CliRunner.TempFile(".json", """{ "Tenants": { "acme": { "Mode": "LeadAndTask" } } }""");

        var run = await CliRunner.RunAsync(["replay", "--journal", _path, "--kind", "fix-configuration", "--tenant", "acme", "--tenants", tenants, "--emulator"]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Out.Should().Contain("Replayed 1: 1 exported");
        run.Emulator!.Records("Task").Should().BeEmpty("the conversation went to acme's own org, not the default one");
        await using var store = new SqliteJournalStore($"Data Source={_path}");
        (await store.FindAsync("acme", "c4", At, default))!.Status.Should().Be(ExportStatus.Exported);
        (await store.FindAsync(string.Empty, "c1", At, default))!.Status.Should().Be(ExportStatus.Failed, "only the named tenant is replayed");
    }

    [Fact]
    public async Task Replay_of_a_conversation_exported_since_its_failure_does_nothing()
    {
        await SeedAsync(Failed("c1", null, "fix-configuration", "INVALID_FIELD", keep: true));
        await SeedAsync(Exported("c1", null) with { At = At.AddMinutes(5) });

        var run = await CliRunner.RunAsync(["replay", "--journal", _path, "--kind", "fix-configuration"]);

        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().Contain("Nothing to replay");
        run.Emulator!.ApiCallsUsed.Should().Be(0);
    }

    [Theory]
    [InlineData("journal", "--kind", "broken", "unknown failure kind 'broken'; use one of retry-later, wait-for-window, reconnect, fix-configuration, rejected-data")]
    [InlineData("replay", "--tenant", "acme", "--kind: say which failures to replay")]
    [InlineData("journal", "--default-tenant", "--tenant", "give one of them")]
    public async Task Bad_input_is_exit_code_2_in_the_users_terms(string command, string option, string value, string expected)
    {
        await SeedAsync(Exported("c1", null));
        var args = option == "--default-tenant" ? new[] { command, "--journal", _path, option, value, "acme" } : [command, "--journal", _path, option, value];

        var run = await CliRunner.RunAsync(args);

        run.ExitCode.Should().Be(2);
        run.Err.Should().Contain(expected);
    }

    [Fact]
    public async Task A_missing_journal_file_is_named_and_not_created()
    {
        var run = await CliRunner.RunAsync(["journal", "--journal", _path]);

        run.ExitCode.Should().Be(2);
        run.Err.Should().Contain(_path).And.Contain("does not exist");
        File.Exists(_path).Should().BeFalse();
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_journal_is_exit_code_3_without_the_password()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var run = await CliRunner.RunAsync(["journal", "--journal", $"Host=127.0.0.1;Port={port};Username=ops;Password=hunter2;Timeout=5"]);

        run.ExitCode.Should().Be(3);
        run.Err.Should().Contain($"PostgreSQL journal '127.0.0.1:{port}/ops'").And.Contain("unreachable").And.NotContain("hunter2");
    }

    private static JournalRecord Failed(string id, string? tenant, string kind, string? code, bool keep) =>
        new(JournalRecord.KeyOf(tenant), id, ExportStatus.Failed, kind, code, null, null, [], At, keep ? ConversationPayload.Encode(Conversation(id, tenant)) : null, keep ? At.AddDays(3650) : null);

    private static JournalRecord Exported(string id, string? tenant) =>
        new(JournalRecord.KeyOf(tenant), id, ExportStatus.Exported, null, null, new SalesforceRecordRef("Contact", "003A", RecordChange.Created), new SalesforceRecordRef("Task", "00TA", RecordChange.Created), [], At, null, null);

    private static Conversation Conversation(string id, string? tenant) => new()
    {
        Id = id,
        TenantId = tenant,
        StartedAt = At.AddHours(-1),
        Visitor = new ChatVisitor { LastName = "Lovelace", Email = $"{id}@example.com" },
        Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello", SentAt = At.AddHours(-1) }],
    };

    private async Task SeedAsync(params JournalRecord[] records)
    {
        await using var store = new SqliteJournalStore($"Data Source={_path}");
        await store.WriteAsync(records, default);
    }
}
