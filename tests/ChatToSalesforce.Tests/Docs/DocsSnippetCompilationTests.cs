using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>
/// Compiles every C# block of README.md, docs/*.md and the packages' READMEs exactly as a reader would paste it: the
/// block's own text, with only what the project the page names gives for free (the SDK's implicit usings) and the
/// packages the page names. The harness adds no using and no type. A block may build on earlier blocks when the page
/// says so; a <c>&lt;!-- snippet: ... --&gt;</c> comment on the line above the block tells the harness which project
/// and which blocks:
/// <list type="bullet">
/// <item><c>console</c> (the default, <c>dotnet new console</c>), <c>worker</c> (<c>dotnet new worker</c>), <c>web</c>
/// (<c>dotnet new web</c>) or <c>xunit</c> (<c>dotnet new xunit</c>);</item>
/// <item><c>after 1 2</c>: this block continues blocks 1 and 2 of the page (or <c>after identity-matching.md#2</c>, a block of
/// another page), as the page says in its text;</item>
/// <item><c>listing</c>: not code to paste but a listing of the SDK's contract; its types and members must exist as listed;</item>
/// <item><c>package OpenTelemetry.Extensions.Hosting</c>: a package the page tells the reader to add.</item>
/// </list>
/// Continued top-level statements go into one Program.cs (their usings at its top); other blocks are files of their own.
/// </summary>
public sealed partial class DocsSnippetCompilationTests
{
    private static readonly string[] ConsoleUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly string[] HostUsings =
        ["Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging"];

    private static readonly string[] WebUsings =
        ["System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing"];

    /// <summary>This repository's optional packages: referenced by the tests, given to a block only when its page names the package.</summary>
    private static readonly string[] ProjectPackages = ["ChatToSalesforce.AspNetCore", "ChatToSalesforce.Redis"];

    private static readonly Lazy<IReadOnlyList<MetadataReference>> AllReferences = new(LoadReferences);

