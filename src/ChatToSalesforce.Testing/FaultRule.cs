namespace ChatToSalesforce.Testing;

/// <summary>
/// A fault to inject: the next <see cref="Times"/> requests that match <see cref="Method"/> and
/// <see cref="PathContains"/> answer with <see cref="StatusCode"/> and a Salesforce error body.
/// </summary>
public sealed class FaultRule
{
    /// <summary>The HTTP method to match (case-insensitive); <see langword="null"/> matches any method.</summary>
    public string? Method { get; init; }

    /// <summary>A substring of the request path and query to match (case-insensitive); <see langword="null"/> matches any path.</summary>
    public string? PathContains { get; init; }

    /// <summary>How many matching requests fail. Defaults to 1.</summary>
    public int Times { get; init; } = 1;

    /// <summary>The HTTP status to answer with. Defaults to 503.</summary>
    public int StatusCode { get; init; } = 503;

    /// <summary>The Salesforce <c>errorCode</c>. Defaults to <c>SERVER_UNAVAILABLE</c>.</summary>
    public string ErrorCode { get; init; } = "SERVER_UNAVAILABLE";

    /// <summary>The error message. Defaults to a message that names the error code.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// When <see langword="true"/>, the request is applied to the org first and only its response is replaced
    /// (a write that took effect but whose answer was lost, as after a timeout).
    /// </summary>
    public bool AfterCommit { get; init; }

    /// <summary>An extra delay before answering (honoring cancellation), e.g. to trigger client timeouts.</summary>
    public TimeSpan Delay { get; init; }
}
