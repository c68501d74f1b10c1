using System.Reflection;
using ChatToSalesforce.Tests.Shared;
using ChatToSalesforce.Journal.PostgreSql.Internal;

namespace ChatToSalesforce.Journal.Tests.PublicApi;

/// <summary>
/// The journal packages' public surface, rendered like the SDK's and compared with the committed approval files, so every change is
/// a visible diff. To accept a change: copy the <c>.received.txt</c> over the <c>.approved.txt</c> beside this file.
/// </summary>
public sealed class JournalPublicApiTests
{
    [Fact]
    public void The_journal_package_api_matches_its_approved_file() => Approve(typeof(IExportJournal).Assembly);

    [Fact]
    public void The_postgresql_package_api_matches_its_approved_file() => Approve(typeof(PostgreSqlJournalStore).Assembly);

    [Fact]
    public void Every_public_class_is_sealed_or_static()
    {
        foreach (var assembly in new[] { typeof(IExportJournal).Assembly, typeof(PostgreSqlJournalStore).Assembly })
        {
            assembly.GetExportedTypes().Where(t => t.IsClass).Should().OnlyContain(t => t.IsSealed, "public classes are sealed (static classes are sealed too)");
        }
    }

    private static void Approve(Assembly assembly) =>
        PublicApiRenderer.Approve(assembly, $"tests/ChatToSalesforce.Journal.Tests/PublicApi/{assembly.GetName().Name}.approved.txt");
}
