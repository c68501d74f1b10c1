using System.Net;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>Classifies what Salesforce (or the SDK's own checks) said into the failure kinds a bot branches on.</summary>
internal static class BotFailures
{
    private static readonly string[] NotFoundCodes = ["NOT_FOUND", "INVALID_TYPE", "INVALID_FIELD", "ENTITY_IS_DELETED", "INVALID_ID_FIELD", "INVALID_CROSS_REFERENCE_KEY"];

    private static readonly string[] PermissionCodes =
    [
        "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY", "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
        "INVALID_FIELD_FOR_INSERT_UPDATE", "API_DISABLED_FOR_ORG", "CANNOT_UPDATE_CONVERTED_LEAD", "INVALID_SESSION_ID",
    ];

    /// <summary>A failure of one record Salesforce reported (its message kept as data).</summary>
    public static BotActionFailure FromErrors(IReadOnlyList<SalesforceError> errors, int status = 400)
    {
        var primary = SalesforceErrorParser.PickPrimary(errors) ?? errors.FirstOrDefault();
        var code = primary?.ErrorCode;
        var kind = SalesforceErrorClassifier.Classify(status, errors) is SalesforceErrorKind.Transient or SalesforceErrorKind.DailyLimitExceeded
            ? BotActionFailureKind.Transient
            : KindOf(code);
        return new BotActionFailure(kind, primary?.Message ?? "Salesforce rejected the record without a message.", code, primary?.Fields ?? []);
    }

    /// <summary>A failure of a whole call: a rejected request, a lost connection, rejected credentials.</summary>
    public static BotActionFailure? FromException(Exception error) => error switch
    {
        SalesforceApiException e when e.IsTransient || e.StatusCode >= HttpStatusCode.InternalServerError || e.ErrorCode is "REQUEST_LIMIT_EXCEEDED" or "NETWORK_ERROR" or "TIMEOUT" =>
            new BotActionFailure(BotActionFailureKind.Transient, e.SalesforceMessage ?? e.Message, e.ErrorCode, e.Fields),
        SalesforceApiException e => new BotActionFailure(
            e.StatusCode == HttpStatusCode.NotFound ? BotActionFailureKind.NotFound : e.StatusCode == HttpStatusCode.Forbidden ? BotActionFailureKind.Permission : KindOf(e.ErrorCode),
            e.SalesforceMessage ?? e.Message,
            e.ErrorCode,
            e.Fields),
        SalesforceApiBudgetExceededException e => new BotActionFailure(BotActionFailureKind.Transient, e.Message, "API_BUDGET_EXCEEDED", []),
        SalesforceAuthenticationException e => new BotActionFailure(BotActionFailureKind.Permission, e.Message, e.Error, []),
        HttpRequestException or TimeoutException => new BotActionFailure(BotActionFailureKind.Transient, "Salesforce could not be reached; try again later.", "NETWORK_ERROR", []),
        _ => null,
    };

    /// <summary>A failure the SDK found before sending anything, naming the object and field.</summary>
    public static BotActionFailure Checked(BotActionFailureKind kind, string code, string objectType, string? field, string message) =>
        new(kind, message, code, field is null ? [] : [$"{objectType}.{field}"]);

    private static BotActionFailureKind KindOf(string? code) =>
        code is null ? BotActionFailureKind.Validation
        : NotFoundCodes.Contains(code, StringComparer.Ordinal) ? BotActionFailureKind.NotFound
        : PermissionCodes.Contains(code, StringComparer.Ordinal) ? BotActionFailureKind.Permission
        : BotActionFailureKind.Validation;
}
