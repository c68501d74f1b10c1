using BenchmarkDotNet.Running;
using ChatToSalesforce.Benchmarks.Economy;
using ChatToSalesforce.Benchmarks.Emulator;

// `economy [--conversations <n>] [--latency-ms <ms>] [--json <file>]` runs the API-economy benchmark against the
// emulator; `emulator-scale` the emulator scale benchmark; anything else goes to BenchmarkDotNet (micro benchmarks).
if (args.Length > 0 && string.Equals(args[0], "economy", StringComparison.OrdinalIgnoreCase))
{
    return await EconomyBenchmark.RunAsync(args[1..]);
}

// `emulator-scale [--records <n>] [--json <file>]`: the emulator with 1,000,000 records (lookups, memory, loopback rate).
if (args.Length > 0 && string.Equals(args[0], "emulator-scale", StringComparison.OrdinalIgnoreCase))
{
    return await EmulatorScaleBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
