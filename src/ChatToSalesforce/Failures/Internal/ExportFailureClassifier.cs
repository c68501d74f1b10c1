using System.Text.Json;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Failures.Internal;

/// <summary>A failure's kind and the suggested delay before the next attempt (<see langword="null"/>: do not retry on a timer).</summary>
internal readonly record struct ExportFailure(ExportFailureKind Kind, TimeSpan? RetryAfter);

/// <summary>
/// The one place every failure the SDK produces is mapped to an <see cref="ExportFailureKind"/> (docs/failures-and-queues.md).
/// Derived from the error alone, so results, exceptions, logs and metrics agree without the exporter deciding anything.
/// </summary>
internal static class ExportFailureClassifier
{
    /// <summary>The suggested delay of <see cref="ExportFailureKind.RetryLater"/>: the SDK has already retried with backoff.</summary>
    public static readonly TimeSpan RetryLaterDelay = TimeSpan.FromMinutes(1);

    /// <summary>The suggested delay of <see cref="ExportFailureKind.WaitForWindow"/> when the error does not say (the default request-limit break).</summary>
    public static readonly TimeSpan WindowDelay = TimeSpan.FromMinutes(15);

    /// <summary>Salesforce error codes that mean the configuration, the integration user's permissions or the org's setup is at fault.</summary>
    private static readonly HashSet<string> ConfigurationCodes = new(StringComparer.Ordinal)
    {
        "INVALID_FIELD", "INVALID_TYPE", "INVALID_FIELD_FOR_INSERT_UPDATE", "MALFORMED_QUERY", "NOT_FOUND", "INVALID_SESSION_ID",
        "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY", "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
        "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED", "TXN_SECURITY_NO_ACCESS", "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
        "FUNCTIONALITY_NOT_ENABLED", "INVALID_API_VERSION", "UNEXPECTED_REDIRECT", "NO_SUCH_COLUMN",
    };

    /// <summary>Codes about this conversation's records even when the HTTP status alone would suggest a configuration problem.</summary>
    private static readonly HashSet<string> DataCodes = new(StringComparer.Ordinal)
    {
        "ENTITY_IS_DELETED", "ENTITY_IS_LOCKED", "CANNOT_UPDATE_CONVERTED_LEAD", "DUPLICATES_DETECTED", "DUPLICATE_VALUE",
    };

    /// <summary>OAuth <c>error</c> codes that mean the connected app or the connection settings are wrong.</summary>
    private static readonly HashSet<string> ConfigurationOAuthErrors = new(StringComparer.Ordinal)
    {
        "invalid_client_id", "invalid_client", "unsupported_grant_type", "invalid_request", "invalid_scope", "unauthorized_client", "redirect",
    };

    /// <summary>Classifies a failure.</summary>
    /// <param name="error">What an export threw or a failed result carries.</param>
    /// <returns>The kind and the suggested delay.</returns>
    public static ExportFailure Classify(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var failure = error switch
        {
            ChatToSalesforceException { DeclaredKind: { } declared } => new ExportFailure(declared, DefaultDelay(declared)),
            SalesforceApiBudgetExceededException => new ExportFailure(ExportFailureKind.WaitForWindow, WindowDelay),
            SalesforceApiException api => Api(api),
            SalesforceAuthenticationException auth => Authentication(auth),
            ExportConfigurationException or OptionsValidationException => Kind(ExportFailureKind.FixConfiguration),
            AggregateException { InnerExceptions.Count: 1 } aggregate => Classify(aggregate.InnerExceptions[0]),
            HttpRequestException or IOException or TimeoutException or OperationCanceledException => Kind(ExportFailureKind.RetryLater),
            JsonException => Kind(ExportFailureKind.RetryLater),
            ArgumentException => Kind(ExportFailureKind.RejectedData),
            { InnerException: ChatToSalesforceException inner } => Classify(inner),

            // Not the SDK's: a host's stage, filter or transport threw. Park it like a configuration problem: fix, then replay.
            _ => Kind(ExportFailureKind.FixConfiguration),
        };

        // A delay the error itself suggests (the request-limit circuit's reopening, a host transport's hint) wins.
        return error is ChatToSalesforceException { SuggestedRetryAfter: { } suggested } && failure.RetryAfter is not null
            ? failure with { RetryAfter = suggested }
            : failure;
    }

