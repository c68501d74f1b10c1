using System.Text.RegularExpressions;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>
/// Every C# block in README.md and docs/*.md has a compiled copy (STYLE.md G22): block n of docs/page-name.md lives in
/// Docs/PageNameSnippets.cs inside <c>#region Snippet:page-name-n</c>, so a renamed API breaks the build, not the docs.
/// </summary>
public sealed partial class DocsSnippetsTests
{
    /// <summary>Pages whose C# blocks are not compiled here, and why.</summary>
    private static readonly Dictionary<string, string> Excluded = new(StringComparer.Ordinal);

    private static readonly string RepositoryRoot = FindRepositoryRoot();

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (var page in DocPages().Where(p => CSharpBlockCount(p) > 0))
        {
            pages.Add(page);
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_EveryCSharpBlock_HasACompiledCopy(string page)
    {
        var blocks = CSharpBlockCount(page);
        var name = Path.GetFileNameWithoutExtension(page).ToLowerInvariant();
        var file = Path.Combine(RepositoryRoot, "tests", "ChatToSalesforce.Tests", "Docs", SnippetsFileName(page));

        File.Exists(file).Should().BeTrue($"{page} has {blocks} C# block(s), so Docs/{SnippetsFileName(page)} must hold their compiled copies");
        var regions = RegionPattern().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var expected = Enumerable.Range(1, blocks).Select(n => $"{name}-{n}").ToList();
        regions.Should().BeEquivalentTo(expected, $"block n of {page} is compiled inside #region Snippet:{name}-n");
    }

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

    [GeneratedRegex(@"^\s*#region Snippet:(?<name>[a-z0-9-]+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex RegionPattern();
}
