using ChatToSalesforce.Journal.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Journal.Tests;

public sealed class ForgetAndRegistrationTests
{
    [Fact]
    public async Task Forget_removes_the_rows_and_kept_copies_of_one_tenants_conversations_and_what_is_buffered()
    {
        BreakableStore? store = null;
        await using var host = JournalHost.Create((o, folder) =>
        {
            o.UseStore(() => store = new BreakableStore(new SqliteJournalStore($"Data Source={Path.Combine(folder, "j.db")}")));
            o.KeepFailedConversations = true;
        });
        host.Stub.Outcome = StubExporter.Throwing(Errors.Validation());
        await host.Exporter.ExportManyAsync([Chats.New("c1", "acme"), Chats.New("c2", "acme"), Chats.New("c1", "globex")]).ToListAsync();
        store!.Broken = true;
        await host.Exporter.ExportManyAsync([Chats.New("c2", "acme")]).ToListAsync(); // buffered while the journal is down
        store.Broken = false;

        var forgotten = await host.Journal.ForgetAsync("acme", ["c1", "c2", "never-seen"]);
        await host.Journal.FlushAsync();

        forgotten.Should().Be(2);
        (await host.Journal.FindAsync("acme", "c1")).Should().BeNull();
        (await host.Journal.FindAsync("acme", "c2")).Should().BeNull("a buffered outcome must not bring an erased conversation back");
        (await host.Journal.FindAsync("globex", "c1")).Should().NotBeNull("another tenant's conversation of the same id stays");
        host.Logs.Entries.Should().Contain(e => e.EventId.Id == 4006);
    }

    [Fact]
    public void Adding_the_journal_twice_is_an_error()
    {
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(_ => { });
        builder.AddExportJournal(o => o.UseSqlite("Data Source=a.db"));

        var act = () => builder.AddExportJournal(o => o.UseSqlite("Data Source=b.db"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*called twice*");
    }

    [Fact]
    public void A_malformed_connection_string_fails_at_registration()
    {
        var builder = new ServiceCollection().AddSalesforceChatExport(_ => { });

        var sqlite = () => builder.AddExportJournal(o => o.UseSqlite("Data Source=a.db;Nonsense=1"));
        var postgres = () => builder.AddExportJournal(o => o.UsePostgreSql("Hots=db"));

        sqlite.Should().Throw<ArgumentException>();
        postgres.Should().Throw<ArgumentException>();
    }
}
