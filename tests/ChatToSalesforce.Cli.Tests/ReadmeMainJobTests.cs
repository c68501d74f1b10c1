using System.Diagnostics;

namespace ChatToSalesforce.Cli.Tests;

/// <summary>Runs the README's main-job command line exactly as written, as a child process from the repository root.</summary>
public sealed class ReadmeMainJobTests
{
    [Fact]
    public async Task The_readme_export_command_exits_0()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = CliRunner.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in "run --project src/ChatToSalesforce.Cli -- export docs/samples/conversations.json".Split(' '))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.ExitCode.Should().Be(0, $"stdout:\n{await stdout}\nstderr:\n{await stderr}");
        (await stdout).Should().Contain("Summary");
    }
}
