using System.Text;
using ChatToSalesforce.Journal.Internal;
using Microsoft.Data.Sqlite;

namespace ChatToSalesforce.Journal.Tests;

public sealed class RecordingTests
{
    [Fact]
    public async Task An_exported_conversation_is_recorded_with_its_Salesforce_ids_and_times()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = JournalHost.Sqlite(time: time);

        var result = await host.Exporter.ExportAsync(Chats.New("c1", tenant: "acme"));

        result.Status.Should().Be(ExportStatus.Exported);
        var entry = await host.Journal.FindAsync("acme", "c1");
        entry.Should().NotBeNull();
        entry!.Status.Should().Be(ExportStatus.Exported);
        entry.TenantId.Should().Be("acme");
        entry.Person.Should().Be(new SalesforceRecordRef("Contact", "003000000000001AAA", RecordChange.Created));
        entry.Activity!.Id.Should().Be("00T000000000001AAA");
        entry.FileIds.Should().Equal("068000000000001AAA");
        entry.Attempts.Should().Be(1);
        entry.FirstAttemptAt.Should().Be(time.GetUtcNow());
        entry.ExportedAt.Should().Be(time.GetUtcNow());
        entry.FailureKind.Should().BeNull();
        (await host.Journal.FindAsync(null, "c1")).Should().BeNull("the default tenant is another tenant");
    }

    [Fact]
    public async Task A_push_with_choices_is_recorded_like_any_export()
    {
        await using var host = JournalHost.Sqlite();

        var result = await host.Exporter.ExportAsync(Chats.New("c1", tenant: "acme"), new ConversationExportChoices { Mode = ExportMode.LeadAndCase });

        result.Status.Should().Be(ExportStatus.Exported);
        host.Stub.Calls.Should().Equal(["c1 with LeadAndCase"], "the choices reach the exporter unchanged");
        (await host.Journal.FindAsync("acme", "c1"))!.Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task A_thrown_export_is_recorded_as_failed_with_its_kind_and_error_code_and_rethrown_unchanged()
    {
        await using var host = JournalHost.Sqlite();
        var error = Errors.InvalidField();
        host.Stub.Outcome = StubExporter.Throwing(error);

        var act = () => host.Exporter.ExportAsync(Chats.New("c1"));

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.Should().BeSameAs(error);
        var entry = await host.Journal.FindAsync(null, "c1");
        entry!.Status.Should().Be(ExportStatus.Failed);
        entry.FailureKind.Should().Be("fix-configuration");
        entry.ErrorCode.Should().Be("INVALID_FIELD");
        entry.CanReplay.Should().BeFalse("failed conversations are kept only when the host opts in");
    }

    [Fact]
    public async Task Batch_results_are_recorded_per_tenant_with_failure_kinds_and_attempts_add_up()
    {
        await using var host = JournalHost.Sqlite();
        host.Stub.Outcome = c => c.Id switch
        {
            "bad-field" => throw Errors.InvalidField(),
            "validation" => throw Errors.Validation(),
            "busy" => throw Errors.Unavailable(),
            "budget" => throw new SalesforceApiBudgetExceededException(900, 1000, "budget reached"),
            "grant" => throw new SalesforceAuthenticationException("invalid_grant", "expired access/refresh token", "reconnect"),
            "config" => throw new ExportConfigurationException("FieldMappings[0].Target", "no such field"),
            "skip" => ConversationExportResult.Skipped(c.Id, "filter"),
            _ => StubExporter.Exported(c),
        };
        Conversation[] batch =
        [
            Chats.New("ok", "acme"), Chats.New("bad-field", "acme"), Chats.New("validation", "acme"), Chats.New("busy", "globex"),
            Chats.New("budget", "globex"), Chats.New("grant"), Chats.New("config"), Chats.New("skip"), null!, new Conversation(),
        ];

        var results = await host.Exporter.ExportManyAsync(batch).ToListAsync();
        await host.Exporter.ExportManyAsync(new[] { Chats.New("busy", "globex") }.ToAsyncEnumerable()).ToListAsync();

        results.Should().HaveCount(10);
        var counts = await host.Journal.CountFailuresAsync();
        counts.Should().BeEquivalentTo(new[]
        {
            new JournalFailureCount(null, "fix-configuration", 1, 0),
            new JournalFailureCount(null, "reconnect", 1, 0),
            new JournalFailureCount("acme", "fix-configuration", 1, 0),
            new JournalFailureCount("acme", "rejected-data", 1, 0),
            new JournalFailureCount("globex", "retry-later", 1, 0),
            new JournalFailureCount("globex", "wait-for-window", 1, 0),
        });
        (await host.Journal.FindAsync("globex", "busy"))!.Attempts.Should().Be(2);
        (await host.Journal.FindAsync(null, "skip"))!.Status.Should().Be(ExportStatus.Skipped);
        (await host.Journal.GetFailuresAsync(new JournalQuery { FailureKind = "FixConfiguration", TenantId = "acme" }))
            .Select(e => e.ConversationId).Should().Equal("bad-field");
        (await host.Journal.GetFailuresAsync(new JournalQuery { TenantId = JournalQuery.DefaultTenant }))
            .Select(e => e.ConversationId).Should().BeEquivalentTo("grant", "config");
    }

    [Fact]
    public async Task A_later_export_replaces_the_failure_and_drops_the_kept_conversation()
    {
        await using var host = JournalHost.Sqlite(o => o.KeepFailedConversations = true);
        host.Stub.Outcome = StubExporter.Throwing(Errors.Unavailable());
        await host.Exporter.ExportManyAsync([Chats.New("c1")]).ToListAsync();
        (await host.Journal.FindAsync(null, "c1"))!.CanReplay.Should().BeTrue();

        host.Stub.Outcome = StubExporter.Exported;
        await host.Exporter.ExportAsync(Chats.New("c1"));

        var entry = await host.Journal.FindAsync(null, "c1");
        entry!.Status.Should().Be(ExportStatus.Exported);
        entry.FailureKind.Should().BeNull();
        entry.CanReplay.Should().BeFalse();
        entry.Attempts.Should().Be(2);
        (await host.Journal.CountFailuresAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Without_the_opt_in_no_conversation_content_reaches_the_database_file()
    {
        await using var host = JournalHost.Sqlite();
        host.Stub.Outcome = StubExporter.Throwing(Errors.Validation());
        await host.Exporter.ExportManyAsync([Chats.New("c1", text: "secret-message-text")]).ToListAsync();
        host.Services.GetType(); // keep the host alive until the file is read
        SqliteConnection.ClearAllPools();

        var bytes = await ReadAllFilesAsync(host.Folder);

        bytes.Should().Contain("c1");
        bytes.Should().NotContain("secret-message-text").And.NotContain("ada@example.com").And.NotContain("Lovelace").And.NotContain("555-0100");
    }

    [Fact]
    public async Task The_opt_in_keeps_the_whole_failed_conversation_for_replay()
    {
        await using var host = JournalHost.Sqlite(o => o.KeepFailedConversations = true);
        host.Stub.Outcome = StubExporter.Throwing(Errors.InvalidField());
        var original = Chats.New("c1", "acme");
        await host.Exporter.ExportManyAsync([original]).ToListAsync();

        var claimed = await host.Recorder.Store.ClaimForReplayAsync(new JournalQuery(), "run", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow, 10, default);

        claimed.Should().ContainSingle();
        ConversationPayload.TryDecode(claimed[0].Payload).Should().BeEquivalentTo(original, o => o.ComparingByMembers<ReadOnlyMemory<byte>>().Excluding(c => c.Attachments));
        ConversationPayload.TryDecode(claimed[0].Payload)!.Attachments.Single().Content.ToArray().Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Configuration_errors_name_what_is_missing()
    {
        var act = () => JournalHost.Create((o, _) => o.RetentionPeriod = TimeSpan.Zero);

        act.Should().Throw<ArgumentException>().WithMessage("*no store is chosen*UseSqlite*RetentionPeriod must be positive*");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_unknown_failure_kind_in_a_query_is_an_error_that_lists_the_kinds()
    {
        await using var host = JournalHost.Sqlite();

        var act = () => host.Journal.GetFailuresAsync(new JournalQuery { FailureKind = "broken" });

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*'broken'*retry-later, wait-for-window, reconnect, fix-configuration, rejected-data*");
    }

    private static async Task<string> ReadAllFilesAsync(string folder)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(folder))
        {
            text.Append(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        }

        return text.ToString();
    }
}
