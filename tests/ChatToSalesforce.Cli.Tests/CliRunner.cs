using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Cli.Tests;

/// <summary>Runs <c>chat2sf</c> in-process against the in-process emulator, capturing stdout, stderr and the emulator.</summary>
internal static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Sample(string name) => Path.Combine(RepoRoot, "docs", "samples", name);

    public static async Task<CliResult> RunAsync(
        string[] args,
        Action<SalesforceEmulator>? onEmulator = null,
        Action<Uri>? serving = null,
        Action<Uri>? openBrowser = null,
        CancellationToken cancellationToken = default)
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
            Serving = serving,
            OpenBrowser = openBrowser ?? (_ => { }), // never start a real browser from a test
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

    public static string TempFile(string extension, byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"chat2sf-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A JSON Lines conversation with a visitor (email and last name) so it is exported, or without an email so it is skipped.</summary>
    public static string Conversation(string id, string? email, string startedAt = "2026-03-02T09:30:00Z")
    {
        var emailProperty = email is null ? string.Empty : ",\"email\":\"" + email + "\"";
        return $$"""{"id":"{{id}}","startedAt":"{{startedAt}}","visitor":{"lastName":"Visitor {{id}}"{{emailProperty}}},"messages":[{"role":"visitor","text":"Hello","sentAt":"{{startedAt}}"}]}""";
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
