using ChatToSalesforce.DependencyInjection.Internal;

namespace ChatToSalesforce.Tenancy;

/// <summary>How the SDK keeps the state of tenants from an <see cref="ISalesforceTenantStore"/> (tokens, caches, usage).</summary>
public sealed class SalesforceTenancyOptions
{
    /// <summary>A tenant with no export for this long has its state evicted (its next export starts with a token request). Default 30 minutes.</summary>
    [SettingRange("00:00:00", null, "must be positive, for example 30 minutes.", MinimumIsExclusive = true)]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>At most this many tenants keep state in the process; beyond it the least recently used are evicted. Default 2,000.</summary>
    [SettingRange(1, int.MaxValue, "must be at least 1.")]
    public int MaxActiveTenants { get; set; } = 2_000;

    /// <summary>
    /// At most this many chunks (of up to 200 conversations of one tenant) of one <c>ExportManyAsync</c> run at once, across
    /// tenants. Each tenant's own requests are further limited by its <see cref="SalesforceChatExportOptions.MaxConcurrency"/>. Default 16.
    /// </summary>
    [SettingRange(1, 256, "must be between 1 and 256.")]
    public int MaxConcurrentChunks { get; set; } = 16;

    /// <inheritdoc/>
    public override string ToString() => $"SalesforceTenancyOptions {{ IdleTimeout = {IdleTimeout}, MaxActiveTenants = {MaxActiveTenants} }}";
}
