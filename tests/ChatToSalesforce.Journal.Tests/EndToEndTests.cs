using ChatToSalesforce.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Journal.Tests;

/// <summary>The journal around the SDK's real exporter, exporting into the emulator: fail, fix the org, replay.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"chat2sf-e2e-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Fact]
    public async Task A_mapping_to_a_missing_field_fails_as_fix_configuration_and_replays_once_the_field_exists()
    {
        await using var emulator = new SalesforceEmulator();
        Conversation[] chats = [Chats.New("c1"), Chats.New("c2")];

        await using (var before = Host(emulator))
        {
            var exporter = before.GetRequiredService<IConversationExporter>();
            var results = await exporter.ExportManyAsync(chats).ToListAsync();
            var single = () => exporter.ExportAsync(Chats.New("c3"));

            results.Should().OnlyContain(r => r.Status == ExportStatus.Failed);
            await single.Should().ThrowAsync<ExportConfigurationException>();
            var counts = await before.GetRequiredService<IExportJournal>().CountFailuresAsync();
            counts.Should().Equal(new JournalFailureCount(null, "fix-configuration", 3, 3));
        }

        emulator.DefineField("Contact", new EmulatorField { Name = "Student_Type__c" }); // the admin fixes the org
        await using var after = Host(emulator);
        var journal = after.GetRequiredService<IExportJournal>();

        var replay = await journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration", TenantId = JournalQuery.DefaultTenant });
        var again = await journal.ReplayAsync(new JournalQuery { FailureKind = "fix-configuration" });

        replay.Should().BeEquivalentTo(new JournalReplayResult { Replayed = 3, Exported = 3 });
        again.Replayed.Should().Be(0);
        emulator.Records("Task").Should().HaveCount(3, "each conversation was replayed exactly once");
        emulator.Records("Contact").Should().ContainSingle().Which["Student_Type__c"]!.GetValue<string>().Should().Be("Future Student");
        var entry = await journal.FindAsync(null, "c2");
        entry!.Status.Should().Be(ExportStatus.Exported);
        entry.Activity!.ObjectType.Should().Be("Task");
        entry.Attempts.Should().Be(2);
    }

    private ServiceProvider Host(SalesforceEmulator emulator)
    {
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = emulator.IssueAccessToken();
            o.Resilience.BaseDelay = TimeSpan.Zero;
            o.Resilience.MaxDelay = TimeSpan.Zero;
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Student Type", Target = "Contact.Student_Type__c" });
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        builder.AddExportJournal(o =>
        {
            o.UseSqlite($"Data Source={_path}");
            o.KeepFailedConversations = true;
        });
        return services.BuildServiceProvider();
    }
}
