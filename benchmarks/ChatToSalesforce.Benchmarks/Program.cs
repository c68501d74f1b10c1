using BenchmarkDotNet.Running;
using ChatToSalesforce.Benchmarks.Economy;
using ChatToSalesforce.Benchmarks.Emulator;
using ChatToSalesforce.Benchmarks.Memory;

// `economy [--conversations <n>] [--latency-ms <ms>] [--runs <a,b>] [--label <text>] [--json <file>]` runs the
// API-economy benchmark against the emulator; `memory [--conversations <n>] [--checkpoints <k>] [--label <text>]
// [--json <file>]` streams conversations through ExportManyAsync against an instant fake org and measures the heap;
// `emulator-scale` the emulator scale benchmark; anything else goes to BenchmarkDotNet (micro benchmarks).
if (args.Length > 0 && string.Equals(args[0], "economy", StringComparison.OrdinalIgnoreCase))
{
    return await EconomyBenchmark.RunAsync(args[1..]);
}

// `economy-org`: the org process of `economy --org process` (driven through its standard input).
if (args.Length > 0 && string.Equals(args[0], "economy-org", StringComparison.OrdinalIgnoreCase))
{
    return await EconomyOrg.ServeAsync();
}

if (args.Length > 0 && string.Equals(args[0], "memory", StringComparison.OrdinalIgnoreCase))
{
    return await MemoryBenchmark.RunAsync(args[1..]);
}

// `actions [--latency-ms <ms>] [--json <file>]`: the API calls of the visitor lookup and the chatbot actions (issue 15).
if (args.Length > 0 && string.Equals(args[0], "actions", StringComparison.OrdinalIgnoreCase))
{
    return await ChatToSalesforce.Benchmarks.Actions.ActionsBenchmark.RunAsync(args[1..]);
}

// `emulator-scale [--records <n>] [--json <file>]`: the emulator with 1,000,000 records (lookups, memory, loopback rate).
if (args.Length > 0 && string.Equals(args[0], "emulator-scale", StringComparison.OrdinalIgnoreCase))
{
    return await EmulatorScaleBenchmark.RunAsync(args[1..]);
}

// `tenants [--tenants <n>] [--per-tenant <k>] [--latency-ms <ms>] [--many <n>] [--json <file>]`: many tenants in one exporter.
if (args.Length > 0 && string.Equals(args[0], "tenants", StringComparison.OrdinalIgnoreCase))
{
    return await ChatToSalesforce.Benchmarks.Tenants.TenantsBenchmark.RunAsync(args[1..]);
}

// `soak [--conversations <n>] [--batch <n>] [--seed <n>] [--after-commit-status <503|504>] [--replay-fault-rate <r>] [--json <file>]`: faults over four tenants, retried and replayed through the journal (issue 16).
if (args.Length > 0 && string.Equals(args[0], "soak", StringComparison.OrdinalIgnoreCase))
{
    return await ChatToSalesforce.Benchmarks.Soak.SoakBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
