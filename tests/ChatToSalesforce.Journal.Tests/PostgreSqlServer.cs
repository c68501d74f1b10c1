using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChatToSalesforce.Journal.Tests;

/// <summary>
/// A real PostgreSQL server for the journal's integration tests: the one <c>.ci/run</c> starts (its connection string in
/// <see cref="EnvironmentVariable"/>), or, under a plain <c>dotnet test</c>, one this fixture starts itself from the installed
/// binaries (initdb into a temp folder, loopback only, a free port; stopped afterwards). Without either, the tests report
/// themselves skipped with the reason.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "CHAT2SF_TEST_POSTGRESQL";

    private string? _folder;
    private string? _binaries;

    public string? ConnectionString { get; private set; }

    public string? SkipReason { get; private set; }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            ConnectionString = configured;
            return;
        }

        _binaries = FindBinaries();
        if (_binaries is null)
        {
            SkipReason = $"PostgreSQL is not installed (no initdb and pg_ctl found) and {EnvironmentVariable} is not set; .ci/run installs and starts it.";
            return;
        }

        try
        {
            ConnectionString = await StartAsync(_binaries);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            SkipReason = $"Could not start PostgreSQL from {_binaries}: {e.Message}";
        }
    }

    public async Task DisposeAsync()
    {
        if (_folder is null || _binaries is null)
        {
            return;
        }

        await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "stop"], check: false);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A connection string to a fresh schema of its own (tests never see each other's rows).</summary>
    public async Task<string> NewSchemaAsync()
    {
        Skip.If(ConnectionString is null, SkipReason);
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string>();
        try
        {
            using var pgConfig = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (pgConfig is not null)
            {
                candidates.Add(pgConfig.StandardOutput.ReadToEnd().Trim());
                pgConfig.WaitForExit();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no pg_config on the PATH
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin")));
        }

        candidates.Add("/usr/local/bin");
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private async Task<string> StartAsync(string binaries)
    {
        _folder = Path.Combine(Path.GetTempPath(), "chat2sf-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var data = Path.Combine(_folder, "data");
        if (Environment.UserName == "root")
        {
            // PostgreSQL refuses to run as root: the server runs as the postgres user, which owns the temp folder.
            await RunAsync("chown", ["postgres", _folder], check: true, asRoot: true);
        }

        await RunAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "chat2sf", "--auth=trust", "-E", "UTF8", "--no-locale"], check: true);
        var port = FreePort();
        await RunAsync(
            Path.Combine(binaries, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o", $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
            check: true);
        return $"Host=127.0.0.1;Port={port};Username=chat2sf;Database=postgres";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments, bool check, bool asRoot = false)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.UserName == "root" && !asRoot)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}: {(await stderr).Trim()}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "postgresql";
}
