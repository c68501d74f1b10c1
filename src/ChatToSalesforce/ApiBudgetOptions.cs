using ChatToSalesforce.DependencyInjection.Internal;

namespace ChatToSalesforce;

/// <summary>
/// Shares of the org's daily API allocation at which each kind of work stops (for example backfills at 0.4, live exports
/// at 0.8, interactive work at 0.95). A kind left unset uses <see cref="SalesforceChatExportOptions.ApiBudget"/>. Work that
/// is stopped fails with <see cref="SalesforceApiBudgetExceededException"/> (<see cref="ExportFailureKind.WaitForWindow"/>,
/// with when to try again) without sending anything.
/// </summary>
public sealed class ApiBudgetOptions
{
    private const string ShareMessage = "must be a share of the daily allocation in (0, 1], for example 0.8; or leave it unset.";

    /// <summary>Gets or sets the share at which backfills stop, in (0, 1].</summary>
    [SettingRange(0d, 1d, ShareMessage, MinimumIsExclusive = true)]
    public double? Backfill { get; set; }

    /// <summary>Gets or sets the share at which live exports stop, in (0, 1].</summary>
    [SettingRange(0d, 1d, ShareMessage, MinimumIsExclusive = true)]
    public double? Live { get; set; }

    /// <summary>Gets or sets the share at which lookups and bot actions stop, in (0, 1].</summary>
    [SettingRange(0d, 1d, ShareMessage, MinimumIsExclusive = true)]
    public double? Interactive { get; set; }

    /// <summary>The share for a kind of work, or <see langword="null"/> when it has none of its own.</summary>
    internal double? For(ApiWorkPriority priority) => priority switch
    {
        ApiWorkPriority.Backfill => Backfill,
        ApiWorkPriority.Live => Live,
        _ => Interactive,
    };

    /// <inheritdoc/>
    public override string ToString() => $"ApiBudgetOptions {{ Backfill = {Backfill}, Live = {Live}, Interactive = {Interactive} }}";
}