    /// <summary>Blocks of pages other helpers own in this round, left as they are, and why.</summary>
    private static readonly Dictionary<(string Page, int Number), string> Excluded = new()
    {
        [("docs/emulator.md", 2)] = "continues a test class: 'services' and FluentAssertions come from the reader's test; emulator.md is being reworked by the emulator's owners",
        [("docs/emulator.md", 3)] = "a fragment of the options lambda of block 2; emulator.md is being reworked by the emulator's owners",
        [("src/ChatToSalesforce.Testing/README.md", 1)] = "the emulator package's README continues 'services' from the reader's code; it is being reworked by the emulator's owners",
        [("docs/emulator.md", 4)] = "continues block 1's 'emulator'; emulator.md is being reworked by the emulator's owners",
    };

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var page in DocsPages.WithCSharp())
        {
            foreach (var block in DocsPages.CSharpBlocks(page).Where(b => !Excluded.ContainsKey((page, b.Number))))
            {
                data.Add(page, block.Number);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_PastedIntoTheProjectThePageNames_Compiles(string page, int number)
    {
        var blocks = DocsPages.CSharpBlocks(page);
        var block = blocks.Single(b => b.Number == number);

        var errors = block.Project == "listing" ? CheckListing(block) : Compile(block);

        errors.Should().BeEmpty($"block {number} of {page} (line {block.Line}, a {block.Project} project{(block.After.Count > 0 ? ", after block(s) " + string.Join(", ", block.After) : "")}) must compile as pasted");
    }

    [Fact]
    public void Excluded_EachNamesABlockThatExistsAndSaysWhy()
    {
        foreach (var ((page, number), reason) in Excluded)
        {
            DocsPages.CSharpBlocks(page).Should().Contain(b => b.Number == number, $"{page} block {number} is excluded");
            reason.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void Listing_WithAMemberTheSdkDoesNotHave_IsReported()
    {
        var listing = new DocsBlock("test.md", 1, 1, "listing", [], [], """
            namespace ChatToSalesforce.Filtering;

            public sealed class ExportFilterResult
            {
                public static ExportFilterResult Export { get; }
                public string? Reason { get; }
            }

            public interface INoSuchFilter
            {
            }
            """);

        CheckListing(listing).Should().Equal(
            "ChatToSalesforce.Filtering.ExportFilterResult has no public member 'Reason'",
            "ChatToSalesforce.Filtering.INoSuchFilter is not a public type of the SDK");
    }

    // A listing names types and members; each must be public in the SDK with that name (signatures are the compiler's job in the pages' examples).
    private static List<string> CheckListing(DocsBlock block)
    {
        var problems = new List<string>();
        var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(block.Code).GetRoot();
        var sdk = typeof(IConversationExporter).Assembly;
        foreach (var type in unit.DescendantNodes().OfType<BaseTypeDeclarationSyntax>())
        {
            var ns = type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
            var name = ns is null ? type.Identifier.Text : $"{ns}.{type.Identifier.Text}";
            var runtime = sdk.GetType(name);
            if (runtime is null || !runtime.IsPublic)
            {
                problems.Add($"{name} is not a public type of the SDK");
                continue;
            }

            var members = type is TypeDeclarationSyntax t ? t.Members : [];
            if (type is RecordDeclarationSyntax { ParameterList: { } parameters })
            {
                problems.AddRange(parameters.Parameters.Where(p => runtime.GetMember(p.Identifier.Text).Length == 0).Select(p => $"{name} has no public member '{p.Identifier.Text}'"));
            }

            foreach (var member in members)
            {
                var memberName = member switch
                {
                    MethodDeclarationSyntax m => m.Identifier.Text,
                    PropertyDeclarationSyntax pr => pr.Identifier.Text,
                    EventDeclarationSyntax e => e.Identifier.Text,
                    _ => null,
                };
                if (memberName is not null && runtime.GetMember(memberName).Length == 0 && !runtime.GetInterfaces().Any(i => i.GetMember(memberName).Length > 0))
                {
                    problems.Add($"{name} has no public member '{memberName}'");
                }
            }
        }

        return problems;
    }

    [Fact]
    public void Harness_AddsNoUsingOrType()
    {
        // The missing using of the old getting-started page: ILogger<T> without Microsoft.Extensions.Logging.
        var logging = new DocsBlock("test.md", 1, 1, "console", [], [], """
            using ChatToSalesforce;

            public sealed class Handler(IConversationExporter exporter, ILogger<Handler> logger);
            """);
        var web = new DocsBlock("test.md", 1, 1, "console", [], [], "var builder = WebApplication.CreateBuilder(args);");
        var undefined = new DocsBlock("test.md", 1, 1, "console", [], [], "Console.WriteLine(MyChat.Id);");

        Compile(logging).Should().ContainSingle().Which.Should().Contain("ILogger<>");
        Compile(web).Should().ContainSingle().Which.Should().Contain("WebApplication");
        Compile(undefined).Should().ContainSingle().Which.Should().Contain("MyChat");
        Compile(web with { Project = "web" }).Should().BeEmpty();
    }

    [Fact]
    public void Harness_GivesARepositoryPackageOnlyToABlockThatNamesIt()
    {
        var connect = new DocsBlock("test.md", 1, 1, "web", [], [], """
            var app = WebApplication.CreateBuilder(args).Build();
            app.MapSalesforceConnect("/salesforce");
            """);

        Compile(connect).Should().ContainSingle().Which.Should().Contain("MapSalesforceConnect");
        Compile(connect with { Packages = ["ChatToSalesforce.AspNetCore"] }).Should().BeEmpty();
    }

    private static List<string> Compile(DocsBlock block)
    {
        var chain = block.After.Select(DocsPages.Find).Append(block).ToList();
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var statements = new List<(DocsBlock Block, CompilationUnitSyntax Unit)>();
        var trees = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings(block.Project).Select(u => $"global using global::{u};\n")), parse, "GlobalUsings.g.cs"),
        };
        foreach (var part in chain)
        {
            var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(part.Code, parse).GetRoot();
            if (unit.Members.OfType<GlobalStatementSyntax>().Any())
            {
                statements.Add((part, unit));
            }
            else
            {
                trees.Add(CSharpSyntaxTree.ParseText(part.Code, parse, $"{part.Page}-{part.Number}.cs"));
            }
        }

        if (statements.Count > 0)
        {
            // One Program.cs, as a reader who pastes the blocks into it writes it: usings at the top, then the statements, then the types.
            var program = new StringBuilder();
            foreach (var u in statements.SelectMany(s => s.Unit.Usings).Select(u => u.ToString()).Distinct(StringComparer.Ordinal))
            {
                program.AppendLine(u);
            }

            foreach (var (_, unit) in statements)
            {
                program.AppendLine(string.Concat(unit.Members.OfType<GlobalStatementSyntax>().Select(m => m.ToFullString())));
            }

            foreach (var (_, unit) in statements)
            {
                program.AppendLine(string.Concat(unit.Members.Where(m => m is not GlobalStatementSyntax).Select(m => m.ToFullString())));
            }

            trees.Add(CSharpSyntaxTree.ParseText(program.ToString(), parse, "Program.cs"));
        }

        var references = AllReferences.Value.Where(r => Allowed(r, block)).ToList();
        references.AddRange(block.Packages.Where(p => !ProjectPackages.Contains(p)).Select(StandInPackage));
        var compilation = CSharpCompilation.Create(
            "Snippet",
            trees,
            references,
            new CSharpCompilationOptions(statements.Count > 0 && block.Project != "xunit" ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
    }

    private static IEnumerable<string> ImplicitUsings(string project) => project switch
    {
        "console" => ConsoleUsings,
        "worker" => [.. ConsoleUsings, .. HostUsings],
        "web" => [.. ConsoleUsings, .. WebUsings, .. HostUsings],
        "xunit" => [.. ConsoleUsings, "Xunit"],
        _ => throw new InvalidOperationException($"Unknown project '{project}' in a snippet comment; use console, worker, web or xunit."),
    };

    // ASP.NET Core only in a web project; test frameworks only in a test project; never this test assembly.
    private static bool Allowed(MetadataReference reference, DocsBlock block)
    {
        var name = Path.GetFileNameWithoutExtension(reference.Display ?? "");
        if (name.StartsWith("ChatToSalesforce.Tests", StringComparison.Ordinal) || name.StartsWith("ChatToSalesforce.Cli", StringComparison.Ordinal))
        {
            return false;
        }

        if (ProjectPackages.Contains(name) && !block.Packages.Contains(name))
        {
            return false;
        }

        if (name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && block.Project != "web")
        {
            return false;
        }

        // OpenTelemetry is referenced by the telemetry tests only; a page that names its package compiles against the stand-in.
        if (name.StartsWith("OpenTelemetry", StringComparison.Ordinal))
        {
            return false;
        }

        var testOnly = name.StartsWith("xunit", StringComparison.OrdinalIgnoreCase) || name.StartsWith("FluentAssertions", StringComparison.Ordinal) || name.StartsWith("NSubstitute", StringComparison.Ordinal);
        return !testOnly || block.Project == "xunit";
    }

    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        var references = new List<MetadataReference>();
        foreach (var path in paths)
        {
            try
            {
                _ = AssemblyName.GetAssemblyName(path);
                references.Add(MetadataReference.CreateFromFile(path));
            }
            catch (BadImageFormatException)
            {
                // A native library: not a reference.
            }
        }

        return references;
    }

    // A package the page names that the tests do not reference (OpenTelemetry is not served by this machine's registry;
    // the Redis cache would bring a Redis client): the surface the page uses, with the package's namespaces and signatures.
    private static MetadataReference StandInPackage(string package)
    {
        var source = package switch
        {
            "OpenTelemetry.Extensions.Hosting" => """
                namespace Microsoft.Extensions.DependencyInjection
                {
                    public static class OpenTelemetryServicesExtensions
                    {
                        public static OpenTelemetry.OpenTelemetryBuilder AddOpenTelemetry(this IServiceCollection services) => new();
                    }
                }

                namespace OpenTelemetry
                {
                    public sealed class OpenTelemetryBuilder
                    {
                        public OpenTelemetryBuilder WithMetrics(System.Action<OpenTelemetry.Metrics.MeterProviderBuilder> configure) => this;

                        public OpenTelemetryBuilder WithTracing(System.Action<OpenTelemetry.Trace.TracerProviderBuilder> configure) => this;
                    }
                }

                namespace OpenTelemetry.Trace
                {
                    public abstract class TracerProviderBuilder
                    {
                        public abstract TracerProviderBuilder AddSource(params string[] names);
                    }
                }

                namespace OpenTelemetry.Metrics
                {
                    public abstract class MeterProviderBuilder
                    {
                        public abstract MeterProviderBuilder AddMeter(params string[] names);
                    }

                    public static class MeterProviderBuilderExtensions
                    {
                        public static MeterProviderBuilder AddView(this MeterProviderBuilder meterProviderBuilder, System.Func<System.Diagnostics.Metrics.Instrument, MetricStreamConfiguration?> viewConfig) => meterProviderBuilder;
                    }

                    public class MetricStreamConfiguration
                    {
                        public int? CardinalityLimit { get; set; }
                    }
                }
                """,
            "Microsoft.Extensions.Caching.StackExchangeRedis" => """
                namespace Microsoft.Extensions.DependencyInjection
                {
                    public static class StackExchangeRedisCacheServiceCollectionExtensions
                    {
                        public static IServiceCollection AddStackExchangeRedisCache(this IServiceCollection services, System.Action<Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions> setupAction) => services;
                    }
                }

                namespace Microsoft.Extensions.Caching.StackExchangeRedis
                {
                    public class RedisCacheOptions
                    {
                        public string? Configuration { get; set; }
                    }
                }
                """,
            "Microsoft.AspNetCore.DataProtection.StackExchangeRedis" => """
                namespace Microsoft.AspNetCore.DataProtection
                {
                    public static class StackExchangeRedisDataProtectionBuilderExtensions
                    {
                        public static IDataProtectionBuilder PersistKeysToStackExchangeRedis(this IDataProtectionBuilder builder, StackExchange.Redis.IConnectionMultiplexer connectionMultiplexer, StackExchange.Redis.RedisKey key) => builder;
                    }
                }
                """,
            _ => throw new InvalidOperationException($"No stand-in for the package '{package}'."),
        };
        var compilation = CSharpCompilation.Create(
            package,
            [CSharpSyntaxTree.ParseText(source)],
            AllReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        if (!emitted.Success)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, emitted.Diagnostics));
        }

        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}

