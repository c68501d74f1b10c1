using System.Globalization;

namespace ChatToSalesforce.Benchmarks.Economy;

/// <summary>What a process's garbage collector did: bytes allocated, time paused, and collections by generation.</summary>
internal readonly record struct GcStats(long AllocatedBytes, TimeSpan Paused, int Gen0, int Gen1, int Gen2)
{
    /// <summary>
    /// Collects everything the process no longer uses, blocking, before a measured run: a run starts from a settled heap
    /// instead of paying for the warm-up's, the previous run's or the seeding's garbage (as BenchmarkDotNet collects between
    /// iterations).
    /// </summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    public static GcStats Capture() => new(
        GC.GetTotalAllocatedBytes(precise: false), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public static GcStats operator -(GcStats after, GcStats before) => new(
        after.AllocatedBytes - before.AllocatedBytes, after.Paused - before.Paused, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2);

    /// <summary>The form the org process reports its figures in: five numbers separated by spaces.</summary>
    public string ToWire() => string.Create(CultureInfo.InvariantCulture, $"{AllocatedBytes} {Paused.Ticks} {Gen0} {Gen1} {Gen2}");

    public static GcStats FromWire(ReadOnlySpan<string> words) => new(
        long.Parse(words[0], CultureInfo.InvariantCulture),
        TimeSpan.FromTicks(long.Parse(words[1], CultureInfo.InvariantCulture)),
        int.Parse(words[2], CultureInfo.InvariantCulture),
        int.Parse(words[3], CultureInfo.InvariantCulture),
        int.Parse(words[4], CultureInfo.InvariantCulture));

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"allocated {AllocatedBytes / 1e6:F0} MB, paused {Paused.TotalSeconds:F2} s, collections {Gen0}/{Gen1}/{Gen2}");
}
