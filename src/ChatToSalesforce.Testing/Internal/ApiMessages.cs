using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>A request as the emulator sees it, whether it came through the handler, the loopback server or a composite subrequest.</summary>
internal sealed class ApiRequest : IDisposable
{
    public required string Method { get; set; }

    /// <summary>The path, percent-encoded as sent.</summary>
    public required string Path { get; init; }

    /// <summary>The query string without the leading '?'.</summary>
    public string Query { get; init; } = string.Empty;

    /// <summary>The host the request was addressed to, when known.</summary>
    public string? Host { get; init; }

    /// <summary>Whether the request came over HTTP through the loopback server (not in-process).</summary>
    public bool Served { get; init; }

    /// <summary>The headers (a subrequest's are its request's, shared and only read).</summary>
    public Dictionary<string, string> Headers
    {
        get => _headers ??= new(StringComparer.OrdinalIgnoreCase);
        init => _headers = value;
    }

    private Dictionary<string, string>? _headers;

    /// <summary>The body as received.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The shared-pool array <see cref="Body"/> lies in, when the server rented it; returned when the request is disposed.</summary>
    public byte[]? PooledBody { get; init; }

    /// <summary>A pre-parsed JSON body (composite subrequests).</summary>
    public JsonNode? JsonBody { get; init; }

    public bool HasJsonBody { get; init; }

    public string PathAndQuery => Query.Length == 0 ? Path : $"{Path}?{Query}";

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public string? QueryParameter(string name)
    {
        foreach (var pair in Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            }
        }

