namespace ChatToSalesforce.Telemetry;

/// <summary>The names this library publishes traces and metrics under (docs/telemetry.md).</summary>
/// <remarks>
/// Subscribe with <c>AddSource(ChatToSalesforceTelemetry.SourceName)</c> and <c>AddMeter(ChatToSalesforceTelemetry.SourceName)</c>.
/// No tag carries conversation content, names, email addresses or tokens: tenants are tagged by the id the host gave them.
/// </remarks>
public static class ChatToSalesforceTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/> used by this library.</summary>
    public const string SourceName = "ChatToSalesforce";

    /// <summary>Observable gauge: API requests used in the rolling 24 hours, per org (tags <c>salesforce.org_id</c>, <c>chat_to_salesforce.tenant</c>).</summary>
    public const string ApiUsageMetric = "chat_to_salesforce.api.usage";

    /// <summary>Observable gauge: the daily API allocation, per org (tags <c>salesforce.org_id</c>, <c>chat_to_salesforce.tenant</c>).</summary>
    public const string ApiLimitMetric = "chat_to_salesforce.api.limit";

    /// <summary>Observable gauge: the share of the daily API allocation used, 0 to 1, per org (tags <c>salesforce.org_id</c>, <c>chat_to_salesforce.tenant</c>); compare it with <see cref="SalesforceChatExportOptions.ApiBudget"/>.</summary>
    public const string ApiUtilizationMetric = "chat_to_salesforce.api.utilization";

    /// <summary>Counter: REST API requests sent (tags <c>salesforce.operation</c>, <c>http.response.status_code</c>, <c>chat_to_salesforce.tenant</c>).</summary>
    public const string ApiRequestsMetric = "chat_to_salesforce.api.requests";

    /// <summary>Histogram, seconds: duration of one REST API request attempt (tags as <see cref="ApiRequestsMetric"/>).</summary>
    public const string ApiRequestDurationMetric = "chat_to_salesforce.api.request.duration";

    /// <summary>Counter: OAuth token requests sent (tags <c>chat_to_salesforce.auth_flow</c>, <c>http.response.status_code</c> when answered, <c>error.type</c> when not, <c>chat_to_salesforce.tenant</c>).</summary>
    public const string TokenRequestsMetric = "chat_to_salesforce.token.requests";

    /// <summary>Counter: conversations whose export finished (tags <c>chat_to_salesforce.outcome</c>, <c>chat_to_salesforce.failure_kind</c> when failed, <c>chat_to_salesforce.tenant</c>).</summary>
    public const string ExportsMetric = "chat_to_salesforce.exports";

    /// <summary>Observable gauge: 1 for every tenant whose connection must be renewed by the customer (tag <c>chat_to_salesforce.tenant</c>); sum it for the number of such tenants.</summary>
    public const string ReconnectRequiredMetric = "chat_to_salesforce.tenant.reconnect_required";

    /// <summary>The tag that carries the tenant id (<see cref="Conversation.TenantId"/>); absent for the tenant configured at start-up.</summary>
    public const string TenantTag = "chat_to_salesforce.tenant";
}
