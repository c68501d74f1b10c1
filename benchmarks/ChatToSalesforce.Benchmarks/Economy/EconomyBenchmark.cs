namespace ChatToSalesforce.Benchmarks.Economy;

/// <summary>The API-economy benchmark (runs once the emulator is available).</summary>
internal static class EconomyBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("The economy benchmark needs ChatToSalesforce.Testing (the emulator).");
        return Task.FromResult(2);
    }
}
