using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>The transport's log messages (event ids 1000–1099). Never logs tokens, secrets, SOQL literals or record content.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1000, EventName = "TokenRequested", Level = LogLevel.Debug, Message = "Requesting a Salesforce access token with the {Flow} flow from {TokenHost}.")]
    public static partial void TokenRequested(ILogger logger, SalesforceAuthFlow flow, string tokenHost);

    [LoggerMessage(EventId = 1001, EventName = "TokenAcquired", Level = LogLevel.Information, Message = "Obtained a Salesforce access token ({Flow}) for org {OrganizationId}, user {UserId}, instance {InstanceHost}.")]
    public static partial void TokenAcquired(ILogger logger, SalesforceAuthFlow flow, string? organizationId, string? userId, string instanceHost);

    [LoggerMessage(EventId = 1002, EventName = "TokenRequestFailed", Level = LogLevel.Warning, Message = "The Salesforce token request ({Flow}) failed with HTTP {StatusCode}: {Error}.")]
    public static partial void TokenRequestFailed(ILogger logger, SalesforceAuthFlow flow, int statusCode, string? error);

    [LoggerMessage(EventId = 1003, EventName = "RefreshTokenRotated", Level = LogLevel.Information, Message = "Salesforce rotated the refresh token; the new one is used from now on and was handed to the refresh token store.")]
    public static partial void RefreshTokenRotated(ILogger logger);

    [LoggerMessage(EventId = 1004, EventName = "RefreshTokenStoreFailed", Level = LogLevel.Error, Message = "The refresh token store failed to persist a rotated refresh token; the new token is kept in memory, but a restart would reuse the old one.")]
    public static partial void RefreshTokenStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1005, EventName = "SessionExpired", Level = LogLevel.Information, Message = "Salesforce rejected the session (401 INVALID_SESSION_ID) for {Operation}; re-authenticating once and replaying.")]
    public static partial void SessionExpired(ILogger logger, string operation);

    [LoggerMessage(EventId = 1010, EventName = "RequestFailed", Level = LogLevel.Debug, Message = "Salesforce {Operation} failed with HTTP {StatusCode} {ErrorCode} ({Kind}).")]
    public static partial void RequestFailed(ILogger logger, string operation, int statusCode, string? errorCode, SalesforceErrorKind kind);

    [LoggerMessage(EventId = 1011, EventName = "Retrying", Level = LogLevel.Warning, Message = "Retrying a Salesforce request (attempt {Attempt}) after {Delay} because of {Reason}.")]
    public static partial void Retrying(ILogger logger, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 1012, EventName = "RequestLimitCircuitOpened", Level = LogLevel.Error, Message = "Salesforce reported the org's daily API allocation exhausted (REQUEST_LIMIT_EXCEEDED); requests fail fast until {Until:u}.")]
    public static partial void RequestLimitCircuitOpened(ILogger logger, DateTimeOffset until);
}
