namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>How the transport reacts to a Salesforce error (API-FACTS section 7).</summary>
internal enum SalesforceErrorKind
{
    /// <summary>Fail now: repeating the request gives the same answer (validation, permissions, bad field, not found...).</summary>
    Permanent,

    /// <summary>A later attempt may succeed (5xx, SERVER_UNAVAILABLE, UNABLE_TO_LOCK_ROW, QUERY_TIMEOUT, concurrent request limits); retried when the request is safe to repeat.</summary>
    Transient,

    /// <summary>401 INVALID_SESSION_ID "Session expired or invalid": re-authenticate once and replay once.</summary>
    ReAuthenticate,

    /// <summary>The org's daily allocation is exhausted (REQUEST_LIMIT_EXCEEDED "TotalRequests"): open the request-limit circuit.</summary>
    DailyLimitExceeded,
}

/// <summary>Classifies Salesforce errors on HTTP status + <c>errorCode</c> + message.</summary>
internal static class SalesforceErrorClassifier
{
    private static readonly string[] TransientCodes =
    [
        "SERVER_UNAVAILABLE", "UNABLE_TO_LOCK_ROW", "QUERY_TIMEOUT", "INSERT_UPDATE_DELETE_NOT_ALLOWED_DURING_MAINTENANCE",
    ];

    /// <summary>Classifies an error response.</summary>
    public static SalesforceErrorKind Classify(int status, IReadOnlyList<SalesforceError> errors)
    {
        var primary = SalesforceErrorParser.PickPrimary(errors);
        var code = primary?.ErrorCode;
        var message = primary?.Message ?? string.Empty;

        if (status == 401)
        {
            return string.Equals(code, "INVALID_SESSION_ID", StringComparison.Ordinal)
                   && message.Contains("Session expired or invalid", StringComparison.OrdinalIgnoreCase)
                ? SalesforceErrorKind.ReAuthenticate
                : SalesforceErrorKind.Permanent;
        }

        foreach (var error in errors)
        {
            if (string.Equals(error.ErrorCode, "REQUEST_LIMIT_EXCEEDED", StringComparison.Ordinal))
            {
                // ConcurrentRequests / ConcurrentPerOrgLongTxn pass in seconds; anything else (TotalRequests) is the daily allocation.
                return error.Message.Contains("Concurrent", StringComparison.OrdinalIgnoreCase)
                    ? SalesforceErrorKind.Transient
                    : SalesforceErrorKind.DailyLimitExceeded;
            }
        }

        // 429 from Salesforce's edge (rate limiting, often without a JSON body) and 420 (the edge has no route yet, for
        // example while an org moves) pass; API-FACTS section 7 retries both, as jsforce does.
        if (status is 420 or 429 or 500 or 502 or 503 or 504)
        {
            return SalesforceErrorKind.Transient;
        }

        foreach (var error in errors)
        {
            if (SalesforceErrorParser.IsConsequential(error))
            {
                continue;
            }

            if (error.ErrorCode is { } c && TransientCodes.Contains(c, StringComparer.Ordinal))
            {
                return SalesforceErrorKind.Transient;
            }

            // Triggers and flows wrap lock contention: CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY / CANNOT_EXECUTE_FLOW_TRIGGER "...UNABLE_TO_LOCK_ROW...".
            if (error.Message.Contains("UNABLE_TO_LOCK_ROW", StringComparison.Ordinal)
                || error.Message.Contains("unable to obtain exclusive access to this record", StringComparison.OrdinalIgnoreCase))
            {
                return SalesforceErrorKind.Transient;
            }
        }

        return SalesforceErrorKind.Permanent;
    }

    /// <summary>An actionable hint for common permanent errors, or <see langword="null"/>.</summary>
    public static string? Hint(int status, SalesforceError? error) => error?.ErrorCode switch
    {
        "INVALID_SESSION_ID" when status == 401 && !error.Message.Contains("Session expired", StringComparison.OrdinalIgnoreCase) =>
            "The token was issued for a use other than the REST API (check the External Client App's OAuth scopes include 'api').",
        "INVALID_SESSION_ID" => "The session was rejected again right after re-authenticating; check the org's session and IP policies for the integration user.",
        "REQUEST_LIMIT_EXCEEDED" when !error.Message.Contains("Concurrent", StringComparison.OrdinalIgnoreCase) =>
            "The org's daily API allocation is used up; exports fail fast until Resilience.RequestLimitBreakDuration has passed.",
        "API_DISABLED_FOR_ORG" => "The org's edition or the integration user's profile does not allow API access ('API Enabled' permission).",
        "INVALID_OPERATION_WITH_EXPIRED_PASSWORD" => "The integration user's password has expired; reset it or set the profile's password policy to never expire.",
        "MALFORMED_QUERY" => "The SOQL query is invalid; check identity rules and custom queries.",
        "INVALID_FIELD" or "INVALID_TYPE" => "Check the field and object names in the mapping and that the integration user can see them (field-level security).",
        "REQUIRED_FIELD_MISSING" => "Map a value to the named field(s) or give them a default in Salesforce.",
        "DUPLICATES_DETECTED" => "A duplicate rule matched an existing record (see DuplicateRecordIds).",
        "INVALID_EMAIL_ADDRESS" => "Salesforce did not accept the email address as written; check the value the mapping sends to the named field (Salesforce's message is in SalesforceMessage).",
        "FIELD_CUSTOM_VALIDATION_EXCEPTION" => "A validation rule in the org rejected the record; its message is in SalesforceMessage (it can quote record values). Fix the data, the mapping or the rule.",
        "STRING_TOO_LONG" => "A value is longer than the field allows; map a shorter value or widen the field.",
        _ => null,
    };
}