/// <summary>A C# block of a docs page: its number on the page (from 1), the line it starts on, and its snippet comment.</summary>
internal sealed record DocsBlock(string Page, int Number, int Line, string Project, IReadOnlyList<string> After, IReadOnlyList<string> Packages, string Code);

/// <summary>Reads the C# blocks of README.md, docs/*.md and the packages' READMEs.</summary>
internal static partial class DocsPages
{
    public static readonly string RepositoryRoot = FindRepositoryRoot();

    public static IEnumerable<string> All() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md")
            .Select(p => "docs/" + Path.GetFileName(p))
            .Append("README.md")
            .Append("src/ChatToSalesforce/README.md")
            .Append("src/ChatToSalesforce.Testing/README.md")
            .Order(StringComparer.Ordinal);

    /// <summary>A block by reference: <c>docs/page.md#2</c>.</summary>
    public static DocsBlock Find(string reference)
    {
        var hash = reference.LastIndexOf('#');
        var number = int.Parse(reference[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return CSharpBlocks(reference[..hash]).Single(b => b.Number == number);
    }

    public static IEnumerable<string> WithCSharp() => All().Where(p => CSharpBlocks(p).Count > 0);

    public static IReadOnlyList<DocsBlock> CSharpBlocks(string page)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot, page));
        var blocks = new List<DocsBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() is not ("```csharp" or "```cs" or "```c#"))
            {
                continue;
            }

            var comment = i > 0 ? SnippetComment().Match(lines[i - 1]) : Match.Empty;
            var project = "console";
            var after = new List<string>();
            var packages = new List<string>();
            if (comment.Success)
            {
                foreach (var part in comment.Groups["spec"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    switch (words[0])
                    {
                        case "after":
                            after.AddRange(words.Skip(1).Select(w => w.Contains('#', StringComparison.Ordinal) ? (w.StartsWith("README", StringComparison.Ordinal) ? w : "docs/" + w) : $"{page}#{w}"));
                            break;
                        case "package":
                            packages.AddRange(words.Skip(1));
                            break;
                        default:
                            project = words[0];
                            break;
                    }
                }
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].TrimEnd() != "```")
            {
                end++;
            }

            blocks.Add(new DocsBlock(page, blocks.Count + 1, start + 1, project, after, packages, string.Join('\n', lines[start..end])));
            i = end;
        }

        return blocks;
    }

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

    [GeneratedRegex(@"^\s*<!--\s*snippet:\s*(?<spec>.*?)\s*-->\s*$")]
    private static partial Regex SnippetComment();
}
