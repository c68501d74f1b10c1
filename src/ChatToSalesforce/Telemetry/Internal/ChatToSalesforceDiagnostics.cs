using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Telemetry.Internal;

/// <summary>The library's static <see cref="ActivitySource"/> and <see cref="Meter"/> (G15), and the transport's instruments.</summary>
internal static class ChatToSalesforceDiagnostics
{
    public static readonly string Version =
        typeof(ChatToSalesforceDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ChatToSalesforceDiagnostics).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    public static readonly ActivitySource ActivitySource = new(ChatToSalesforceTelemetry.SourceName, Version);

    public static readonly Meter Meter = new(ChatToSalesforceTelemetry.SourceName, Version);

    private static readonly ConcurrentDictionary<string, SalesforceApiUsageSnapshot> UsageByOrg = new(StringComparer.Ordinal);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        ChatToSalesforceTelemetry.ApiRequestsMetric, unit: "{request}", description: "Salesforce REST API requests sent.");

#pragma warning disable CA1823 // instruments are kept alive by the meter; the fields document them
    private static readonly ObservableGauge<long> Usage = Meter.CreateObservableGauge(
        ChatToSalesforceTelemetry.ApiUsageMetric, () => Observe(static s => s.Used), unit: "{request}", description: "Salesforce API requests used in the rolling 24 hours.");

    private static readonly ObservableGauge<long> Limit = Meter.CreateObservableGauge(
        ChatToSalesforceTelemetry.ApiLimitMetric, () => Observe(static s => s.Limit), unit: "{request}", description: "Salesforce daily API allocation.");
#pragma warning restore CA1823

    public static void RecordRequest(string operation, int statusCode)
    {
        if (Requests.Enabled)
        {
            Requests.Add(1, new KeyValuePair<string, object?>("salesforce.operation", operation), new KeyValuePair<string, object?>("http.response.status_code", statusCode));
        }
    }

    private static readonly Counter<long> Reconnects = Meter.CreateCounter<long>(
        ChatToSalesforceTelemetry.ReconnectRequiredMetric, unit: "{tenant}", description: "Tenants whose Salesforce grant is gone and who must reconnect.");

    /// <summary>Counts a tenant that must reconnect (once per lost grant). The tenant id is the host's identifier, never a name or secret.</summary>
    public static void ReconnectRequired(string tenantId) =>
        Reconnects.Add(1, new KeyValuePair<string, object?>("chat_to_salesforce.tenant", tenantId));

    /// <summary>Forgets the usage of an org whose tenant was evicted, so idle tenants leave nothing behind.</summary>
    public static void ForgetUsage(string orgKey) => UsageByOrg.TryRemove(orgKey, out _);

    public static void RecordUsage(string orgKey, SalesforceApiUsageSnapshot snapshot) => UsageByOrg[orgKey] = snapshot;

    private static IEnumerable<Measurement<long>> Observe(Func<SalesforceApiUsageSnapshot, long> value)
    {
        foreach (var (org, snapshot) in UsageByOrg)
        {
            yield return new Measurement<long>(value(snapshot), new KeyValuePair<string, object?>("salesforce.org_id", org));
        }
    }
}
