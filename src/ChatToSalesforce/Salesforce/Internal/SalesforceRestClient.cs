using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Resilience.Internal;
using ChatToSalesforce.Telemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>The default REST transport: authentication with single-flight renewal, safe retries, limits, error mapping.</summary>
internal sealed partial class SalesforceRestClient : ISalesforceClient
{
    private const string JsonMediaType = "application/json";
    private static readonly string CallOptions = "client=ChatToSalesforce/" + ChatToSalesforceDiagnostics.Version;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly SalesforceAuthenticator _authenticator;
    private readonly SalesforceResiliencePipelines _pipelines;
    private readonly ApiUsageTracker _usage;
    private readonly ILogger _logger;
    private readonly string _apiVersion;
    private readonly string? _duplicateRuleHeader;
    private SalesforceConnection? _connection;

    public SalesforceRestClient(
        IHttpClientFactory httpClientFactory,
        IOptions<SalesforceChatExportOptions> options,
        SalesforceAuthenticator authenticator,
        SalesforceResiliencePipelines pipelines,
        ApiUsageTracker usage,
        ILogger<SalesforceRestClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _authenticator = authenticator;
        _pipelines = pipelines;
        _usage = usage;
        _logger = logger;
        _apiVersion = NormalizeApiVersion(options.Value.ApiVersion);
        _duplicateRuleHeader = options.Value.DuplicateRuleHeader;
    }

    /// <summary>Gets or sets the tenant this client works for, tagged on its metrics and spans (<see langword="null"/>: the tenant configured at start-up); also sets it on its authenticator and usage tracker.</summary>
    public string? TenantId { get => _usage.TenantId; set => (_usage.TenantId, _authenticator.TenantId) = (value, value); }

    /// <summary>Gets the API version without the leading <c>v</c>, for example <c>62.0</c>.</summary>
    public string ApiVersion => _apiVersion;

    public static string NormalizeApiVersion(string? version)
    {
        var v = string.IsNullOrWhiteSpace(version) ? "62.0" : version.Trim();
        return v.StartsWith('v') || v.StartsWith('V') ? v[1..] : v;
    }

