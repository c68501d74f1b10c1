using System.Net;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce;

/// <summary>Salesforce's REST API answered with an error (after any safe retries).</summary>
/// <remarks>
/// <see cref="Exception.Message"/> (and so <see cref="Exception.ToString"/> and logs) says what was attempted, the HTTP
/// status, Salesforce's error code, the fields and what to do. It never copies Salesforce's own message text, which can
/// echo record values (<c>invalid email address: ada@…</c>, a phone number a validation rule printed); that text is in
/// <see cref="SalesforceMessage"/> and <see cref="Errors"/>, for a UI that shows it to an operator. It never contains
/// tokens either.
/// </remarks>
public sealed class SalesforceApiException : ChatToSalesforceException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="errorCode">Salesforce's <c>errorCode</c> (or <c>statusCode</c> in collection results), for example <c>REQUIRED_FIELD_MISSING</c>.</param>
    /// <param name="message">What was attempted, the status, the error code, the fields and what to do; never Salesforce's verbatim message (see <see cref="Errors"/>).</param>
    /// <param name="fields">The fields Salesforce named.</param>
    /// <param name="isTransient">Whether repeating the request later may succeed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SalesforceApiException(
        HttpStatusCode statusCode,
        string? errorCode,
        string message,
        IReadOnlyList<string>? fields = null,
        bool isTransient = false,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Fields = fields ?? [];
        IsTransient = isTransient;
    }

    /// <summary>Gets the HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets Salesforce's error code, for example <c>DUPLICATES_DETECTED</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the fields Salesforce named in the error.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Gets whether the failure is transient (a later attempt may succeed).</summary>
    public bool IsTransient { get; }

    /// <summary>Gets the ids of existing records that Salesforce duplicate rules matched (<c>DUPLICATES_DETECTED</c>), when it reported them.</summary>
    public IReadOnlyList<string> DuplicateRecordIds { get; init; } = [];

    /// <summary>Gets the reference id of the composite subrequest that failed, when the error came from a composite request.</summary>
    public string? FailedSubrequest { get; init; }

    /// <summary>Gets Salesforce's own message for the error that explains the failure (see <see cref="ErrorCode"/>), verbatim.</summary>
    /// <remarks>
    /// It can contain record values (an email address, a phone number a validation rule printed), so it is never part of
    /// <see cref="Exception.Message"/> or <see cref="Exception.ToString"/>: show it to an operator if you must (escape control
    /// characters), but do not log it. <see langword="null"/> when Salesforce sent no message or the SDK made the error.
    /// </remarks>
    public string? SalesforceMessage { get; init; }

    /// <summary>Gets every error Salesforce reported, as reported; their <see cref="SalesforceError.Message"/> is verbatim and can contain record values (see <see cref="SalesforceMessage"/>).</summary>
    public IReadOnlyList<SalesforceError> Errors { get; init; } = [];
}