    private static ExportFailure Kind(ExportFailureKind kind) => new(kind, DefaultDelay(kind));

    private static TimeSpan? DefaultDelay(ExportFailureKind kind) => kind switch
    {
        ExportFailureKind.RetryLater => RetryLaterDelay,
        ExportFailureKind.WaitForWindow => WindowDelay,
        _ => null,
    };

    private static ExportFailure Api(SalesforceApiException api)
    {
        var code = api.ErrorCode;
        if (code == "REQUEST_LIMIT_EXCEEDED")
        {
            // ConcurrentRequests / ConcurrentPerOrgLongTxn pass in seconds; TotalRequests is the daily allocation.
            var daily = api.Errors.Count == 0
                ? !api.IsTransient
                : SalesforceErrorClassifier.Classify((int)api.StatusCode, api.Errors) == SalesforceErrorKind.DailyLimitExceeded;
            return Kind(daily ? ExportFailureKind.WaitForWindow : ExportFailureKind.RetryLater);
        }

        if (api.IsTransient || code == "UNEXPECTED_RESPONSE")
        {
            return Kind(ExportFailureKind.RetryLater);
        }

        if (code is not null && ConfigurationCodes.Contains(code))
        {
            // After the SDK's one renewal: a session Salesforce says is expired means the grant no longer yields sessions.
            return code == "INVALID_SESSION_ID" && (api.SalesforceMessage ?? string.Empty).Contains("Session expired", StringComparison.OrdinalIgnoreCase)
                ? Kind(ExportFailureKind.Reconnect)
                : Kind(ExportFailureKind.FixConfiguration);
        }

        if (code is not null && DataCodes.Contains(code))
        {
            return Kind(ExportFailureKind.RejectedData);
        }

        return (int)api.StatusCode switch
        {
            401 => Kind(ExportFailureKind.Reconnect),
            403 or 404 => Kind(ExportFailureKind.FixConfiguration),
            >= 500 => Kind(ExportFailureKind.RetryLater),
            0 => Kind(ExportFailureKind.RetryLater), // no HTTP answer at all

            // Validation rules, required fields, lengths, picklists, duplicates, triggers and flows: this conversation's data.
            _ => Kind(ExportFailureKind.RejectedData),
        };
    }

    private static ExportFailure Authentication(SalesforceAuthenticationException auth)
    {
        if (auth.GrantGone)
        {
            // Expired/revoked refresh token, inactive user or org, app not approved or blocked (TokenErrors.IsGrantGone).
            return Kind(ExportFailureKind.Reconnect);
        }

        switch (auth.Error)
        {
            case "temporarily_unavailable" or "server_error":
                return Kind(ExportFailureKind.RetryLater);
            case "rate_limit_exceeded":
                // Too many logins for the user in an hour: the window frees up by itself.
                return new ExportFailure(ExportFailureKind.WaitForWindow, WindowDelay);
            case "invalid_grant":
                // Not a lost grant (TokenErrors.ConfigurationGrantDescriptions): a setting is wrong.
                return Kind(ExportFailureKind.FixConfiguration);
            case { } e when ConfigurationOAuthErrors.Contains(e):
                return Kind(ExportFailureKind.FixConfiguration);
            case null when auth.InnerException is JsonException or HttpRequestException:
                // A token endpoint answer that was not a token response (a proxy's error page): try again.
                return Kind(ExportFailureKind.RetryLater);
            default:
                // The SDK's own checks (a missing key, no token URL, a token provider that returned nothing) and unknown codes.
                return Kind(ExportFailureKind.FixConfiguration);
        }
    }
}