        return null;
    }

    public static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    /// <summary>Parses the body as JSON; Salesforce answers JSON_PARSER_ERROR for bodies it cannot read.</summary>
    public JsonNode ReadJson()
    {
        if (HasJsonBody)
        {
            return JsonBody ?? throw ApiException.ParserError("The HTTP entity body is required, but this request has no entity body.");
        }

        if (Body.Length == 0)
        {
            throw ApiException.ParserError("The HTTP entity body is required, but this request has no entity body.");
        }

        if (Interlocked.Exchange(ref _prepared, null) is { } prepared)
        {
            return prepared.Node ?? throw prepared.Error!;
        }

        return ParseBody(Body.Span, "the request body");
    }

    private Prepared? _prepared;

    /// <summary>A graph request's graphs, read and checked ahead of the lock (see <c>CompositeApi.PrepareGraph</c>).</summary>
    public List<CompositeApi.CheckedGraph>? CheckedGraphs { get; set; }

    /// <summary>Why a graph request's body was rejected when it was read ahead of the lock.</summary>
    public ApiException? GraphsError { get; set; }

    /// <summary>
    /// Parses a JSON body ahead of <see cref="ReadJson"/>, outside the emulator's lock: parsing touches only the request,
    /// so concurrent requests parse in parallel and the lock is held only while the org's state is read and written.
    /// The next <see cref="ReadJson"/> takes the result (or its error); later ones parse again.
    /// </summary>
    public void PrepareJson()
    {
        if (HasJsonBody || Body.Length == 0 || Body.Span[0] is not ((byte)'{' or (byte)'['))
        {
            return;
        }

        JsonDocument document;
        try
        {
            // Over the body as received, without the copy JsonNode.Parse makes (a graph request is hundreds of
            // kilobytes); the document's index is pooled and goes back when the request is disposed.
            document = JsonDocument.Parse(Body, BodyOptions);
        }
        catch (JsonException)
        {
            try
            {
                _prepared = new Prepared(ParseBody(Body.Span, "the request body"), null);
            }
            catch (ApiException e)
            {
                _prepared = new Prepared(null, e);
            }

            return;
        }

        _document = document;
        var root = document.RootElement;
        _prepared = new Prepared(root.ValueKind == JsonValueKind.Object ? JsonObject.Create(root) : JsonArray.Create(root), null);
    }

    private sealed record Prepared(JsonNode? Node, ApiException? Error);

    private JsonDocument? _document;

    /// <summary>The body as parsed ahead of the lock (<see cref="PrepareJson"/>), while the request lasts.</summary>
    public JsonElement? ParsedRoot => _document?.RootElement;

    /// <summary>
    /// Returns the pooled index of a body parsed by <see cref="PrepareJson"/>. Called once the answer is written: the
    /// nodes read from the body are not used after that (saved values are copies).
    /// </summary>
    public void Dispose()
    {
        _prepared = null;
        CheckedGraphs = null;
        Interlocked.Exchange(ref _document, null)?.Dispose();
        if (Interlocked.Exchange(ref _returned, 1) == 0 && PooledBody is { } pooled)
        {
            // After the document over it: nothing reads the body once the answer is written (saved values are copies).
            System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private int _returned;

    /// <summary>How deep objects and arrays may nest in a JSON body (System.Text.Json's default, made explicit).</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>A property named twice in one object is refused (a parser error), not read one way or the other.</summary>
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = false };

    /// <summary>
    /// Parses a JSON body with a bounded depth: deeper input answers JSON_PARSER_ERROR (400) instead of being walked
    /// recursively later.
    /// </summary>
    public static JsonNode ParseBody(ReadOnlySpan<byte> body, string what)
    {
        try
        {
            return JsonNode.Parse(body, documentOptions: BodyOptions) ?? throw ApiException.ParserError("The HTTP entity body is required, but this request has no entity body.");
        }
        catch (JsonException e)
        {
            if (NestsDeeperThan(body, MaxJsonDepth))
            {
                throw ApiException.ParserError($"The JSON in {what} nests objects or arrays more than {MaxJsonDepth} levels deep.");
            }

            var where = $"[line:{(e.LineNumber ?? 0) + 1}, column:{(e.BytePositionInLine ?? 0) + 1}]";
            throw ApiException.ParserError(e.Message.Contains("uplicate", StringComparison.Ordinal)
                ? $"Duplicate field in {what} at {where}: each field may appear once in an object."
                : $"Unexpected character in {what} at {where}");
        }
    }

    /// <summary>A non-recursive scan: true when brackets outside strings nest deeper than <paramref name="limit"/>.</summary>
    private static bool NestsDeeperThan(ReadOnlySpan<byte> json, int limit)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    if (++depth > limit)
                    {
                        return true;
                    }

                    break;
                case (byte)'}' or (byte)']':
                    depth--;
                    break;
            }
        }

        return false;
    }

    public JsonObject ReadJsonObject(string typeName)
    {
        var node = ReadJson();
        return node as JsonObject ?? throw ApiException.ParserError($"Cannot deserialize instance of {typeName} from {(node is JsonArray ? "START_ARRAY" : "VALUE_STRING")} value");
    }
}

internal sealed class ApiResponse
{
    public ApiResponse(int status, JsonNode? json = null)
    {
        Status = status;
        Json = json;
    }

    public int Status { get; set; }

    public JsonNode? Json { get; set; }

    public byte[]? Raw { get; init; }

    public string? ContentType { get; init; }

    /// <summary>
    /// Writes the JSON body when it is asked for, outside the emulator's lock, instead of <see cref="Json"/>: a composite
    /// or graph answer holds hundreds of subrequest answers, written straight to UTF-8 instead of wrapped in nodes.
    /// </summary>
    public Action<Utf8JsonWriter>? Writer { get; set; }

    /// <summary>Whether the answer has a JSON body (possibly empty), so it is sent with a JSON content type.</summary>
    public bool HasJsonBody => Json is not null || Writer is not null;

    /// <summary>The headers, made when the first is set (most subrequest answers have none).</summary>
    public Dictionary<string, string> Headers => _headers ??= new(StringComparer.OrdinalIgnoreCase);

    private Dictionary<string, string>? _headers;

