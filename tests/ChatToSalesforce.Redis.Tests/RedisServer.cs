using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>
/// A real redis-server for the token-sharing tests: the one <c>.ci/run</c> starts (its address in <see cref="EnvironmentVariable"/>),
/// or, under a plain <c>dotnet test</c>, one this fixture starts itself from <c>/usr/bin/redis-server</c> (loopback only, a
/// free port, nothing persisted; stopped afterwards). Without either, the tests report themselves skipped with the reason.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "CHAT2SF_TEST_REDIS";

    private const string Binary = "/usr/bin/redis-server";

    private string? _folder;
    private int? _pid;

    /// <summary>The StackExchange.Redis configuration string of the server (host:port), or <see langword="null"/> when there is none.</summary>
    public string? Configuration { get; private set; }

    public string? SkipReason { get; private set; }

    public IConnectionMultiplexer? Connection { get; private set; }

    /// <summary>The configuration, or skips the calling test with the reason.</summary>
    public string Require()
    {
        Skip.If(Configuration is null, SkipReason);
        return Configuration!;
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            Configuration = configured;
        }
        else if (!File.Exists(Binary))
        {
            SkipReason = $"redis-server is not installed ({Binary} is missing) and {EnvironmentVariable} is not set; .ci/run installs and starts it (apt-get install redis-server).";
            return;
        }
        else
        {
            try
            {
                Configuration = await StartAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or RedisException)
            {
                SkipReason = $"Could not start {Binary}: {e.Message}";
                return;
            }
        }

        Connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (_pid is { } pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task<string> StartAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "chat2sf-redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var port = FreePort();
        var pidFile = Path.Combine(_folder, "redis.pid");
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", string.Empty, "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidFile, "--dir", _folder, "--logfile", Path.Combine(_folder, "redis.log") })
        {
            start.ArgumentList.Add(a);
        }

        using (var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start."))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}: {(await stderr).Trim()}");
            }
        }

        var configuration = $"127.0.0.1:{port}";
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
            {
                _pid = pid;
                try
                {
                    await using var probe = await ConnectionMultiplexer.ConnectAsync(configuration + ",connectTimeout=1000");
                    await probe.GetDatabase().PingAsync();
                    return configuration;
                }
                catch (RedisConnectionException) when (attempt < 30)
                {
                }
            }
            else if (attempt >= 30)
            {
                throw new InvalidOperationException("redis-server wrote no pid file.");
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis";
}
