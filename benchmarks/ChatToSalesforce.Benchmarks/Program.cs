using BenchmarkDotNet.Running;
using ChatToSalesforce.Benchmarks.Economy;

// `economy [--conversations <n>] [--latency-ms <ms>] [--json <file>]` runs the API-economy benchmark against the
// emulator; anything else goes to BenchmarkDotNet (micro benchmarks).
if (args.Length > 0 && string.Equals(args[0], "economy", StringComparison.OrdinalIgnoreCase))
{
    return await EconomyBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
