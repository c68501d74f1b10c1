using System.Globalization;

namespace ChatToSalesforce.Benchmarks;

/// <summary>
/// The benchmarks' one command-line reader: <c>--name value</c> pairs, each value checked by its option; an unknown option,
/// a missing value or an invalid one is reported with the benchmark's usage.
/// </summary>
internal static class BenchmarkArguments
{
    /// <summary>Reads the arguments into the options' setters.</summary>
    /// <param name="args">The arguments after the benchmark's name.</param>
    /// <param name="usage">The benchmark's usage line.</param>
    /// <param name="options">Each option's setter: it takes the value and returns <see langword="false"/> when it is invalid.</param>
    /// <returns>Whether every argument was read; otherwise the error is written to standard error.</returns>
    public static async Task<bool> TryReadAsync(string[] args, string usage, IReadOnlyDictionary<string, Func<string, bool>> options)
    {
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!options.TryGetValue(args[i], out var set) || i + 1 >= args.Length || !set(args[i + 1]))
            {
                await Console.Error.WriteLineAsync($"Unknown or invalid argument '{args[i]}'. {usage}");
                return false;
            }
        }

        return true;
    }

    /// <summary>An integer option: parsed with the invariant culture and accepted when <paramref name="valid"/> says so.</summary>
    public static Func<string, bool> Int(Func<int, bool> valid, Action<int> set) => value =>
    {
        if (!int.TryParse(value, CultureInfo.InvariantCulture, out var n) || !valid(n))
        {
            return false;
        }

        set(n);
        return true;
    };

    /// <summary>A text option (any value).</summary>
    public static Func<string, bool> Text(Action<string> set) => value =>
    {
        set(value);
        return true;
    };
}
