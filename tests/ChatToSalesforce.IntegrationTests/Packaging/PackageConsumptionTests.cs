using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace ChatToSalesforce.IntegrationTests.Packaging;

/// <summary>
/// Issue #2: <c>dotnet pack</c> yields ChatToSalesforce and ChatToSalesforce.Testing packages (with symbols, the net10.0 target, XML docs
/// and the README), and a project outside the repository restores them from the local folder feed and exports a conversation.
/// </summary>
/// <remarks>
/// Slow (two Release packs and a consumer restore/build/run): several minutes are allowed. The packages get a unique prerelease
/// version so they never collide with anything in the machine's package cache; the extracted copies are removed afterwards.
/// </remarks>
public sealed class PackageConsumptionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Targets = ["net10.0"];

    [Fact(Timeout = 8 * 60 * 1000)]
    public async Task Pack_ProducesCompletePackages_ThatAConsumerOutsideTheRepoRestoresAndRuns()
    {
        var repo = FindRepositoryRoot();
        var feed = Path.Combine(repo, ".local-feed");
        Directory.CreateDirectory(feed);
        foreach (var old in Directory.EnumerateFiles(feed, "ChatToSalesforce*.*pkgtest*"))
        {
            File.Delete(old);
        }

        var version = "0.1.0-pkgtest.t" + Guid.NewGuid().ToString("N")[..12];
        var work = Path.Combine(Path.GetTempPath(), "chat2sf-pkgtest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            // Pack both (independent projects) in parallel, in Release, with their own artifacts folder so the repo's build output is
            // untouched. Analyzers are off for the pack only: the solution build enforces them, and they do not change the package.
            var packs = await Task.WhenAll(
                new[] { "src/ChatToSalesforce/ChatToSalesforce.csproj", "src/ChatToSalesforce.Testing/ChatToSalesforce.Testing.csproj" }.Select(project =>
                    RunAsync(repo, "pack", project, "-c", "Release", "-o", feed, $"-p:Version={version}", "-p:RunAnalyzers=false", $"-p:ArtifactsPath={Path.Combine(work, "artifacts", Path.GetFileNameWithoutExtension(project))}{Path.DirectorySeparatorChar}")));
            foreach (var pack in packs)
            {
                pack.ExitCode.Should().Be(0, pack.Output);
            }

            AssertPackage(feed, "ChatToSalesforce", version);
            AssertPackage(feed, "ChatToSalesforce.Testing", version);

            var consumer = Path.Combine(work, "consumer");
            WriteConsumer(consumer, feed, version);
            var run = await RunAsync(consumer, "run", "--project", "Consumer.csproj");

            run.ExitCode.Should().Be(0, run.Output);
            run.Output.Should().Contain("status=Exported");
            run.Output.Should().MatchRegex(@"contact=003[0-9A-Za-z]{15}\b");
            run.Output.Should().MatchRegex(@"task=00T[0-9A-Za-z]{15}\b");
            run.Output.Should().Contain("contacts-in-org=1").And.Contain("tasks-in-org=1");
        }
        finally
        {
            TryDelete(work);
            foreach (var file in Directory.EnumerateFiles(feed, $"ChatToSalesforce*.{version}.*"))
            {
                File.Delete(file);
            }

            // The consumer's restore extracted the unique version into the global packages folder: remove it again.
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in new[] { "chattosalesforce", "chattosalesforce.testing" })
            {
                TryDelete(Path.Combine(packages, id, version));
                if (Directory.Exists(Path.Combine(packages, id)) && !Directory.EnumerateFileSystemEntries(Path.Combine(packages, id)).Any())
                {
                    TryDelete(Path.Combine(packages, id));
                }
            }
        }
    }

    private static void AssertPackage(string feed, string id, string version)
    {
        var nupkg = Path.Combine(feed, $"{id}.{version}.nupkg");
        var snupkg = Path.Combine(feed, $"{id}.{version}.snupkg");
        File.Exists(nupkg).Should().BeTrue($"{nupkg} is packed");
        File.Exists(snupkg).Should().BeTrue($"{snupkg} is packed");

        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            foreach (var tfm in Targets)
            {
                entries.Should().Contain($"lib/{tfm}/{id}.dll");
                entries.Should().Contain($"lib/{tfm}/{id}.xml", "the XML documentation ships with the package");
            }

            entries.Should().Contain("README.md");
            zip.GetEntry("README.md")!.Length.Should().BeGreaterThan(0);
            using var nuspecStream = zip.GetEntry($"{id}.nuspec")!.Open();
            var nuspec = XDocument.Load(nuspecStream);
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Meta(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Meta("id").Should().Be(id);
            Meta("version").Should().Be(version);
            Meta("readme").Should().Be("README.md");
            Meta("license").Should().Be("MIT");
            Meta("description").Should().NotBeNullOrWhiteSpace();
        }

        using (var symbols = ZipFile.OpenRead(snupkg))
        {
            var entries = symbols.Entries.Select(e => e.FullName).ToList();
            foreach (var tfm in Targets)
            {
                entries.Should().Contain($"lib/{tfm}/{id}.pdb");
            }
        }
    }

    private static void WriteConsumer(string directory, string feed, string version)
    {
        Directory.CreateDirectory(directory);

        // Stop MSBuild and NuGet from looking further up the temp folder's parents.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");

        // Adds the feed; keeps the machine's sources (the dependencies come from there).
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="chattosalesforce-pkgtest" value="{System.Security.SecurityElement.Escape(Path.GetFullPath(feed))}" />
              </packageSources>
            </configuration>
            """);

        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ChatToSalesforce" Version="[{version}]" />
                <PackageReference Include="ChatToSalesforce.Testing" Version="[{version}]" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.15" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using ChatToSalesforce;
            using ChatToSalesforce.Testing;
            using Microsoft.Extensions.DependencyInjection;

            await using var emulator = new SalesforceEmulator();
            var services = new ServiceCollection();
            services.AddSalesforceChatExport(options =>
                {
                    options.InstanceUrl = emulator.InstanceUrl;
                    options.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
                    options.Authentication.ClientId = "consumer-app";
                    options.Authentication.ClientSecret = "consumer-secret";
                })
                .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
            await using var provider = services.BuildServiceProvider();

            var start = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
            var result = await provider.GetRequiredService<IConversationExporter>().ExportAsync(new Conversation
            {
                Id = "pkg-chat-1",
                Channel = "web",
                StartedAt = start,
                EndedAt = start.AddMinutes(5),
                Visitor = new ChatVisitor { Name = "Ada Lovelace", Email = "ada@example.com" },
                Messages =
                [
                    new ChatMessage { Role = ChatRole.Visitor, SenderName = "Ada", Text = "Hello, I have a question.", SentAt = start },
                    new ChatMessage { Role = ChatRole.Agent, SenderName = "Agent", Text = "Happy to help.", SentAt = start.AddMinutes(1) },
                ],
            });

            Console.WriteLine($"status={result.Status}");
            Console.WriteLine($"contact={result.Person?.Id}");
            Console.WriteLine($"task={result.Activity?.Id}");
            Console.WriteLine($"contacts-in-org={emulator.Records("Contact").Count}");
            Console.WriteLine($"tasks-in-org={emulator.Records("Task").Count}");
            return result.Status == ExportStatus.Exported ? 0 : 1;
            """);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";   // no build servers left running after the test
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var inherited in new[] { "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG" })
        {
            info.Environment.Remove(inherited);
        }

        var text = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        var started = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Append($"(killed after {StepTimeout})");
            return (-1, text.ToString());
        }

        process.WaitForExit(); // drain the redirected output
        output.WriteLine($"dotnet {string.Join(' ', arguments)}: exit {process.ExitCode} in {started.Elapsed.TotalSeconds:0}s");
        return (process.ExitCode, text.ToString());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }
            }
        }
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

        throw new InvalidOperationException($"ChatToSalesforce.sln not found above {AppContext.BaseDirectory}.");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
