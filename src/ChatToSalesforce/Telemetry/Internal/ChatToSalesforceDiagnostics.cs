using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Failures.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Telemetry.Internal;

/// <summary>The library's static <see cref="ActivitySource"/> and <see cref="Meter"/> (G15), and every instrument (docs/telemetry.md).</summary>
/// <remarks>
/// Tags are low-cardinality identifiers only: operations, status codes, outcomes, failure kinds, org and tenant ids. Never
/// conversation content, person or agent names, email addresses, record values or tokens.
/// </remarks>
internal static class ChatToSalesforceDiagnostics
{
    public static readonly string Version =
        typeof(ChatToSalesforceDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ChatToSalesforceDiagnostics).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    public static readonly ActivitySource ActivitySource = new(ChatToSalesforceTelemetry.SourceName, Version);

    public static readonly Meter Meter = new(ChatToSalesforceTelemetry.SourceName, Version);

    private static readonly ConcurrentDictionary<(string? Tenant, string Org), SalesforceApiUsageSnapshot> UsageByOrg = new();

    private static readonly ConcurrentDictionary<string, byte> ReconnectRequiredTenants = new(StringComparer.Ordinal);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        ChatToSalesforceTelemetry.ApiRequestsMetric, unit: "{request}", description: "Salesforce REST API requests sent.");

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        ChatToSalesforceTelemetry.ApiRequestDurationMetric,
        unit: "s",
        description: "Duration of Salesforce REST API request attempts.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });

    private static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        ChatToSalesforceTelemetry.TokenRequestsMetric, unit: "{request}", description: "OAuth token requests sent to Salesforce.");

    private static readonly Counter<long> Exports = Meter.CreateCounter<long>(
        ChatToSalesforceTelemetry.ExportsMetric, unit: "{conversation}", description: "Conversations whose export finished, by outcome and failure kind.");

#pragma warning disable CA1823 // instruments are kept alive by the meter; the fields document them
    private static readonly ObservableGauge<long> Usage = Meter.CreateObservableGauge(
        ChatToSalesforceTelemetry.ApiUsageMetric, () => Observe(static s => s.Used), unit: "{request}", description: "Salesforce API requests used in the rolling 24 hours.");

    private static readonly ObservableGauge<long> Limit = Meter.CreateObservableGauge(
        ChatToSalesforceTelemetry.ApiLimitMetric, () => Observe(static s => s.Limit), unit: "{request}", description: "Salesforce daily API allocation.");

    private static readonly ObservableGauge<double> Utilization = Meter.CreateObservableGauge(
        ChatToSalesforceTelemetry.ApiUtilizationMetric, () => Observe(static s => s.Limit > 0 ? (double)s.Used / s.Limit : 0d), unit: "1", description: "Share of the Salesforce daily API allocation used.");

    private static readonly ObservableGauge<int> ReconnectRequired = Meter.CreateObservableGauge(
        ChatToSalesforceTelemetry.ReconnectRequiredMetric, ObserveReconnectRequired, unit: "{tenant}", description: "Tenants whose Salesforce connection must be renewed by the customer.");
