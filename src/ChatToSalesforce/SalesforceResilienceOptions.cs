using ChatToSalesforce.DependencyInjection.Internal;

namespace ChatToSalesforce;

/// <summary>Configures how Salesforce calls are retried and timed out.</summary>
/// <remarks>Only requests that are safe to repeat are retried (GET, PATCH by id, upsert by external id, DELETE, and composites whose writes are all upserts or updates).</remarks>
public sealed class SalesforceResilienceOptions
{
    /// <summary>Gets or sets the maximum number of retries after the first attempt.</summary>
    /// <value>Defaults to 3; 0 disables retries.</value>
    [SettingRange(0, 10, "must be between 0 and 10.")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the exponential backoff (jitter is added).</summary>
    /// <value>Defaults to 500 ms.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>Defaults to 30 seconds.</value>
    [SettingRange("00:00:00", "1.00:00:00", "must not be above 1.00:00:00 (one day).")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the timeout of one attempt.</summary>
    /// <value>Defaults to 100 seconds.</value>
    [SettingRange("00:00:00.010", "1.00:00:00", "must be between 00:00:00.010 (10 milliseconds) and 1.00:00:00 (one day).")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets or sets the timeout of a call including all its retries.</summary>
    /// <value>Defaults to 5 minutes.</value>
    [SettingRange("00:00:00.010", "1.00:00:00", "must be between 00:00:00.010 (10 milliseconds) and 1.00:00:00 (one day).")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long exports fail fast after Salesforce reports the daily API allocation exhausted (<c>REQUEST_LIMIT_EXCEEDED</c>).</summary>
    /// <value>Defaults to 15 minutes.</value>
    [SettingRange("00:00:01", null, "must be at least 1 second.")]
    public TimeSpan RequestLimitBreakDuration { get; set; } = TimeSpan.FromMinutes(15);
}
