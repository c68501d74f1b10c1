using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli.Tests;

/// <summary>Runs <c>chat2sf</c> in-process against the in-process emulator, capturing stdout, stderr and the emulator.</summary>
internal static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Sample(string name) => Path.Combine(RepoRoot, "docs", "samples", name);

    public static async Task<CliResult> RunAsync(string[] args, Action<SalesforceEmulator>? onEmulator = null, CancellationToken cancellationToken = default)
    {
        SalesforceEmulator? emulator = null;
        var hooks = new CliHooks
        {
            Interactive = false,
            EmulatorCreated = e =>
            {
                emulator = e;
                onEmulator?.Invoke(e);
            },
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, cancellationToken, hooks);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString(), emulator);
    }

    public static string TempFile(string extension, string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"chat2sf-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, content);
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatToSalesforce.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ChatToSalesforce.sln not found above " + AppContext.BaseDirectory);
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Err, SalesforceEmulator? Emulator)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}
