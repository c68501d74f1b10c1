using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Runs the real <c>chat2sf emulator</c> command as a child process.</summary>
public sealed class CliTests
{
    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chat2sf.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    [Fact]
    public async Task Emulator_command_prints_its_url_and_serves_the_seeded_org()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "Samples", "emulator-seed.json");
        using var process = Start("emulator", "--port", "0", "--seed", seed);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            line.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+$");

            using var http = new HttpClient { BaseAddress = new Uri(line!) };
            using var token = await http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "chat2sf",
                ["client_secret"] = "chat2sf",
            }), timeout.Token);
            var body = JsonNode.Parse(await token.Content.ReadAsStringAsync(timeout.Token))!;
            http.DefaultRequestHeaders.Authorization = new("Bearer", (string)body["access_token"]!);
            var query = JsonNode.Parse(await http.GetStringAsync("/services/data/v62.0/query?q=SELECT+Email+FROM+Contact", timeout.Token))!;
            ((string)query["records"]![0]!["Email"]!).Should().Be("ann.lee@example.com");

            if (!OperatingSystem.IsWindows())
            {
                // Ctrl+C: a clean stop with exit code 0.
                kill(process.Id, 2).Should().Be(0);
                await process.WaitForExitAsync(timeout.Token);
                process.ExitCode.Should().Be(0);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Broken_seed_file_fails_at_start_with_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{\n  \"records\": [\n");
        try
        {
            using var process = Start("emulator", "--seed", path);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            process.ExitCode.Should().Be(1);
            error.Should().Contain(path).And.Contain("invalid JSON");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054, CA5392 // a one-off test helper; LibraryImport would need unsafe code for nothing
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054, CA5392
}