    /// <summary>
    /// The Location of a record the request created, sent as that header: kept apart from <see cref="Headers"/>, which a
    /// created record's answer needs no more of (a graph creates hundreds).
    /// </summary>
    public string? Location { get; set; }

    /// <summary>A header's value, without making the headers for an answer that has none.</summary>
    public string? Header(string name) =>
        Location is not null && name.Equals("Location", StringComparison.OrdinalIgnoreCase) ? Location
        : _headers is { } headers && headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Every header to send: <see cref="Headers"/> and <see cref="Location"/>.</summary>
    public Dictionary<string, string> HeadersToSend()
    {
        var all = _headers is { } headers ? new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase) : new(StringComparer.OrdinalIgnoreCase);
        if (Location is not null)
        {
            all["Location"] = Location;
        }

        return all;
    }

    /// <summary>Drops the body (a HEAD request).</summary>
    public void DropBody()
    {
        Json = null;
        Writer = null;
    }

    public static ApiResponse Error(int status, IEnumerable<ApiError> errors) => new(status, ApiError.ToJsonArray(errors));

    public static ApiResponse OAuthError(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description });

    /// <summary>
    /// Writes the body into an array of the shared pool (the loopback server's answers: a chunk's graph answer is hundreds
    /// of kilobytes, a fresh large array each time); the caller returns the array. No array when there is no body.
    /// </summary>
    public (byte[]? Pooled, ReadOnlyMemory<byte> Body) RentBody()
    {
        if (Raw is not null || !HasJsonBody)
        {
            return (null, Raw ?? ReadOnlyMemory<byte>.Empty);
        }

        var pooled = Write(static length => System.Buffers.ArrayPool<byte>.Shared.Rent(length), out var written);
        return (pooled, pooled.AsMemory(0, written));
    }

    /// <summary>The body, in an array of its exact size the caller owns.</summary>
    public byte[] BodyBytes() =>
        Raw is not null || !HasJsonBody ? Raw ?? [] : Write(static length => GC.AllocateUninitializedArray<byte>(length), out _);

    /// <summary>
    /// Writes the JSON body straight to UTF-8 (the same bytes as ToJsonString() encoded, without the UTF-16 string in
    /// between) into this thread's reused buffer (a chunk's answer is hundreds of kilobytes: a fresh buffer grew through
    /// a dozen zeroed arrays), then copies it once into an array from <paramref name="array"/>.
    /// </summary>
    private byte[] Write(Func<int, byte[]> array, out int written)
    {
        var buffer = t_answerBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
        var writer = t_answerWriter ??= new Utf8JsonWriter(buffer);
        try
        {
            if (Writer is { } write)
            {
                write(writer);
            }
            else
            {
                Json!.WriteTo(writer);
            }

            writer.Flush();
            written = buffer.WrittenCount;
            var bytes = array(written);
            buffer.WrittenSpan.CopyTo(bytes);
            return bytes;
        }
        finally
        {
            writer.Reset(buffer);
            buffer.ResetWrittenCount();
            if (buffer.Capacity > MaxReusedAnswerBuffer)
            {
                t_answerBuffer = null;
                t_answerWriter = null;
            }
        }
    }

    /// <summary>A thread keeps its answer buffer up to this size; a larger one (a 64 MB file download) is let go.</summary>
    private const int MaxReusedAnswerBuffer = 4 * 1024 * 1024;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_answerBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_answerWriter;

    public string? FirstErrorCode()
    {
        if (Status < 300)
        {
            return null;
        }

        return Json switch
        {
            JsonArray { Count: > 0 } a when a[0] is JsonObject o => Json_(o["errorCode"]) ?? Json_(o["statusCode"]),
            JsonObject o => Json_(o["errorCode"]) ?? Json_(o["error"]),
            _ => null,
        };

        static string? Json_(JsonNode? n) => n is null ? null : Internal.Json.Str(n);
    }
}
