namespace ChatToSalesforce.Tests.Docs;

/// <summary>
/// Every C# block in README.md and docs/*.md is compiled exactly as written by <see cref="DocsSnippetCompilationTests"/>
/// (STYLE.md G22). Docs/PageNameSnippets.cs files hold behaviour tests of what a page claims, running a copy of its
/// code (marked <c>#region Snippet:page-name-n</c>) against the emulator; they must belong to a page with C#.
/// </summary>
public sealed partial class DocsSnippetsTests
{
    /// <summary>Pages whose C# blocks are not compiled here, and why.</summary>
    private static readonly Dictionary<string, string> Excluded = new(StringComparer.Ordinal);

    private static readonly string RepositoryRoot = FindRepositoryRoot();

    [Fact]
    public void Docs_PagesWithCSharp_AreCoveredOrExcludedWithAReason()
    {
        var pages = DocPages().Where(p => CSharpBlockCount(p) > 0).ToList();

        pages.Should().Contain(["README.md", "docs/getting-started.md", "docs/testing.md"], "the scan must find the docs");
        Excluded.Values.Should().NotContain(reason => reason.Length == 0);
    }

    [Fact]
    public void SnippetsFiles_EachBelongToAPage()
    {
        var expected = DocPages().Where(p => CSharpBlockCount(p) > 0).Select(SnippetsFileName).ToHashSet(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot, "tests", "ChatToSalesforce.Tests", "Docs"), "*Snippets.cs").Select(Path.GetFileName);

        files.Should().OnlyContain(f => expected.Contains(f!), "a Snippets file whose page has no C# left is stale");
    }

    private static IEnumerable<string> DocPages() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md")
            .Select(p => "docs/" + Path.GetFileName(p))
            .Append("README.md")
            .Where(p => !Excluded.ContainsKey(p))
            .Order(StringComparer.Ordinal);

    private static int CSharpBlockCount(string page) =>
        File.ReadLines(Path.Combine(RepositoryRoot, page)).Count(line => line.TrimEnd() is "```csharp" or "```cs" or "```c#");

    // docs/getting-started.md -> GettingStartedSnippets.cs; README.md -> ReadmeSnippets.cs
    private static string SnippetsFileName(string page) =>
        string.Concat(Path.GetFileNameWithoutExtension(page).ToLowerInvariant().Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Snippets.cs";

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatToSalesforce.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ChatToSalesforce.sln above {AppContext.BaseDirectory}.");
    }
}
