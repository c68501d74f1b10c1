using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ChatToSalesforce.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>
/// Four OS processes export one tenant at the same time, 50 conversations each per round, against one org served on
/// loopback with Refresh Token Rotation on and a short session lifetime; between rounds every access token expires (the
/// org's clock moves past the session timeout). Asserted on what the org counted: one token request per expiry, all answered
/// (so no rotated-away token was reused and the family was never revoked), and every conversation exported.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ManyProcessesTests(RedisServer redis, ITestOutputHelper output)
{
    private const int Processes = 4;
    private const int Batch = 50;
    private const int Rounds = 4;

    [SkippableFact]
    public async Task Four_processes_exporting_one_tenant_with_rotation_make_one_token_request_per_expiry_and_never_lose_the_grant()
    {
        var configuration = redis.Require();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var org = new SalesforceEmulator(new SalesforceEmulatorOptions
        {
            RefreshTokenRotation = true,
            SessionTimeout = TimeSpan.FromMinutes(5),
            TimeProvider = clock,
            RequestLogCapacity = 1_000_000,
        });
        var url = await org.StartServerAsync();
        var refreshToken = org.IssueRefreshToken();
        var keys = Directory.CreateTempSubdirectory("chat2sf-dp-");
        var workers = new List<WorkerProcess>();
        try
        {
            CreateKeyRing(keys.FullName);
            var prefix = "t" + Guid.NewGuid().ToString("N")[..12] + ":";
            for (var i = 0; i < Processes; i++)
            {
                workers.Add(WorkerProcess.Start($"w{i}", configuration, prefix, url, refreshToken, keys.FullName));
            }

            await Task.WhenAll(workers.Select(w => w.ExpectAsync("ready")));
            var perExpiry = new List<int>();
            var exported = 0;
            for (var round = 0; round < Rounds; round++)
            {
                if (round > 0)
                {
                    clock.Advance(TimeSpan.FromMinutes(6));   // every session times out: the next API call of each worker answers 401
                }

                var before = org.TokenRequests().Count;
                foreach (var worker in workers)
                {
                    await worker.SendAsync($"round {round}");
                }

                foreach (var line in await Task.WhenAll(workers.Select(w => w.ExpectAsync($"done {round} "))))
                {
                    line.Should().EndWith($"exported={Batch} failed=0");
                    exported += Batch;
                }

                perExpiry.Add(org.TokenRequests().Count - before);
            }

            var refreshes = 0;
            foreach (var worker in workers)
            {
                await worker.SendAsync("quit");
                var bye = await worker.ExpectAsync("bye ");
                refreshes += int.Parse(bye["bye refreshes=".Length..], CultureInfo.InvariantCulture);
            }

            var tokenRequests = org.TokenRequests();
            output.WriteLine($"{Processes} processes x {Batch} concurrent exports x {Rounds} rounds: exported {exported}; token requests per round (round 0: first token, then one expiry each) {string.Join(", ", perExpiry)}; token requests {tokenRequests.Count}, answered 200: {tokenRequests.Count(r => r.StatusCode == 200)}; refreshes by lease holders {refreshes}; API requests {org.RequestLog.Count - tokenRequests.Count}");

            exported.Should().Be(Processes * Batch * Rounds);
            perExpiry.Should().Equal(Enumerable.Repeat(1, Rounds), "exactly one token request per expiry across all processes");
            tokenRequests.Should().OnlyContain(r => r.StatusCode == 200, "no rotated-away refresh token was ever presented (Salesforce would revoke the whole family)");
            refreshes.Should().Be(Rounds);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }

            keys.Delete(recursive: true);
        }
    }

    /// <summary>Creates the key ring once, before the workers start: four workers finding none would each create their own.</summary>
    private static void CreateKeyRing(string folder)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("chat2sf-redis-tests").PersistKeysToFileSystem(new DirectoryInfo(folder));
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("key-ring").Protect("created");
    }

    /// <summary>One worker: <c>dotnet ChatToSalesforce.Redis.Tests.dll worker</c>, driven over stdin/stdout.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
        private readonly List<string> _seen = [];
        private readonly System.Text.StringBuilder _errors = new();

        private WorkerProcess(Process process)
        {
            _process = process;
        }

        public static WorkerProcess Start(string name, string redis, string prefix, Uri url, string refreshToken, string keys)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            start.ArgumentList.Add("worker");
            start.Environment["CHAT2SF_WORKER_NAME"] = name;
            start.Environment["CHAT2SF_WORKER_REDIS"] = redis;
            start.Environment["CHAT2SF_WORKER_PREFIX"] = prefix;
            start.Environment["CHAT2SF_WORKER_INSTANCE"] = url.ToString();
            start.Environment["CHAT2SF_WORKER_REFRESH"] = refreshToken;
            start.Environment["CHAT2SF_WORKER_KEYS"] = keys;
            start.Environment["CHAT2SF_WORKER_BATCH"] = Batch.ToString(CultureInfo.InvariantCulture);
            var process = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
            var worker = new WorkerProcess(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    worker._lines.Writer.TryComplete();
                }
                else
                {
                    worker._lines.Writer.TryWrite(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (worker._errors)
                {
                    worker._errors.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return worker;
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        /// <summary>The next line starting with <paramref name="prefix"/> (a hang guard of 5 minutes, never an assertion on time).</summary>
        public async Task<string> ExpectAsync(string prefix)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                while (true)
                {
                    var line = await _lines.Reader.ReadAsync(guard.Token);
                    _seen.Add(line);
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                string errors;
                lock (_errors)
                {
                    errors = _errors.ToString();
                }

                throw new InvalidOperationException($"The worker never answered '{prefix}'. Its output: {string.Join(" | ", _seen)}; its errors: {errors}", e);
            }
        }

        public void Dispose()
        {
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