    /// <inheritdoc />
    public async Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var (status, body) = await SendRawAsync(new Operation("Query", HttpMethod.Get, "query?q=" + Uri.EscapeDataString(soql), RetrySafe: true), cancellationToken).ConfigureAwait(false);
        var page = ReadQueryPage(status, body);
        var records = page.Records;
        var totalSize = page.TotalSize;
        var requests = 1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!page.Done && page.NextRecordsUrl is { } next)
        {
            if (!IsSafeNextRecordsUrl(next) || !seen.Add(next))
            {
                throw new SalesforceApiException(
                    System.Net.HttpStatusCode.OK,
                    "INVALID_NEXT_RECORDS_URL",
                    "Query paging stopped: Salesforce returned a nextRecordsUrl that is not a /services/data/ path on the same instance, or one that repeats.");
            }

            (status, body) = await SendRawAsync(new Operation("Query (next page)", HttpMethod.Get, next, RetrySafe: true), cancellationToken).ConfigureAwait(false);
            requests++;
            page = ReadQueryPage(status, body);
            records.AddRange(page.Records);
        }

        return new SalesforceQueryResult(totalSize, records) { Requests = requests };

        // An answer that is not a query result (a proxy's or maintenance page's 200) is not "no records": a look-up that
        // read it so would create a duplicate person.
        static QueryPage ReadQueryPage(int status, byte[] body) =>
            FieldValuesWire.TryReadQueryPage(body, out var page)
                ? page
                : throw new SalesforceApiException((System.Net.HttpStatusCode)status, "UNEXPECTED_RESPONSE", "The query response is not a query result (not a JSON object).");
    }

    /// <summary>Sends a <c>/composite</c> request (one API call); subrequest failures are in the response, not thrown.</summary>
    public async Task<SalesforceCompositeResponse> SendCompositeAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Subrequests.Count == 0)
        {
            throw new ArgumentException("A composite request needs at least one subrequest.", nameof(request));
        }

        using var payload = PooledRequestBody.Write(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("allOrNone", request.AllOrNone);
            w.WriteStartArray("compositeRequest");
            foreach (var sub in request.Subrequests)
            {
                w.WriteStartObject();
                w.WriteString("method", sub.Method.ToUpperInvariant());
                w.WriteString("url", ExpandSubrequestUrl(sub.Url));
                w.WriteString("referenceId", sub.ReferenceId);
                if (sub.Body is not null)
                {
                    w.WritePropertyName("body");
                    sub.Body.WriteTo(w);
                }

                if (sub.HttpHeaders is { Count: > 0 } headers)
                {
                    w.WriteStartObject("httpHeaders");
                    foreach (var (name, value) in headers)
                    {
                        w.WriteString(name, value);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

        var retrySafe = IsRetrySafe(request);
        var (status, body) = await SendRawAsync(
            new Operation("Composite request", HttpMethod.Post, "composite", () => JsonContent(payload), request.Headers, retrySafe),
            cancellationToken).ConfigureAwait(false);

        return SalesforceCompositeResponse.Read(body)
            ?? throw new SalesforceApiException((System.Net.HttpStatusCode)status, "UNEXPECTED_RESPONSE", "The composite response has no compositeResponse array.");
    }

    /// <inheritdoc />
    public async Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reads);
        if (reads.Count == 1 && reads[0].Kind == SalesforceReadKind.Query)
        {
            // One query needs no envelope: a plain GET, paged through.
            try
            {
                var single = await QueryAsync(reads[0].Text, cancellationToken).ConfigureAwait(false);
                return new SalesforceReadBatchResult([new SalesforceReadResult { Query = single with { Requests = 0 } }], single.Requests);
            }
            catch (SalesforceApiException ex) when (!ex.IsTransient && ex.StatusCode is >= System.Net.HttpStatusCode.BadRequest and < System.Net.HttpStatusCode.InternalServerError and not System.Net.HttpStatusCode.Unauthorized and not System.Net.HttpStatusCode.Forbidden)
            {
                // Salesforce rejected this query (not the call): reported as the read's error, as in a composite.
                return new SalesforceReadBatchResult([new SalesforceReadResult { Error = ex }], 1);
            }
        }

        var results = new SalesforceReadResult[reads.Count];
        var calls = 0;
        foreach (var indexes in TypedOperationsWire.PlanReads(reads))
        {
            var response = await SendCompositeAsync(TypedOperationsWire.ReadRequest(reads, indexes), cancellationToken).ConfigureAwait(false);
            calls++;
            foreach (var i in indexes)
            {
                results[i] = TypedOperationsWire.ReadResult(reads[i], response.Find("read" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return new SalesforceReadBatchResult(results, calls);
    }

    /// <inheritdoc />
    public async Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        var results = new SalesforceWriteResult?[units.Count];
        var calls = 0;
        var headers = _duplicateRuleHeader is null ? null : new Dictionary<string, string> { ["Sforce-Duplicate-Rule-Header"] = _duplicateRuleHeader };
        var requests = TypedOperationsWire.PlanWrites(units);
        foreach (var graphs in requests)
        {
            SalesforceWriteResult[] graphResults;
            try
            {
                graphResults = await WriteGraphsAsync(units, graphs, headers, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (requests.Count > 1 && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                // Only this request's units are in doubt: the others were answered, or not sent.
                for (var i = 0; i < units.Count; i++)
                {
                    if (results[i] is null && !graphs.Any(g => g.Contains(i)))
                    {
                        results[i] = TypedOperationsWire.NotSent(units[i]);
                    }
                }

                throw new IncompleteWriteException(results, calls, ex);
            }

            calls++;
            var k = 0;
            foreach (var i in graphs.SelectMany(g => g))
            {
                results[i] = graphResults[k++];
            }
        }

        return new SalesforceWriteBatchResult(results!, calls);
    }

    /// <summary>Sends one <c>/composite/graph</c> request and reads one result per unit of it, in the order of <paramref name="graphs"/>.</summary>
    private async Task<SalesforceWriteResult[]> WriteGraphsAsync(IReadOnlyList<SalesforceWriteUnit> units, List<int[]> graphs, Dictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var payload = PooledRequestBody.Write(w => TypedOperationsWire.WriteGraphs(w, units, graphs, ExpandSubrequestUrl));

        // Graphs create records: a request whose answer was lost may have been applied, so it is never repeated here.
        var (status, body) = await SendRawAsync(
            new Operation("Composite graph", HttpMethod.Post, "composite/graph", () => JsonContent(payload), headers, RetrySafe: false),
            cancellationToken).ConfigureAwait(false);
        return TypedOperationsWire.ReadGraphs(body, units, graphs, status);
    }

    /// <inheritdoc />
    public async Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default)
    {
        if (!Soql.IsIdentifier(objectType) || objectType.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException("The object type must be an sObject API name, for example 'Contact'.", nameof(objectType));
        }

        var (status, body) = await SendAsync(new Operation($"Describe {objectType}", HttpMethod.Get, $"sobjects/{objectType}/describe", RetrySafe: true), cancellationToken).ConfigureAwait(false);
        try
        {
            return DescribeWire.FromJson(body ?? new JsonObject());
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new SalesforceApiException((System.Net.HttpStatusCode)status, "UNEXPECTED_RESPONSE", $"The describe response of {objectType} could not be read.", innerException: ex);
        }
    }

    /// <inheritdoc />
    public async Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrWhiteSpace(file.FileName);
        var title = Path.GetFileNameWithoutExtension(file.FileName);
        using var entity = PooledRequestBody.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("Title", string.IsNullOrEmpty(title) ? file.FileName : title);
            w.WriteString("PathOnClient", file.FileName);
            if (file.FirstPublishLocationId is not null)
            {
                w.WriteString("FirstPublishLocationId", file.FirstPublishLocationId);
            }

            w.WriteEndObject();
        });

        HttpContent Multipart()
        {
            var content = new MultipartFormDataContent("boundary_" + Guid.NewGuid().ToString("N"));
            content.Add(JsonContent(entity), "entity_content");
            var data = new ReadOnlyMemoryContent(file.Content);
            data.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(data, "VersionData", file.FileName);
            return content;
        }

        var (_, body) = await SendAsync(new Operation("File upload (ContentVersion)", HttpMethod.Post, "sobjects/ContentVersion", Multipart, RetrySafe: false), cancellationToken).ConfigureAwait(false);
        return SalesforceErrorParser.ParseSaveResult(body);
    }

    /// <inheritdoc />
    public async Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default)
    {
        var token = await _authenticator.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _connection) is { } cached && cached.InstanceUrl == token.InstanceUrl)
        {
            return cached;
        }

        var (org, user) = IdentityUrl.Parse(token.IdentityUrl);
        if (org is null || user is null)
        {
            // A host-managed token carries no identity URL: ask the userinfo endpoint (not an API call of the daily allocation).
            var (_, info) = await SendAsync(new Operation("User info", HttpMethod.Get, "/services/oauth2/userinfo", RetrySafe: true), cancellationToken).ConfigureAwait(false);
            org ??= String(info?["organization_id"]);
            user ??= String(info?["user_id"]);
        }

        _usage.SetOrganization(org);
        var connection = new SalesforceConnection(token.InstanceUrl, org, user, _apiVersion);
        Volatile.Write(ref _connection, connection);
        return connection;
    }

    /// <inheritdoc />
    public async Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        var (status, body) = await SendAsync(new Operation("Limits", HttpMethod.Get, "limits", RetrySafe: true), cancellationToken).ConfigureAwait(false);
        return body as JsonObject ?? throw new SalesforceApiException((System.Net.HttpStatusCode)status, "UNEXPECTED_RESPONSE", "The limits response is not a JSON object.");
    }

    /// <summary>A composite is safe to repeat iff none of its subrequests is a POST (a create that may have taken effect).</summary>
    public static bool IsRetrySafe(SalesforceCompositeRequest request) =>
        request.Subrequests.All(s => !string.Equals(s.Method, "POST", StringComparison.OrdinalIgnoreCase));

    /// <summary>Expands a subrequest URL relative to the data root into <c>/services/data/vXX.X/...</c>.</summary>
    public string ExpandSubrequestUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.StartsWith("/services/", StringComparison.Ordinal) ? url : $"/services/data/v{_apiVersion}/{url.TrimStart('/')}";
    }

    /// <summary>Builds the absolute URL of a request on the instance.</summary>
    public Uri Resolve(Uri instanceUrl, string path)
    {
        var root = instanceUrl.GetLeftPart(UriPartial.Authority);
        return new Uri(root + (path.StartsWith("/services/", StringComparison.Ordinal) ? path : $"/services/data/v{_apiVersion}/{path.TrimStart('/')}"));
    }

    private static bool IsSafeNextRecordsUrl(string next) =>
        next.StartsWith("/services/data/", StringComparison.Ordinal)
        && !next.Contains("//", StringComparison.Ordinal)
        && !next.Contains("..", StringComparison.Ordinal)
        && !next.Contains('\\', StringComparison.Ordinal)
        && !next.Contains('@', StringComparison.Ordinal);

    private async Task<(int Status, JsonNode? Body)> SendAsync(Operation operation, CancellationToken cancellationToken)
    {
        var (status, body) = await SendRawAsync(operation, cancellationToken).ConfigureAwait(false);
        return (status, AnswerBody.Parse(body));
    }

    /// <summary>Sends an operation and returns the answer's status and its body as received (UTF-8 JSON, or empty).</summary>
    private async Task<(int Status, byte[] Body)> SendRawAsync(Operation operation, CancellationToken cancellationToken)
    {
        using var activity = ChatToSalesforceDiagnostics.ActivitySource.StartActivity("ChatToSalesforce.Salesforce.Request", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("salesforce.operation", operation.Tag);
            activity.SetTag("http.request.method", operation.Method.Method);
            activity.SetTag("salesforce.retry_safe", operation.RetrySafe);
            ChatToSalesforceDiagnostics.AddTenant(activity, TenantId);
        }

        try
        {
            _usage.EnsureAllowed();
            var result = await _pipelines.For(operation.RetrySafe).ExecuteAsync(
                static (state, ct) => state.Self.AttemptAsync(state.Operation, ct),
                (Self: this, Operation: operation),
                cancellationToken).ConfigureAwait(false);
            activity?.SetTag("http.response.status_code", result.Status);
            return result;
        }
        catch (Exception ex) when (SalesforceResiliencePipelines.Translate(ex, operation.Name, cancellationToken) is { } translated)
        {
            Fail(activity, translated);
            throw translated;
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }

        static void Fail(Activity? activity, Exception ex)
        {
            if (activity is null)
            {
                return;
            }

            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", ex is SalesforceApiException { ErrorCode: { } code } ? code : ex.GetType().Name);
        }
    }

    private async ValueTask<(int Status, byte[] Body)> AttemptAsync(Operation operation, CancellationToken cancellationToken)
    {
        _usage.EnsureCircuitClosed();
        var token = await _authenticator.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var (status, body) = await SendOnceAsync(operation, token, cancellationToken).ConfigureAwait(false);
        if (status is >= 200 and < 300)
        {
            return (status, body);
        }

        var errors = SalesforceErrorParser.Parse(AnswerBody.Parse(body));
        var kind = SalesforceErrorClassifier.Classify(status, errors);
        if (kind == SalesforceErrorKind.ReAuthenticate)
        {
            // 401 means the request was not processed: replaying it once is safe for every method.
            TransportLog.SessionExpired(_logger, operation.Name);
            token = await _authenticator.RenewAsync(token, cancellationToken).ConfigureAwait(false);
            (status, body) = await SendOnceAsync(operation, token, cancellationToken).ConfigureAwait(false);
            if (status is >= 200 and < 300)
            {
                return (status, body);
            }

            errors = SalesforceErrorParser.Parse(AnswerBody.Parse(body));
            kind = SalesforceErrorClassifier.Classify(status, errors);
        }

        TransportLog.RequestFailed(_logger, operation.Name, status, SalesforceErrorParser.PickPrimary(errors)?.ErrorCode, kind);
        if (kind == SalesforceErrorKind.DailyLimitExceeded)
        {
            TransportLog.RequestLimitCircuitOpened(_logger, _usage.OpenCircuit());
        }

        throw SalesforceErrorParser.FromErrors(status, errors, operation.Name, retryAfter: kind == SalesforceErrorKind.DailyLimitExceeded ? _usage.BreakDuration : null);
    }

    private async Task<(int Status, byte[] Body)> SendOnceAsync(Operation operation, SalesforceAccessToken token, CancellationToken cancellationToken)
    {
        _usage.SetOrganization(IdentityUrl.Parse(token.IdentityUrl).OrganizationId);
        var http = _httpClientFactory.CreateClient(SalesforceChatExportServiceCollectionExtensions.HttpClientName);
        using var request = new HttpRequestMessage(operation.Method, Resolve(token.InstanceUrl, operation.Path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
        request.Headers.TryAddWithoutValidation("Sforce-Call-Options", CallOptions);
        if (operation.Headers is not null)
        {
            foreach (var (name, value) in operation.Headers)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Content = operation.Content?.Invoke();
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (RedirectAnswer.IsRedirect(status))
        {
            ChatToSalesforceDiagnostics.RecordRequest(TenantId, operation.Tag, status, Stopwatch.GetElapsedTime(started));
            // Never followed (the bearer token would go along): an error that names where it pointed.
            var target = RedirectAnswer.TargetHost(request.RequestUri!, response.Headers);
            throw new SalesforceApiException(
                (System.Net.HttpStatusCode)status,
                "UNEXPECTED_REDIRECT",
                $"{operation.Name}: {request.RequestUri!.Host} answered with a redirect (HTTP {status}) to {target}; redirects are never followed, so the access token was not sent there. Check InstanceUrl and the instance_url Salesforce returns, and that no proxy rewrites requests.");
        }

        if (response.Headers.TryGetValues("Sforce-Limit-Info", out var limitInfo))
        {
            _usage.Observe(string.Join(';', limitInfo));
        }

        // The request's duration includes reading its answer, as when HttpClient read it before returning.
        var body = await AnswerBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        ChatToSalesforceDiagnostics.RecordRequest(TenantId, operation.Tag, status, Stopwatch.GetElapsedTime(started));
        return (status, body);
    }

    private static PooledRequestContent JsonContent(PooledRequestBody payload)
    {
        var content = new PooledRequestContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType) { CharSet = "UTF-8" };
        return content;
    }

    private static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;

    private static string? String(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
