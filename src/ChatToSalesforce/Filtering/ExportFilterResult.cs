namespace ChatToSalesforce.Filtering;

/// <summary>The outcome of an export filter.</summary>
public sealed class ExportFilterResult
{
    private ExportFilterResult(string? skipReason) => SkipReason = skipReason;

    /// <summary>Gets a result that lets the export proceed.</summary>
    public static ExportFilterResult Export { get; } = new(null);

    /// <summary>Gets why the export is skipped, or <see langword="null"/> when it proceeds.</summary>
    public string? SkipReason { get; }

    /// <summary>Gets whether the export proceeds.</summary>
    public bool ShouldExport => SkipReason is null;

    /// <summary>Creates a result that skips the export.</summary>
    /// <param name="reason">Why; no personal data.</param>
    /// <returns>The result.</returns>
    public static ExportFilterResult Skip(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(reason);
    }
}
