using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>/composite, /composite/graph and /composite/sobjects (sObject Collections).</summary>
internal sealed partial class CompositeApi
{
    private const string HaltedMessage = "The transaction was rolled back since another operation in the same transaction failed.";
    private readonly RestApi _api;

    public CompositeApi(RestApi api) => _api = api;

    /// <summary>Subrequests of the last composite call, for the request log.</summary>
    public List<EmulatorSubrequest> LastSubrequests { get; } = [];

    public ApiResponse Handle(ApiRequest request, string method, string[] rest, CallContext ctx)
    {
        if (rest.Length == 1)
        {
            return method == "POST" ? Composite(request, ctx) : RestApi.MethodNotAllowed(method, "POST");
        }

        if (rest.Length == 2 && rest[1] == "graph")
        {
            return method == "POST" ? Graph(request, ctx) : RestApi.MethodNotAllowed(method, "POST");
        }

        if (rest[1] == "sobjects")
        {
            return Collections(request, method, rest, ctx);
        }

        if (rest.Length == 2 && rest[1] == "batch")
        {
            return method == "POST" ? Batch(request, ctx) : RestApi.MethodNotAllowed(method, "POST");
        }

        throw ApiException.NotFound();
    }

    // ---------- /composite ----------

    private ApiResponse Composite(ApiRequest request, CallContext ctx)
    {
        var body = request.ReadJsonObject("CompositeRequest");
        var allOrNone = Json.Bool(body["allOrNone"]);
        var subrequests = body["compositeRequest"] as JsonArray
            ?? throw new ApiException(400, "JSON_PARSER_ERROR", "compositeRequest is required");
        LastSubrequests.Clear();
        if (subrequests.Count > 25)
        {
            throw new ApiException(400, "INVALID_INPUT", $"Composite request can have at most 25 subrequests; this one has {subrequests.Count}.");
        }

        var heads = new NodeHead[subrequests.Count];
        for (var i = 0; i < heads.Length; i++)
        {
            heads[i] = NodeHead.Read(subrequests[i]);
        }

        var results = Run(heads, allOrNone, request, ctx, graph: false);
        return new ApiResponse(200)
        {
            Writer = w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("compositeResponse");
                WriteResults(w, results);
                w.WriteEndObject();
            },
        };
    }

    // ---------- /composite/batch ----------

    /// <summary>
    /// Independent subrequests (no references, no rollback), up to 25: <c>batchRequests[{method, url, richInput}]</c> with URLs
    /// relative to /services/data, answered as <c>{hasErrors, results[{statusCode, result}]}</c> (fixture 60); with
    /// <c>haltOnError</c> the subrequests after a failure answer 412 BATCH_PROCESSING_HALTED.
    /// </summary>
    private ApiResponse Batch(ApiRequest request, CallContext ctx)
    {
        var body = request.ReadJsonObject("BatchRequest");
        var items = body["batchRequests"] as JsonArray ?? throw new ApiException(400, "JSON_PARSER_ERROR", "batchRequests is required");
        if (items.Count > 25)
        {
            throw new ApiException(400, "INVALID_INPUT", $"A batch request can have at most 25 subrequests; this one has {items.Count}.");
        }

        var halt = Json.Bool(body["haltOnError"]);
        LastSubrequests.Clear();
        var results = new JsonArray();
        var hasErrors = false;
        var halted = false;
        foreach (var node in items)
        {
            if (node is not JsonObject sub)
            {
                throw ApiException.ParserError("Each batchRequests item must be an object.");
            }

            var method = Json.Str(sub["method"]) ?? string.Empty;
            var url = Json.Str(sub["url"]) ?? string.Empty;
            url = url.StartsWith("/services/data/", StringComparison.Ordinal) ? url : "/services/data/" + url.TrimStart('/');
            if (halted)
            {
                results.Add(new JsonObject
                {
                    ["statusCode"] = 412,
                    ["result"] = new JsonArray { new JsonObject { ["errorCode"] = "BATCH_PROCESSING_HALTED", ["message"] = "Batch processing halted per request" } },
                });
                continue;
            }

            var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase);
            ApiResponse response;
            try
            {
                if (method is not ("GET" or "POST" or "PATCH" or "PUT" or "DELETE" or "HEAD"))
                {
                    throw new ApiException(400, "INVALID_INPUT", $"Invalid method: {method}.");
                }

                response = Dispatch(method, url, sub["richInput"]?.DeepClone(), sub.ContainsKey("richInput"), headers, ctx);
            }
            catch (ApiException e)
            {
                response = ApiResponse.Error(e.Status, e.Errors);
            }

            results.Add(new JsonObject { ["statusCode"] = response.Status, ["result"] = response.Json?.DeepClone() });
            LastSubrequests.Add(new EmulatorSubrequest(method, url, response.Status, headers.GetValueOrDefault("Sforce-Auto-Assign")));
            if (response.Status >= 400)
            {
                hasErrors = true;
                halted = halt;
            }
        }

        return new ApiResponse(200, new JsonObject { ["hasErrors"] = hasErrors, ["results"] = results });
    }

    private ApiResponse Graph(ApiRequest request, CallContext ctx)
    {
        var graphs = CheckedGraphs(request);
        LastSubrequests.Clear();
        var output = new List<(string Id, bool Ok, List<NodeResult> Results)>(graphs.Count);
        var failures = 0;
        foreach (var graph in graphs)
        {
            if (failures > MaxGraphFailures)
            {
                // "if the number of graph failures exceeds the maximum limit of 14, processing is halted for the remaining graphs"
                var halted = new List<NodeResult>(graph.Nodes.Length);
                foreach (var node in graph.Nodes)
                {
                    var error = new JsonArray { new JsonObject { ["errorCode"] = "PROCESSING_HALTED", ["message"] = $"Processing halted: more than {MaxGraphFailures} graphs in this request failed." } };
                    halted.Add(new NodeResult(node.RefId, 400, error, null));
                }

                output.Add((graph.Id, false, halted));
                continue;
            }

            var results = Run(graph.Nodes, allOrNone: true, request, ctx, graph: true);
            var ok = results.TrueForAll(r => r.Status < 400);
            if (!ok)
            {
                failures++;
            }

            output.Add((graph.Id, ok, results));
        }

        return new ApiResponse(200)
        {
            Writer = w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("graphs");
                foreach (var (id, ok, results) in output)
                {
                    w.WriteStartObject();
                    w.WriteString("graphId", id);
                    w.WriteStartObject("graphResponse");
                    w.WritePropertyName("compositeResponse");
                    WriteResults(w, results);
                    w.WriteEndObject();
                    w.WriteBoolean("isSuccessful", ok);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            },
        };
    }

    /// <summary>A subrequest's answer in a composite or graph answer: its body is the answer the resource gave.</summary>
    private readonly record struct NodeResult(string? ReferenceId, int Status, JsonNode? Body, string? Location);

    /// <summary>Writes subrequest answers as <c>[{body, httpHeaders, httpStatusCode, referenceId}]</c>.</summary>
    private static void WriteResults(Utf8JsonWriter w, List<NodeResult> results)
    {
        w.WriteStartArray();
        foreach (var result in results)
        {
            w.WriteStartObject();
            w.WritePropertyName("body");
            if (result.Body is { } body)
            {
                body.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteStartObject("httpHeaders");
            if (result.Location is { } location)
            {
                w.WriteString("Location", location);
            }

            w.WriteEndObject();
            w.WriteNumber("httpStatusCode", result.Status);
            if (result.ReferenceId is { } refId)
            {
                w.WriteString("referenceId", refId);
            }
            else
            {
                w.WriteNull("referenceId");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>A subrequest's reference id, method, URL, body and own headers, read from the request once.</summary>
    internal readonly record struct NodeHead(string? RefId, string? Method, string Url, bool HasBody, JsonNode? Body, JsonObject? Headers)
    {
        /// <summary>Whether the body may hold <c>@{reference}</c>s to substitute (unknown until the graph is checked).</summary>
        public bool BodyMayReference { get; init; } = true;

        public static NodeHead Read(JsonNode? node) => node is JsonObject sub
            ? new NodeHead(Json.Str(sub["referenceId"]), Json.Str(sub["method"]), Json.Str(sub["url"]) ?? string.Empty, sub.ContainsKey("body"), sub["body"], sub["httpHeaders"] as JsonObject)
            : throw ApiException.ParserError("Each compositeRequest item must be an object.");

        /// <summary>
        /// Reads a node from the request as parsed, without making a JSON node of the node itself (a graph has hundreds):
        /// the same values as <see cref="Read(JsonNode?)"/>; the body becomes a JSON node of its own.
        /// </summary>
        public static NodeHead Read(JsonElement node)
        {
            if (node.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.ParserError("Each compositeRequest item must be an object.");
            }

            var hasBody = node.TryGetProperty("body", out var body);
            return new NodeHead(
                Str(node, "referenceId"),
                Str(node, "method"),
                Str(node, "url") ?? string.Empty,
                hasBody,
                hasBody ? NodeOf(body) : null,
                node.TryGetProperty("httpHeaders", out var headers) && headers.ValueKind == JsonValueKind.Object ? JsonObject.Create(headers) : null);
        }

        private static string? Str(JsonElement node, string name) => !node.TryGetProperty(name, out var value) ? null : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => NodeOf(value)!.ToJsonString(),
        };

        private static JsonNode? NodeOf(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(value),
            JsonValueKind.Array => JsonArray.Create(value),
            JsonValueKind.Null => null,
            _ => JsonValue.Create(value),
        };
    }

    /// <summary>A graph of a graph request, read and checked.</summary>
    internal sealed record CheckedGraph(string Id, NodeHead[] Nodes);

    /// <summary>
    /// Reads and checks a graph request's body ahead of the emulator's lock: the limits and shapes depend on the body
    /// alone, so concurrent requests check in parallel and the lock is held only while records are written. The outcome
    /// (graphs or error) waits on the request until <see cref="Graph"/> takes it, so errors keep their order (a request
    /// that fails authentication still answers 401).
    /// </summary>
    public static void PrepareGraph(ApiRequest request)
    {
        if (request.Method != "POST" || !request.Path.EndsWith("/composite/graph", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            request.CheckedGraphs = ReadGraphs(request);
        }
        catch (ApiException e)
        {
            request.GraphsError = e;
        }
    }

    private static List<CheckedGraph> CheckedGraphs(ApiRequest request)
    {
        if (request.GraphsError is { } error)
        {
            throw error;
        }

        return request.CheckedGraphs ?? ReadGraphs(request);
    }

    private static List<CheckedGraph> ReadGraphs(ApiRequest request)
    {
        var body = request.ReadJsonObject("GraphRequest");
        var graphs = body["graphs"] as JsonArray ?? throw new ApiException(400, "JSON_PARSER_ERROR", "graphs is required");
        if (graphs.Count > 75)
        {
            throw new ApiException(400, "INVALID_INPUT", "The number of graphs exceeds the maximum of 75.");
        }

        var total = graphs.Sum(g => (g?["compositeRequest"] as JsonArray)?.Count ?? 0);
        if (total > 500)
        {
            throw new ApiException(400, "INVALID_INPUT", "The number of nodes exceeds the maximum of 500.");
        }

        return CheckGraphShapes(graphs, request.ParsedRoot is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("graphs", out var parsed) && parsed.ValueKind == JsonValueKind.Array ? parsed : null);
    }

    /// <summary>Composite graph limits (REST API Developer Guide, "Composite Graph Limits").</summary>
    private const int MaxGraphDepth = 15;
    private const int MaxDifferentNodes = 15;
    private const int MaxGraphFailures = 14;

    /// <summary>
    /// Checks every graph before running any: ids present and unique, each graph at most 15 deep (chains of
    /// @{reference} between nodes) and at most 15 different nodes (API version, method, object) in the payload.
    /// </summary>
    private static List<CheckedGraph> CheckGraphShapes(JsonArray graphs, JsonElement? elements)
    {
        var g = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var checkedGraphs = new List<CheckedGraph>(graphs.Count);
        foreach (var graph in graphs)
        {
            var id = Json.Str(graph?["graphId"]) ?? throw new ApiException(400, "INVALID_INPUT", "graphId is required");
            if (id.Length == 0 || id.Length > 40 || !char.IsAsciiLetterOrDigit(id[0]) || !ids.Add(id))
            {
                throw new ApiException(400, "INVALID_INPUT", $"Invalid graphId: {id}. Graph ids must be unique within the request, start with an alphanumeric character and be at most 40 characters long.");
            }

            var requests = graph?["compositeRequest"] as JsonArray ?? throw new ApiException(400, "INVALID_INPUT", "compositeRequest is required");
            // The nodes as parsed, when the request was parsed ahead (the same array the JSON nodes stand for).
            var parsed = elements is { } all && all.GetArrayLength() > g && all[g].ValueKind == JsonValueKind.Object
                && all[g].TryGetProperty("compositeRequest", out var array) && array.ValueKind == JsonValueKind.Array && array.GetArrayLength() == requests.Count
                ? array : (JsonElement?)null;
            g++;
            var nodes = new NodeHead[requests.Count];
            var depths = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < nodes.Length; i++)
            {
                var node = nodes[i] = parsed is { } p ? NodeHead.Read(p[i]) : NodeHead.Read(requests[i]);
                AddKind(kinds, node.Url, node.Method);

                var depth = 1;
                if (node.Url.Contains("@{", StringComparison.Ordinal))
                {
                    Deepen(node.Url, depths, ref depth);
                }

                if (node.Body is { } body && !DeepenByBody(body, depths, ref depth))
                {
                    node = nodes[i] = node with { BodyMayReference = false };
                }

                if (depth > MaxGraphDepth)
                {
                    throw new ApiException(400, "INVALID_INPUT", $"Graph {id} is deeper than the maximum of {MaxGraphDepth}: node {node.RefId} is {depth} references deep.");
                }

                if (node.RefId is { } refId)
                {
                    depths[refId] = depth;
                }
            }

            CheckNodes(nodes, graph: true);
            checkedGraphs.Add(new CheckedGraph(id, nodes));
        }

        if (kinds.Count > MaxDifferentNodes)
        {
            throw new ApiException(400, "INVALID_INPUT", $"The request uses {kinds.Count} different nodes (API version, method and object); the maximum is {MaxDifferentNodes}.");
        }

        return checkedGraphs;
    }

    /// <summary>
    /// Adds a node's "API version, method, object" to the kinds of a request (the limit of different nodes a request),
    /// making a string of it only the first time it is seen.
    /// </summary>
    private static void AddKind(HashSet<string> kinds, string url, string? method)
    {
        var path = url.AsSpan();
        if (path.IndexOf('?') is var question and >= 0)
        {
            path = path[..question];
        }

        // The segment before the first "sobjects" segment (the version) and the one after it (the object).
        ReadOnlySpan<char> before = default, previous = default, after = default;
        var found = false;
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.IsEmpty)
            {
                continue;
            }

            if (found)
            {
                after = segment;
                break;
            }

            if (segment.SequenceEqual("sobjects"))
            {
                found = true;
                before = previous;
                continue;
            }

            previous = segment;
        }

        method ??= string.Empty;
        var length = before.Length + method.Length + after.Length + 2;
        Span<char> kind = length <= 256 ? stackalloc char[length] : new char[length];
        before.CopyTo(kind);
        kind[before.Length] = ' ';
        method.CopyTo(kind[(before.Length + 1)..]);
        kind[before.Length + 1 + method.Length] = ' ';
        after.CopyTo(kind[(before.Length + method.Length + 2)..]);
        var lookup = kinds.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.Contains(kind))
        {
            kinds.Add(kind.ToString());
        }
    }

    /// <summary>Raises <paramref name="depth"/> to one more than the deepest earlier node a text's <c>@{reference}</c>s name.</summary>
    private static void Deepen(string text, Dictionary<string, int> depths, ref int depth)
    {
        foreach (Match m in ReferencePattern().Matches(text))
        {
            var referenced = m.Groups[1].Value.Split('.', '[')[0];
            if (depths.TryGetValue(referenced, out var d))
            {
                depth = Math.Max(depth, d + 1);
            }
        }
    }

    /// <summary>
    /// Looks for <c>@{reference}</c>s in the names and string values of a node's body (its depth is bounded when it is
    /// parsed); returns whether a value holds one (a body without any is saved as it is, without looking again).
    /// </summary>
    private static bool DeepenByBody(JsonNode node, Dictionary<string, int> depths, ref int depth)
    {
        var found = false;
        switch (node)
        {
            case JsonObject o:
                for (var i = 0; i < o.Count; i++)
                {
                    var (key, value) = o.GetAt(i);
                    if (key.Contains("@{", StringComparison.Ordinal))
                    {
                        Deepen(key, depths, ref depth);
                    }

                    if (value is not null)
                    {
                        found |= DeepenByBody(value, depths, ref depth);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    if (item is not null)
                    {
                        found |= DeepenByBody(item, depths, ref depth);
                    }
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && MayHoldReference(v) && v.TryGetValue<string>(out var text) && text.Contains("@{", StringComparison.Ordinal):
                Deepen(text, depths, ref depth);
                found = true;
                break;
        }

        return found;
    }

    /// <summary>
    /// Whether a string value may hold <c>@{</c>. A value parsed from the request is looked at in its raw UTF-8 form,
    /// without making a string of it (a transcript is kilobytes long); a raw value is decoded only when it may spell
    /// <c>@{</c> through escapes.
    /// </summary>
    private static bool MayHoldReference(JsonValue value)
    {
        if (!value.TryGetValue<JsonElement>(out var element))
        {
            return true;
        }

        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        if (raw.IndexOf("@{"u8) >= 0)
        {
            return true;
        }

        // Only a \uXXXX escape can spell '@' or '{' (writers escape quotes, '+', '<' and the like that way too):
        // look at each, and decode the value only when one of them is '@' or '{'.
        var rest = raw;
        for (var at = rest.IndexOf("\\u"u8); at >= 0; at = rest.IndexOf("\\u"u8))
        {
            rest = rest[(at + 2)..];
            if (rest.Length >= 4 && System.Buffers.Text.Utf8Parser.TryParse(rest[..4], out ushort code, out var used, 'x') && used == 4 && code is 0x40 or 0x7B)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks subrequests before any runs: reference ids, methods, resources and headers.</summary>
    private static void CheckNodes(NodeHead[] nodes, bool graph)
    {
        var referenceIds = new HashSet<string>(StringComparer.Ordinal);
        var heavy = 0;
        foreach (var (refId, method, url, _, _, ownHeaders) in nodes)
        {
            if (string.IsNullOrEmpty(refId) || !ReferenceIdPattern().IsMatch(refId) || !referenceIds.Add(refId))
            {
                throw new ApiException(400, "INVALID_INPUT", $"Invalid reference id: {refId}. Reference ids must be unique, start with a letter and contain only alphanumeric characters and underscores.");
            }

            if (method is not ("GET" or "POST" or "PATCH" or "PUT" or "DELETE"))
            {
                throw new ApiException(400, "INVALID_INPUT", $"Invalid method: {method}. Allowed methods are GET, POST, PUT, PATCH and DELETE.");
            }

            if (url.Contains("/query", StringComparison.Ordinal) || url.Contains("/composite/sobjects", StringComparison.Ordinal))
            {
                heavy++;
            }

            if (graph && !url.Contains("/sobjects/", StringComparison.Ordinal))
            {
                throw new ApiException(400, "INVALID_INPUT", $"Composite graph nodes may only use sObject resources: {url}");
            }

            if (ownHeaders is { } headers && headers.Any(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Accept", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            {
                throw new ApiException(400, "INVALID_INPUT", "Subrequests may not set the Accept, Authorization or Content-Type headers.");
            }
        }

        if (!graph && heavy > 5)
        {
            throw new ApiException(400, "INVALID_INPUT", "Composite request can contain at most 5 query or sObject Collections subrequests.");
        }
    }

    private List<NodeResult> Run(NodeHead[] nodes, bool allOrNone, ApiRequest parent, CallContext ctx, bool graph)
    {
        if (!graph)
        {
            // A graph's nodes were checked with the rest of the request, before any graph ran.
            CheckNodes(nodes, graph: false);
        }

        var results = new List<NodeResult>(nodes.Length);
        var bodies = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        // Nodes that add the same headers (a graph's nodes all suppress assignment rules, say) share one merged set.
        JsonObject? lastOwnHeaders = null;
        var lastHeaders = parent.Headers;
        var marker = _api.Org.BeginTransaction();
        var failedIndex = -1;
        try
        {
            foreach (var node in nodes)
            {
                var (refId, method, nodeUrl, hasBody, nodeBody, ownHeaders) = node;
                // The request's headers, read-only, unless the node adds its own.
                var headers = parent.Headers;
                if (ownHeaders is { } subHeaders)
                {
                    if (lastOwnHeaders is null || !JsonNode.DeepEquals(subHeaders, lastOwnHeaders))
                    {
                        lastHeaders = new Dictionary<string, string>(parent.Headers, StringComparer.OrdinalIgnoreCase);
                        foreach (var (k, v) in subHeaders)
                        {
                            lastHeaders[k] = Json.Str(v) ?? string.Empty;
                        }

                        lastOwnHeaders = subHeaders;
                    }

                    headers = lastHeaders;
                }

                ApiResponse response;
                var url = nodeUrl;
                try
                {
                    url = url.Contains("@{", StringComparison.Ordinal) ? Substitute(url, bodies, urlEncode: true) : url;
                    // A graph node's body is read only by the sObject save it goes to, and nothing reads the request
                    // after it: its references are resolved in place. A composite subrequest may go anywhere: a copy.
                    var body = nodeBody is not { } b ? null
                        : graph && !node.BodyMayReference ? b
                        : SubstituteNode(graph ? b : b.DeepClone(), bodies);
                    response = Dispatch(method!, url, body, hasBody, headers, ctx);
                }
                catch (ApiException e)
                {
                    response = ApiResponse.Error(e.Status, e.Errors);
                }

                bodies[refId!] = response.Json;
                // The answer is written as the resource gave it (references read it there too); only Location of its headers.
                results.Add(new NodeResult(refId, response.Status, response.Json, response.Header("Location")));
                LastSubrequests.Add(new EmulatorSubrequest(method!, url, response.Status, headers.GetValueOrDefault("Sforce-Auto-Assign")));
                var failed = response.Status >= 400 || (response.Json is JsonArray items && items.Any(i => i is JsonObject o && o["success"] is JsonValue s && !Json.Bool(s, true)));
                if (failed && allOrNone)
                {
                    failedIndex = results.Count - 1;
                    break;
                }
            }
        }
        finally
        {
            _api.Org.EndTransaction(marker, commit: failedIndex < 0);
        }

        if (failedIndex >= 0)
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                if (i == failedIndex)
                {
                    continue;
                }

                var halted = new NodeResult(nodes[i].RefId, 400, new JsonArray { new JsonObject { ["errorCode"] = "PROCESSING_HALTED", ["message"] = HaltedMessage } }, null);
                if (i < results.Count)
                {
                    results[i] = halted;
                }
                else
                {
                    results.Add(halted);
                }
            }
        }

        return results;
    }

    private ApiResponse Dispatch(string method, string url, JsonNode? body, bool hasBody, Dictionary<string, string> headers, CallContext parent)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? url : url[..question];
        var query = question < 0 ? string.Empty : url[(question + 1)..];
        // The path's segments, read in place: only those after the version become strings (a graph has hundreds of nodes).
        var span = path.AsSpan();
        Span<Range> segments = stackalloc Range[MaxPathSegments];
        var count = span.Split(segments, '/', StringSplitOptions.RemoveEmptyEntries);
        if (count == MaxPathSegments || count < 3 || !span[segments[0]].SequenceEqual("services") || !span[segments[1]].SequenceEqual("data")
            || RestApi.ParseVersion(span[segments[2]]) is not { } version)
        {
            throw ApiException.NotFound();
        }

        var request = new ApiRequest
        {
            Method = method,
            Path = path,
            Query = EncodeQuery(query),
            Headers = headers,
            JsonBody = body,
            HasJsonBody = hasBody,
        };
        var ctx = new CallContext
        {
            UserId = parent.UserId,
            Version = version,
            AllowDuplicateSave = SalesforceEmulator.AllowSave(headers),
            AutoAssign = SalesforceEmulator.AutoAssign(headers),
            BatchSize = SalesforceEmulator.BatchSize(headers),
        };
        if (count > 3 && span[segments[3]].SequenceEqual("composite") && (count == 4 || span[segments[4]] is "graph" or "batch"))
        {
            throw new ApiException(400, "INVALID_INPUT", "A composite request cannot contain composite or graph subrequests.");
        }

        var rest = new string[count - 3];
        for (var i = 0; i < rest.Length; i++)
        {
            var segment = span[segments[i + 3]];
            rest[i] = segment.SequenceEqual("sobjects") ? "sobjects" : Uri.UnescapeDataString(segment);
        }

        return _api.Handle(request, rest, ctx);
    }

    /// <summary>More path segments than any resource has: such a URL names none.</summary>
    private const int MaxPathSegments = 32;

    /// <summary>Composite subrequest URLs often carry raw SOQL (spaces, quotes): percent-encode what a client would have.</summary>
    private static string EncodeQuery(string query)
    {
        if (query.AsSpan().IndexOfAny(' ', '\'') < 0)
        {
            return query;
        }

        var builder = new StringBuilder(query.Length + 32);
        foreach (var c in query)
        {
            _ = c switch
            {
                ' ' => builder.Append("%20"),
                '\'' => builder.Append("%27"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static string Substitute(string text, Dictionary<string, JsonNode?> bodies, bool urlEncode) =>
        ReferencePattern().Replace(text, m =>
        {
            var value = Resolve(m.Groups[1].Value, bodies);
            var s = Json.Str(value) ?? string.Empty;
            return urlEncode ? Uri.EscapeDataString(s) : s;
        });

    private static JsonNode? SubstituteNode(JsonNode node, Dictionary<string, JsonNode?> bodies)
    {
        switch (node)
        {
            case JsonObject o:
                for (var i = 0; i < o.Count; i++)
                {
                    if (o.GetAt(i).Value is { } child && SubstituteNode(child, bodies) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        o.SetAt(i, replaced);
                    }
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } child && SubstituteNode(child, bodies) is var replaced && !ReferenceEquals(replaced, child))
                    {
                        a[i] = replaced;
                    }
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && MayHoldReference(v) && v.TryGetValue<string>(out var s) && s.Contains("@{", StringComparison.Ordinal):
                var whole = ReferencePattern().Match(s);
                if (whole.Success && whole.Length == s.Length)
                {
                    return Resolve(whole.Groups[1].Value, bodies)?.DeepClone();
                }

                return JsonValue.Create(Substitute(s, bodies, urlEncode: false));
            default:
                return node;
        }
    }

    private static JsonNode? Resolve(string expression, Dictionary<string, JsonNode?> bodies)
    {
        var parts = expression.Split('.');
        if (!bodies.TryGetValue(parts[0], out var current))
        {
            throw new ApiException(400, "PROCESSING_HALTED", $"Invalid reference specified. No value for {expression} found in {parts[0]}. Provided referenceId ('{parts[0]}') must be a previous subrequest.");
        }

        foreach (var part in parts.Skip(1))
        {
            var m = IndexerPattern().Match(part);
            var name = m.Groups[1].Value;
            current = current is JsonObject o ? o[name] : null;
            foreach (Capture index in m.Groups[2].Captures)
            {
                var i = int.Parse(index.Value, System.Globalization.CultureInfo.InvariantCulture);
                current = current is JsonArray a && i < a.Count ? a[i] : null;
            }

            if (current is null)
            {
                throw new ApiException(400, "PROCESSING_HALTED", $"Invalid reference specified. No value for {expression} found in {parts[0]}.");
            }
        }

        return current;
    }

    // ---------- sObject Collections ----------

    private ApiResponse Collections(ApiRequest request, string method, string[] rest, CallContext ctx)
    {
        if (rest.Length == 2)
        {
            return method switch
            {
                "POST" => SaveMany(request, ctx, create: true),
                "PATCH" => SaveMany(request, ctx, create: false),
                "DELETE" => DeleteMany(request),
                _ => RestApi.MethodNotAllowed(method, "POST,PATCH,DELETE"),
            };
        }

        if (rest.Length == 4 && method == "PATCH")
        {
            return UpsertMany(request, rest[2], rest[3], ctx);
        }

        if (rest.Length == 4)
        {
            return RestApi.MethodNotAllowed(method, "PATCH");
        }

        throw ApiException.NotFound();
    }

    private static JsonArray Records(JsonObject body)
    {
        var records = body["records"] as JsonArray ?? throw ApiException.ParserError("records is required");
        if (records.Count > 200)
        {
            throw new ApiException(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        return records;
    }

    private static JsonObject Failure(IEnumerable<ApiError> errors, string? id = null)
    {
        var array = new JsonArray();
        foreach (var e in errors)
        {
            array.Add(e.ToItemJson());
        }

        var o = new JsonObject();
        if (id is not null)
        {
            o["id"] = id;
        }

        o["success"] = false;
        o["errors"] = array;
        return o;
    }

    private ApiResponse Finish(List<JsonObject> results, bool allOrNone, int marker)
    {
        var anyFailed = results.Any(r => !Json.Bool(r["success"]));
        var commit = !(allOrNone && anyFailed);
        _api.Org.EndTransaction(marker, commit);
        var array = new JsonArray();
        foreach (var r in results)
        {
            array.Add(!commit && Json.Bool(r["success"])
                ? Failure([new ApiError("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", [])])
                : r);
        }

        return new ApiResponse(200, array);
    }

    private ApiResponse SaveMany(ApiRequest request, CallContext ctx, bool create)
    {
        var body = request.ReadJsonObject("SObjectCollection");
        var allOrNone = Json.Bool(body["allOrNone"]);
        var records = Records(body);
        var marker = _api.Org.BeginTransaction();
        var results = new List<JsonObject>();
        try
        {
            foreach (var node in records)
            {
                results.Add(SaveOne(node as JsonObject, ctx, create));
            }
        }
        catch
        {
            _api.Org.EndTransaction(marker, commit: false);
            throw;
        }

        return Finish(results, allOrNone, marker);
    }

    private JsonObject SaveOne(JsonObject? record, CallContext ctx, bool create)
    {
        if (record is null)
        {
            return Failure([new ApiError("JSON_PARSER_ERROR", "Each record must be a JSON object", [])]);
        }

        var type = Json.Str(record["attributes"]?["type"]);
        var def = type is null ? null : _api.Org.Object(type);
        if (def is null)
        {
            return Failure([new ApiError("INVALID_TYPE", type is null ? "Must specify a type in the attributes of each record" : $"sObject type '{type}' is not supported.", [])]);
        }

        if (create)
        {
            var outcome = _api.Org.Save(def, record, null, RestApi.Options(ctx));
            return outcome.Success ? RestApi.SaveResult(outcome.Record!.Id) : Failure(outcome.Errors);
        }

        var idText = record.FirstOrDefault(p => string.Equals(p.Key, "Id", StringComparison.OrdinalIgnoreCase)).Value is { } idNode ? Json.Str(idNode) : null;
        if (idText is null)
        {
            return Failure([new ApiError("MISSING_ARGUMENT", "Id not specified in an update call", [])]);
        }

        var id = SalesforceId.Normalize(idText);
        var existing = _api.Org.Get(id);
        if (id is null || SalesforceId.Prefix(id) != def.KeyPrefix)
        {
            return Failure([new ApiError("MALFORMED_ID", $"{def.Label} ID: id value of incorrect type: {idText}", ["Id"])]);
        }

        if (existing is null || existing.Def != def)
        {
            return Failure([new ApiError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [])], idText);
        }

        var updated = _api.Org.Save(def, record, existing, RestApi.Options(ctx));
        return updated.Success ? RestApi.SaveResult(existing.Id) : Failure(updated.Errors, existing.Id);
    }

    private ApiResponse DeleteMany(ApiRequest request)
    {
        var ids = (request.QueryParameter("ids") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0)
        {
            throw new ApiException(400, "MISSING_ARGUMENT", "ids is required");
        }

        if (ids.Length > 200)
        {
            throw new ApiException(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        var allOrNone = string.Equals(request.QueryParameter("allOrNone"), "true", StringComparison.OrdinalIgnoreCase);
        var marker = _api.Org.BeginTransaction();
        var results = new List<JsonObject>();
        foreach (var text in ids)
        {
            var record = _api.Org.Get(text);
            if (SalesforceId.Normalize(text) is null)
            {
                results.Add(Failure([new ApiError("MALFORMED_ID", $"malformed id {text}", [])], text));
                continue;
            }

            if (record is null)
            {
                results.Add(Failure([new ApiError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", [])], text));
                continue;
            }

            var error = _api.Org.Delete(record);
            results.Add(error is null ? RestApi.SaveResult(record.Id) : Failure([error], record.Id));
        }

        return Finish(results, allOrNone, marker);
    }

    private ApiResponse UpsertMany(ApiRequest request, string typeName, string fieldName, CallContext ctx)
    {
        var def = _api.Org.Object(typeName) ?? throw ApiException.NotFound();
        var field = def.Field(fieldName);
        if (field is null || !(field.ExternalId || field.IdLookup))
        {
            throw new ApiException(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {fieldName}");
        }

        var body = request.ReadJsonObject("SObjectCollection");
        var allOrNone = Json.Bool(body["allOrNone"]);
        var records = Records(body);
        var marker = _api.Org.BeginTransaction();
        var results = new List<JsonObject>();
        try
        {
            foreach (var node in records)
            {
                if (node is not JsonObject record)
                {
                    results.Add(Failure([new ApiError("JSON_PARSER_ERROR", "Each record must be a JSON object", [])]));
                    continue;
                }

                var type = Json.Str(record["attributes"]?["type"]);
                if (type is not null && !string.Equals(type, def.Name, StringComparison.OrdinalIgnoreCase))
                {
                    results.Add(Failure([new ApiError("INVALID_TYPE", $"Record type {type} does not match {def.Name}", [])]));
                    continue;
                }

                var key = record.FirstOrDefault(p => string.Equals(p.Key, field.Name, StringComparison.OrdinalIgnoreCase)).Value;
                var value = Json.Str(key);
                if (string.IsNullOrEmpty(value))
                {
                    results.Add(Failure([new ApiError("MISSING_ARGUMENT", $"{field.Name} not specified", [])]));
                    continue;
                }

                var matches = _api.Org.FindByField(def, field, JsonValue.Create(value));
                if (matches.Count > 1)
                {
                    results.Add(Failure([new ApiError("DUPLICATE_EXTERNAL_ID", $"The value '{value}' for field '{field.Name}' matches more than one record", [field.Name])]));
                    continue;
                }

                var outcome = _api.Org.Save(def, record, matches.Count == 1 ? matches[0] : null, RestApi.Options(ctx));
                if (!outcome.Success)
                {
                    results.Add(Failure(outcome.Errors));
                    continue;
                }

                var result = RestApi.SaveResult(outcome.Record!.Id);
                result["created"] = matches.Count == 0;
                results.Add(result);
            }
        }
        catch
        {
            _api.Org.EndTransaction(marker, commit: false);
            throw;
        }

        return Finish(results, allOrNone, marker);
    }

    [GeneratedRegex(@"@\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+(?:\[\d+\])*)+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^([A-Za-z0-9_]+)(?:\[(\d+)\])*$", RegexOptions.CultureInvariant)]
    private static partial Regex IndexerPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceIdPattern();
}