#pragma warning restore CA1823

    /// <summary>Records one REST API request attempt that got an answer.</summary>
    public static void RecordRequest(string? tenantId, string operation, int statusCode, TimeSpan duration)
    {
        if (!Requests.Enabled && !RequestDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "salesforce.operation", operation },
            { "http.response.status_code", statusCode },
        };
        AddTenant(ref tags, tenantId);
        Requests.Add(1, tags);
        RequestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Records one token request: <paramref name="statusCode"/> when Salesforce answered, else <paramref name="errorType"/>.</summary>
    public static void RecordTokenRequest(string? tenantId, string flow, int? statusCode, string? errorType)
    {
        if (!TokenRequests.Enabled)
        {
            return;
        }

        var tags = new TagList { { "chat_to_salesforce.auth_flow", flow } };
        if (statusCode is { } status)
        {
            tags.Add("http.response.status_code", status);
        }
        else
        {
            tags.Add("error.type", errorType ?? "_OTHER");
        }

        AddTenant(ref tags, tenantId);
        TokenRequests.Add(1, tags);
    }

    /// <summary>Records the outcome of each conversation of a chunk, and tags the single export's span.</summary>
    public static void RecordExports(IReadOnlyList<ExportItem> items, IReadOnlyList<ConversationExportResult> results)
    {
        for (var i = 0; i < results.Count; i++)
        {
            RecordExport(i < items.Count ? items[i].Conversation?.TenantId : null, results[i], single: results.Count == 1);
        }
    }

    /// <summary>Forgets the usage of an org whose tenant was evicted, so idle tenants leave nothing behind.</summary>
    public static void ForgetUsage(string? tenantId, string orgKey) => UsageByOrg.TryRemove((string.IsNullOrEmpty(tenantId) ? null : tenantId, orgKey), out _);

    /// <summary>Records the outcome of one conversation.</summary>
    public static void RecordExport(string? tenantId, ConversationExportResult result, bool single = false)
    {
        var kind = result.Error is { } error ? FailureKindName(ExportFailureClassifier.Classify(error).Kind) : null;
        if (single && Activity.Current is { } activity && activity.Source == ActivitySource)
        {
            AddTenant(activity, tenantId);
            if (kind is not null)
            {
                activity.SetTag("chat_to_salesforce.failure_kind", kind);
            }
        }

        if (!Exports.Enabled)
        {
            return;
        }

        var tags = new TagList { { "chat_to_salesforce.outcome", OutcomeName(result.Status) } };
        if (kind is not null)
        {
            tags.Add("chat_to_salesforce.failure_kind", kind);
        }

        AddTenant(ref tags, tenantId);
        Exports.Add(1, tags);
    }

    /// <summary>Publishes the last API usage a tenant's org reported.</summary>
    public static void RecordUsage(string? tenantId, string orgKey, SalesforceApiUsageSnapshot snapshot) =>
        UsageByOrg[(string.IsNullOrEmpty(tenantId) ? null : tenantId, orgKey)] = snapshot;

    /// <summary>Marks a tenant "reconnect required" (idempotent): its grant is gone until the customer connects again.</summary>
    /// <param name="tenantId">The tenant id; never a name or an email address.</param>
    public static void MarkReconnectRequired(string tenantId) => ReconnectRequiredTenants.TryAdd(tenantId ?? string.Empty, 0);

    /// <summary>Clears a tenant's "reconnect required" mark (the customer connected again, or the tenant was removed).</summary>
    public static void ClearReconnectRequired(string tenantId) => ReconnectRequiredTenants.TryRemove(tenantId ?? string.Empty, out _);

    /// <summary>Adds the tenant tag to a span (not for the tenant configured at start-up).</summary>
    public static void AddTenant(Activity? activity, string? tenantId)
    {
        if (activity is not null && !string.IsNullOrEmpty(tenantId))
        {
            activity.SetTag(ChatToSalesforceTelemetry.TenantTag, tenantId);
        }
    }

    /// <summary>The tag value of a failure kind (snake case, as OpenTelemetry attribute values are conventionally written).</summary>
    public static string FailureKindName(ExportFailureKind kind) => kind switch
    {
        ExportFailureKind.RetryLater => "retry_later",
        ExportFailureKind.WaitForWindow => "wait_for_window",
        ExportFailureKind.Reconnect => "reconnect",
        ExportFailureKind.FixConfiguration => "fix_configuration",
        ExportFailureKind.RejectedData => "rejected_data",
        _ => "_OTHER",
    };

    private static string OutcomeName(ExportStatus status) => status switch
    {
        ExportStatus.Exported => "exported",
        ExportStatus.Skipped => "skipped",
        ExportStatus.Failed => "failed",
        _ => "_OTHER",
    };

    private static void AddTenant(ref TagList tags, string? tenantId)
    {
        if (!string.IsNullOrEmpty(tenantId))
        {
            tags.Add(ChatToSalesforceTelemetry.TenantTag, tenantId);
        }
    }

    private static IEnumerable<Measurement<T>> Observe<T>(Func<SalesforceApiUsageSnapshot, T> value)
        where T : struct
    {
        foreach (var ((tenant, org), snapshot) in UsageByOrg)
        {
            var tags = new TagList { { "salesforce.org_id", org } };
            AddTenant(ref tags, tenant);
            yield return new Measurement<T>(value(snapshot), tags);
        }
    }

    private static IEnumerable<Measurement<int>> ObserveReconnectRequired()
    {
        foreach (var tenant in ReconnectRequiredTenants.Keys)
        {
            yield return new Measurement<int>(1, new KeyValuePair<string, object?>(ChatToSalesforceTelemetry.TenantTag, tenant));
        }
    }
}
