using System.Net;

namespace ChatToSalesforce;

/// <summary>Salesforce's REST API answered with an error (after any safe retries).</summary>
/// <remarks>The message is Salesforce's own error message; it never contains tokens or record content the SDK sent.</remarks>
public sealed class SalesforceApiException : ChatToSalesforceException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="errorCode">Salesforce's <c>errorCode</c> (or <c>statusCode</c> in collection results), for example <c>REQUIRED_FIELD_MISSING</c>.</param>
    /// <param name="message">Salesforce's message, prefixed with context (operation, failing subrequest).</param>
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
}
