namespace ChatToSalesforce.Tests.Docs;

/// <summary>docs/architecture.md's source layout names what is in the folders, so it cannot fall behind them unnoticed.</summary>
public sealed class ArchitectureLayoutTests
{
    private static readonly string Sdk = Path.Combine(DocsPages.RepositoryRoot, "src", "ChatToSalesforce");

    private static string Layout()
    {
        var page = File.ReadAllText(Path.Combine(DocsPages.RepositoryRoot, "docs", "architecture.md"));
        var start = page.IndexOf("## Source layout", StringComparison.Ordinal);
        return page[start..page.IndexOf("\n## ", start + 3, StringComparison.Ordinal)];
    }

    [Fact]
    public void Layout_NamesEveryFolderOfTheSdk()
    {
        var layout = Layout();

        var folders = Directory.GetDirectories(Sdk).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();

        folders.Should().Contain(["Export", "Tenancy", "Connect", "Actions", "Erasure"]);
        folders.Where(f => !layout.Contains(f + "/", StringComparison.Ordinal)).Should().BeEmpty("every folder is in the layout");
    }

    [Fact]
    public void Layout_NamesEveryFileOfTheExportEngine()
    {
        var layout = Layout();

        var types = Directory.GetFiles(Path.Combine(Sdk, "Export", "Internal"), "*.cs")
            .Select(f => Path.GetFileNameWithoutExtension(f)!.Split('.')[^1]) // a partial (ConversationExporter.Results) by its part
            .ToList();

        types.Should().NotBeEmpty();
        types.Where(t => !layout.Contains(t, StringComparison.Ordinal)).Should().BeEmpty("every file of Export/Internal is in the layout");
    }
}
