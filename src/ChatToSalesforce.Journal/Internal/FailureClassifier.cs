using System.Net;

namespace ChatToSalesforce.Journal.Internal;

/// <summary>The journal's failure kinds, as stored (text, so the store outlives any enum's numbering).</summary>
internal static class FailureKinds
{
    public const string RetryLater = "retry-later";
    public const string WaitForWindow = "wait-for-window";
    public const string Reconnect = "reconnect";
    public const string FixConfiguration = "fix-configuration";
    public const string RejectedData = "rejected-data";

    public static IReadOnlyList<string> All { get; } = [RetryLater, WaitForWindow, Reconnect, FixConfiguration, RejectedData];

    /// <summary>Reads a kind as a user types it: <c>fix-configuration</c>, <c>FixConfiguration</c> or <c>fix_configuration</c>.</summary>
    public static string? Parse(string text)
    {
        var plain = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return All.FirstOrDefault(k => string.Equals(k.Replace("-", string.Empty, StringComparison.Ordinal), plain, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// Derives a failure kind from the exceptions the SDK throws today.
/// </summary>
/// <remarks>
/// PLACEHOLDER: the SDK is gaining its own classification (<c>ConversationExportResult.FailureKind</c> and the kind on its
/// exceptions, issue 16 item 1). When it lands, <see cref="Classify(ConversationExportResult)"/> and <see cref="Classify(Exception)"/>
/// must return the SDK's kind (as kebab-case text) instead of deriving one here, so the journal and the SDK never disagree.
/// </remarks>
internal static class FailureClassifier
{
    private static readonly HashSet<string> ConfigurationCodes = new(StringComparer.Ordinal)
    {
        "INVALID_FIELD", "INVALID_TYPE", "NOT_FOUND", "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY",
        "INVALID_FIELD_FOR_INSERT_UPDATE", "INVALID_CROSS_REFERENCE_KEY", "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED",
        "NO_ACCESS", "INVALID_OPERATION", "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "INACTIVE_OWNER_OR_USER", "MALFORMED_QUERY",
        "FUNCTIONALITY_NOT_ENABLED", "INVALID_TYPE_FOR_OPERATION", "ENTITY_IS_DELETED",
    };

    private static readonly HashSet<string> WindowCodes = new(StringComparer.Ordinal) { "REQUEST_LIMIT_EXCEEDED", "TOTAL_REQUESTS_LIMIT_EXCEEDED" };

    public static string Classify(ConversationExportResult result) =>
        // Coordinator: after merging issue 16 item 1, use result.FailureKind here.
        result.Error is { } error ? Classify(error) : FailureKinds.RetryLater;

    public static string Classify(Exception error)
    {
        // Coordinator: after merging issue 16 item 1, use the exception's failure kind here.
        switch (error)
        {
            case SalesforceApiBudgetExceededException:
                return FailureKinds.WaitForWindow;
            case SalesforceAuthenticationException auth:
                return auth.Error is "invalid_grant" or "inactive_user" or "inactive_org" ? FailureKinds.Reconnect
                    : auth.InnerException is HttpRequestException or TimeoutException ? FailureKinds.RetryLater
                    : FailureKinds.FixConfiguration;
            case ExportConfigurationException:
                return FailureKinds.FixConfiguration;
            case SalesforceApiException api:
                if (api.ErrorCode is { } code && WindowCodes.Contains(code))
                {
                    return FailureKinds.WaitForWindow;
                }

                if (api.IsTransient || (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    return FailureKinds.RetryLater;
                }

                if (api.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return FailureKinds.Reconnect;
                }

                return api.StatusCode == HttpStatusCode.Forbidden || (api.ErrorCode is { } c && ConfigurationCodes.Contains(c))
                    ? FailureKinds.FixConfiguration
                    : FailureKinds.RejectedData;
            default:
                // Network errors, timeouts and anything unforeseen: a later attempt may succeed.
                return FailureKinds.RetryLater;
        }
    }

    public static string? ErrorCodeOf(Exception? error) => error switch
    {
        SalesforceApiException api => api.ErrorCode,
        SalesforceAuthenticationException auth => auth.Error,
        _ => null,
    };
}
