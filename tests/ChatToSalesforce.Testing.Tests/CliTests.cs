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

    [Fact]
    public async Task Emulator_command_serves_several_orgs_each_with_its_url_and_credentials()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "Samples", "emulator-seed.json");
        using var process = Start("emulator", "--orgs", "acme,globex", "--seed", seed);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var lines = new List<string[]>();
            for (var i = 0; i < 2; i++)
            {
                lines.Add((await process.StandardOutput.ReadLineAsync(timeout.Token))!.Split('\t'));
            }

            lines.Select(l => l[0]).Should().Equal("acme", "globex");
            lines.Should().OnlyContain(l => l.Length == 4 && l[1].StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
            lines[0][1].Should().NotBe(lines[1][1]);
            lines[0][2].Should().Be("chat2sf-acme");
            lines[0][3].Should().NotBe(lines[1][3]);

            using var http = new HttpClient();
            var orgIds = new List<string>();
            foreach (var (name, url, clientId, secret) in lines.Select(l => (l[0], l[1], l[2], l[3])))
            {
                using var token = await http.PostAsync(url + "/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = clientId,
                    ["client_secret"] = secret,
                }), timeout.Token);
                var body = JsonNode.Parse(await token.Content.ReadAsStringAsync(timeout.Token))!;
                ((string)body["instance_url"]!).Should().Be(url, name);
                orgIds.Add(((string)body["id"]!).Split('/')[^2]);
                using var query = new HttpRequestMessage(HttpMethod.Get, url + "/services/data/v62.0/query?q=SELECT+Email+FROM+Contact");
                query.Headers.Authorization = new("Bearer", (string)body["access_token"]!);
                using var reply = await http.SendAsync(query, timeout.Token);
                var records = JsonNode.Parse(await reply.Content.ReadAsStringAsync(timeout.Token))!;
                ((string)records["records"]![0]!["Email"]!).Should().Be("ann.lee@example.com", "--seed seeds every org");
            }

            orgIds.Should().OnlyHaveUniqueItems();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("acme,-bad", "--orgs: The org name '-bad' is not a DNS label")]
    [InlineData("acme,,b", "--orgs must be a comma-separated list")]
    [InlineData("acme,ACME", "--orgs: The cluster already has an org named 'ACME'.")]
    public async Task Emulator_command_rejects_bad_org_lists(string orgs, string message)
    {
        using var process = Start("emulator", "--orgs", orgs);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(2);
        error.Should().Contain(message);
    }

    [Fact]
    public async Task Emulator_command_refuses_a_port_with_several_orgs()
    {
        using var process = Start("emulator", "--orgs", "a,b", "--port", "5000");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.Should().Be(2);
        error.Should().Contain("--port cannot be used with --orgs");
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054, CA5392 // a one-off test helper; LibraryImport would need unsafe code for nothing
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054, CA5392
}
