using System.Diagnostics;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Benchmarks.Economy;

/// <summary>Where a run sends its requests: the org's URL, an access token, and the HTTP handler to reach it.</summary>
internal sealed record OrgEndpoint(Uri InstanceUrl, string AccessToken, Func<HttpMessageHandler> CreateHandler);

/// <summary>
/// One org per run, seeded with a workload: in this process (the emulator's in-process handler), or in an org process
/// of its own reached over loopback HTTP, as Salesforce is reached over the network.
/// </summary>
/// <remarks>
/// In one process, the org's work (it writes every record under one lock) and its garbage collections share a heap and a
/// scheduler with the client being measured: a client's collection pauses the org for every other request in flight, and
/// the org's pauses stall the client. In an org process, client and org pause independently; both still share the
/// machine's cores.
/// </remarks>
internal abstract class EconomyOrg : IAsyncDisposable
{
    public abstract Task<OrgEndpoint> StartAsync(EconomyWorkload workload, TimeSpan latency);

    /// <summary>
    /// Returns the API calls the org counted since <see cref="StartAsync"/>, the end-state problems and what the org
    /// process's garbage collector did meanwhile (<see langword="null"/> in this process), then stops the org.
    /// </summary>
    public abstract Task<(long Calls, IReadOnlyList<string> Problems, GcStats? OrgGc)> FinishAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>The processor time the org's own process has used so far; <see langword="null"/> when it shares this process.</summary>
    public abstract TimeSpan? OrgProcessorTime { get; }

    /// <summary>The org in this process.</summary>
    internal sealed class InProcess : EconomyOrg
    {
        private SalesforceEmulator? _emulator;
        private EconomyWorkload? _workload;

        public override TimeSpan? OrgProcessorTime => null;

        public override Task<OrgEndpoint> StartAsync(EconomyWorkload workload, TimeSpan latency)
        {
            _workload = workload;
            _emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { Latency = latency, DailyApiLimit = 10_000_000 });
            workload.Seed(_emulator);
            _emulator.ResetApiUsage();
            return Task.FromResult(new OrgEndpoint(_emulator.InstanceUrl, _emulator.IssueAccessToken(), _emulator.CreateHandler));
        }

        public override async Task<(long Calls, IReadOnlyList<string> Problems, GcStats? OrgGc)> FinishAsync()
        {
            var result = (_emulator!.ApiCallsUsed, _workload!.Verify(_emulator), (GcStats?)null);
            await _emulator.DisposeAsync();
            _emulator = null;
            return result;
        }

        public override async ValueTask DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }
    }

    /// <summary>The org in a child process (this program's <c>economy-org</c> command), driven through its standard input.</summary>
    internal sealed class OwnProcess : EconomyOrg
    {
        private readonly Process _process;

        private OwnProcess(Process process) => _process = process;

        public override TimeSpan? OrgProcessorTime
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        public static OwnProcess Launch()
        {
            var host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable.");
            var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                start.ArgumentList.Add(typeof(EconomyOrg).Assembly.Location);
            }

            start.ArgumentList.Add("economy-org");

            // A diagnostics tool attached to the benchmark (dotnet-trace) sets this for the process it starts; the org
            // process would inherit it and wait at start-up for a tool that never connects.
            start.Environment.Remove("DOTNET_DiagnosticPorts");
            return new OwnProcess(Process.Start(start) ?? throw new InvalidOperationException("The org process did not start."));
        }

        public override async Task<OrgEndpoint> StartAsync(EconomyWorkload workload, TimeSpan latency)
        {
            await _process.StandardInput.WriteLineAsync($"start {workload.Conversations.Count} {(int)latency.TotalMilliseconds}");
            var ready = await ReadAsync("READY");
            var parts = ready.Split(' ');
            return new OrgEndpoint(new Uri(parts[1]), parts[2], () => new SocketsHttpHandler());
        }

        public override async Task<(long Calls, IReadOnlyList<string> Problems, GcStats? OrgGc)> FinishAsync()
        {
            await _process.StandardInput.WriteLineAsync("finish");
            var words = (await ReadAsync("CALLS")).Split(' ');
            var calls = long.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture);
            var count = int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture);
            var problems = new List<string>();
            for (var line = await ReadAsync(null); line != "END"; line = await ReadAsync(null))
            {
                problems.Add(line);
            }

            problems.AddRange(Enumerable.Repeat("(another problem)", count - problems.Count));
            return (calls, problems, GcStats.FromWire(words.AsSpan(3)));
        }

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("exit");
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        private async Task<string> ReadAsync(string? prefix)
        {
            var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The org process ended.");
            return prefix is null || line.StartsWith(prefix, StringComparison.Ordinal)
                ? line
                : throw new InvalidOperationException($"The org process answered '{line}', expected {prefix}.");
        }
    }

    /// <summary>
    /// The org process (<c>economy-org</c>): <c>start n latency-ms</c> seeds a fresh emulator with the workload of n
    /// conversations and serves it on loopback (<c>READY url token</c>); <c>finish</c> answers the API calls and the
    /// end-state problems and the org process's collector figures since <c>start</c> (<c>CALLS calls problems
    /// allocated-bytes paused-ticks gen0 gen1 gen2</c>, the first three problems, <c>END</c>) and stops it; <c>exit</c> ends the
    /// process.
    /// </summary>
    public static async Task<int> ServeAsync()
    {
        SalesforceEmulator? emulator = null;
        EconomyWorkload? workload = null;
        var gc = default(GcStats);
        for (var line = Console.ReadLine(); line is not null && line != "exit"; line = Console.ReadLine())
        {
            var words = line.Split(' ');
            if (words[0] == "start")
            {
                workload = EconomyWorkload.Create(int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture));
                emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { Latency = TimeSpan.FromMilliseconds(int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture)), DailyApiLimit = 10_000_000 });
                workload.Seed(emulator);
                emulator.ResetApiUsage();
                var url = await emulator.StartServerAsync();
                GcStats.Settle();
                gc = GcStats.Capture();
                Console.WriteLine($"READY {url} {emulator.IssueAccessToken()}");
            }
            else if (words[0] == "finish" && emulator is not null)
            {
                var calls = emulator.ApiCallsUsed;
                var used = GcStats.Capture() - gc;
                var problems = workload!.Verify(emulator);
                await emulator.DisposeAsync();
                emulator = null;
                Console.WriteLine($"CALLS {calls} {problems.Count} {used.ToWire()}");
                foreach (var problem in problems.Take(3))
                {
                    Console.WriteLine(problem.ReplaceLineEndings(" "));
                }

                Console.WriteLine("END");
            }
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        return 0;
    }
}
