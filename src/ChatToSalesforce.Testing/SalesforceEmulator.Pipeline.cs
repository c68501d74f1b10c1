using System.Globalization;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing.Internal;

namespace ChatToSalesforce.Testing;

/// <content>The request pipeline: latency, faults, authentication, the API limit, dispatch and the request log.</content>
public sealed partial class SalesforceEmulator
{
    internal async Task<ApiResponse> ProcessAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var started = _options.TimeProvider.GetTimestamp();
        var latency = _options.Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        var isApi = request.Path.StartsWith("/services/data/v", StringComparison.OrdinalIgnoreCase);
        var fault = Faults.Take(request.Method, request.PathAndQuery, isApi);
        if (fault is { Delay: var delay } && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        // Reading the body depends on the request alone: done before taking the lock, so requests read in parallel.
        request.PrepareJson();
        CompositeApi.PrepareGraph(request);
        // Requests wait their turn for the org without holding a thread: a pool thread blocked on the lock below is one
        // the pool cannot give to the timers and connections of the other requests (on a two-core machine, half of them).
        // Calls made directly on the emulator (seeding, assertions) still take the lock alone.
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                var counted = false;
                IReadOnlyList<EmulatorSubrequest> subrequests = [];
                ApiResponse response;
                if (fault is not null && !fault.AfterCommit)
                {
                    response = FaultResponse(fault);
                }
                else
                {
                    try
                    {
                        response = Dispatch(request, out counted, out subrequests);
                    }
    #pragma warning disable CA1031 // Last resort: the emulator answers like Salesforce's UNKNOWN_EXCEPTION instead of crashing the host.
                    catch (Exception e)
    #pragma warning restore CA1031
                    {
                        var errorId = Interlocked.Increment(ref _unexpectedErrors);
                        response = ApiResponse.Error(500, [new ApiError("UNKNOWN_EXCEPTION", $"An unexpected error occurred. Please include this ErrorId if you contact support: {errorId}-emulator ({e.GetType().Name}: {e.Message})")]);
                    }

                    if (fault is not null)
                    {
                        response = FaultResponse(fault);
                    }
                }

                if (isApi && response.Status != 401)
                {
                    response.Headers["Sforce-Limit-Info"] = string.Create(CultureInfo.InvariantCulture, $"api-usage={ApiCallsUsed}/{_options.DailyApiLimit}");
                }

                if (request.Method == "HEAD")
                {
                    response.DropBody();
                }

                var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
                if (headers.ContainsKey("Authorization"))
                {
                    headers["Authorization"] = "(redacted)";
                }

                var capacity = _options.RequestLogCapacity;
                while (_log.Count > 0 && _log.Count >= capacity)
                {
                    _log.Dequeue();
                }

                if (capacity > 0)
                {
                    _log.Enqueue(new EmulatorRequest(_options.TimeProvider.GetUtcNow(), request.Method, LoggedPath(request), response.Status, headers, counted, fault is not null, response.FirstErrorCode(), subrequests)
                    {
                        Duration = _options.TimeProvider.GetElapsedTime(started),
                    });
                }

                return response;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private static ApiResponse FaultResponse(FaultRule fault)
    {
        var error = new JsonObject
        {
            ["message"] = fault.Message ?? (fault.ErrorCode == "SERVER_UNAVAILABLE" ? "Server Unavailable" : $"Injected fault: {fault.ErrorCode}"),
            ["errorCode"] = fault.ErrorCode,
        };
        if (fault.StatusCode == 400)
        {
            error["fields"] = new JsonArray();
        }

        return new ApiResponse(fault.StatusCode, new JsonArray { error });
    }

    private ApiResponse Dispatch(ApiRequest request, out bool counted, out IReadOnlyList<EmulatorSubrequest> subrequests)
    {
        counted = false;
        subrequests = [];
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 3 && segments[0] == "services" && segments[1] == "oauth2" && segments[2] == "token")
        {
            return _oauth.Token(request);
        }

        if (segments is ["services", "oauth2", var endpoint])
        {
            switch (endpoint)
            {
                case "userinfo":
                    return _oauth.UserInfo(request);
                case "authorize":
                    return _oauth.Authorize(request);
                case "revoke":
                    return _oauth.Revoke(request);
            }
        }

        if (segments is ["id", var orgId, var userId])
        {
            return _oauth.Identity(request, orgId, userId);
        }

        if (segments.Length < 2 || segments[0] != "services" || segments[1] != "data")
        {
            return ApiResponse.Error(404, [new ApiError("NOT_FOUND", "The requested resource does not exist")]);
        }

        if (segments.Length == 2)
        {
            return request.Method is "GET" or "HEAD" ? new ApiResponse(200, RestApi.Versions()) : RestApi.MethodNotAllowed(request.Method, "GET,HEAD");
        }

        var version = RestApi.ParseVersion(segments[2]);
        if (version is null)
        {
            return ApiResponse.Error(404, [new ApiError("NOT_FOUND", "The requested resource does not exist")]);
        }

        var session = _oauth.Authenticate(request.Header("Authorization"));
        if (session is null)
        {
            return ApiResponse.Error(401, [new ApiError("INVALID_SESSION_ID", "Session expired or invalid")]);
        }

        if (ApiCallsUsed >= _options.DailyApiLimit)
        {
            return ApiResponse.Error(403, [new ApiError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")]);
        }

        Interlocked.Increment(ref _apiCalls);
        counted = true;
        var ctx = new CallContext
        {
            UserId = session.UserId,
            Version = version,
            AllowDuplicateSave = AllowSave(request.Headers),
            AutoAssign = AutoAssign(request.Headers),
            BatchSize = BatchSize(request.Headers),
        };
        try
        {
            var rest = segments[3..].Select(Uri.UnescapeDataString).ToArray();
            _api.Composite.LastSubrequests.Clear();
            var response = _api.Handle(request, rest, ctx);
            if (_api.Composite.LastSubrequests.Count > 0)
            {
                subrequests = [.. _api.Composite.LastSubrequests];
            }

            if (rest is ["composite", "batch"] && subrequests.Count > 1)
            {
                // API-FACTS 4.8 and 6: each /composite/batch subrequest counts against the daily allocation.
                Interlocked.Add(ref _apiCalls, subrequests.Count - 1);
            }

            return response;
        }
        catch (ApiException e)
        {
            return ApiResponse.Error(e.Status, e.Errors);
        }
    }

    /// <summary>Sforce-Auto-Assign: absent or TRUE applies the active assignment rules, FALSE (any case) does not.</summary>
    internal static bool AutoAssign(IReadOnlyDictionary<string, string> headers) =>
        !(headers.TryGetValue("Sforce-Auto-Assign", out var value) && string.Equals(value.Trim(), "FALSE", StringComparison.OrdinalIgnoreCase));

    internal static bool AllowSave(IReadOnlyDictionary<string, string> headers) =>
        headers.TryGetValue("Sforce-Duplicate-Rule-Header", out var value)
        && value.Split(';').Any(p => p.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Equals("allowSave=true", StringComparison.OrdinalIgnoreCase));

    internal static int? BatchSize(IReadOnlyDictionary<string, string> headers)
    {
        if (!headers.TryGetValue("Sforce-Query-Options", out var value))
        {
            return null;
        }

        foreach (var part in value.Split(';', ','))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length == 2 && kv[0].Equals("batchSize", StringComparison.OrdinalIgnoreCase) && int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }

        return null;
    }

    /// <summary>The path and query as the request log keeps it: tokens and codes in the query (revoke, identity URL, a callback) redacted.</summary>
    internal static string LoggedPath(ApiRequest request)
    {
        if (request.Query.Length == 0)
        {
            return request.Path;
        }

        var parts = request.Query.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? parts[i] : parts[i][..eq];
            if (eq >= 0 && name is "token" or "oauth_token" or "access_token" or "refresh_token" or "code" or "code_verifier" or "client_secret" or "password")
            {
                parts[i] = name + "=(redacted)";
            }
        }

        return $"{request.Path}?{string.Join('&', parts)}";
    }
}
