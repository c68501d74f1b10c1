namespace ChatToSalesforce.Telemetry;

/// <summary>The names this library publishes traces and metrics under.</summary>
/// <remarks>Subscribe with <c>AddSource(ChatToSalesforceTelemetry.SourceName)</c> and <c>AddMeter(ChatToSalesforceTelemetry.SourceName)</c>.</remarks>
public static class ChatToSalesforceTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> used by this library.</summary>
    public const string SourceName = "ChatToSalesforce";

    /// <summary>Observable gauge: API requests used in the rolling 24 hours, per org (tag <c>salesforce.org_id</c>).</summary>
    public const string ApiUsageMetric = "chat_to_salesforce.api.usage";

    /// <summary>Observable gauge: the daily API allocation, per org (tag <c>salesforce.org_id</c>).</summary>
    public const string ApiLimitMetric = "chat_to_salesforce.api.limit";

    /// <summary>Counter: REST API requests sent (tags <c>salesforce.operation</c>, <c>http.response.status_code</c>).</summary>
    public const string ApiRequestsMetric = "chat_to_salesforce.api.requests";

    /// <summary>Counter: tenants Salesforce declared "reconnect required" (their grant is gone), tagged with <c>chat_to_salesforce.tenant</c>.</summary>
    public const string ReconnectRequiredMetric = "chat_to_salesforce.tenant.reconnect_required";
}
