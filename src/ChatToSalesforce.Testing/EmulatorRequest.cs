namespace ChatToSalesforce.Testing;

/// <summary>One request the emulator answered, as kept in <see cref="SalesforceEmulator.RequestLog"/>.</summary>
public sealed class EmulatorRequest
{
    internal EmulatorRequest(DateTimeOffset timestamp, string method, string path, int statusCode, IReadOnlyDictionary<string, string> headers,
        bool countedAsApiCall, bool faultInjected, string? errorCode, IReadOnlyList<EmulatorSubrequest> subrequests)
    {
        Timestamp = timestamp;
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Headers = headers;
        CountedAsApiCall = countedAsApiCall;
        FaultInjected = faultInjected;
        ErrorCode = errorCode;
        Subrequests = subrequests;
    }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The path and query string, e.g. <c>/services/data/v62.0/query?q=...</c>.</summary>
    public string Path { get; }

    /// <summary>The HTTP status answered.</summary>
    public int StatusCode { get; }

    /// <summary>The request headers (case-insensitive names; the Authorization value is redacted).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The <c>Sforce-Auto-Assign</c> request header, if sent.</summary>
    public string? AutoAssign => Headers.TryGetValue("Sforce-Auto-Assign", out var value) ? value : null;

    /// <summary>Whether the request counted against the daily API allocation.</summary>
    public bool CountedAsApiCall { get; }

    /// <summary>Whether the answer came from a <see cref="FaultRule"/> or the random failure rate.</summary>
    public bool FaultInjected { get; }

    /// <summary>The first <c>errorCode</c> (or OAuth <c>error</c>) of the answer, if it was an error.</summary>
    public string? ErrorCode { get; }

    /// <summary>For <c>/composite</c> and <c>/composite/graph</c>: the subrequests, in order.</summary>
    public IReadOnlyList<EmulatorSubrequest> Subrequests { get; }

    /// <summary>How long the emulator took to answer, including added latency (shown by the dashboard).</summary>
    internal TimeSpan Duration { get; init; }
}

/// <summary>A subrequest of a composite request.</summary>
/// <param name="Method">The subrequest method.</param>
/// <param name="Url">The subrequest URL after reference substitution.</param>
/// <param name="StatusCode">The subrequest status.</param>
/// <param name="AutoAssign">The subrequest's <c>Sforce-Auto-Assign</c> header (or the top-level one), if any.</param>
public sealed record EmulatorSubrequest(string Method, string Url, int StatusCode, string? AutoAssign);
