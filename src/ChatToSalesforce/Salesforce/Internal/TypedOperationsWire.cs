using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// How the typed reads and writes of <see cref="ISalesforceClient"/> travel: reads as GET subrequests of <c>/composite</c>
/// requests, writes as graphs of <c>/composite/graph</c> requests (each graph all or nothing; one unit per graph, or a few when a request carries more than 75 units).
/// </summary>
/// <remarks>Limits (API-FACTS §4.4, §4.5): 25 subrequests, 5 of them queries, per composite; 75 graphs, 500 nodes and 15
/// different nodes (method and object) per graph request.</remarks>
internal static class TypedOperationsWire
{
    internal const int MaxSubrequests = 25;
    internal const int MaxQueriesPerComposite = 5;
    internal const int MaxGraphs = 75;
    internal const int MaxNodes = 500;
    internal const int MaxDifferentNodes = 15;

    private const string HaltedCode = "PROCESSING_HALTED";

    /// <summary>Splits reads into composite requests within Salesforce's limits; returns the read indexes of each request.</summary>
    public static List<List<int>> PlanReads(IReadOnlyList<SalesforceRead> reads)
    {
        var requests = new List<List<int>>();
        var queries = new Queue<int>();
        var describes = new Queue<int>();
        for (var i = 0; i < reads.Count; i++)
        {
            (reads[i].Kind == SalesforceReadKind.Query ? queries : describes).Enqueue(i);
        }

        while (queries.Count > 0 || describes.Count > 0)
        {
            var request = new List<int>();
            while (queries.Count > 0 && request.Count < MaxQueriesPerComposite)
            {
                request.Add(queries.Dequeue());
            }

            while (describes.Count > 0 && request.Count < MaxSubrequests)
            {
                request.Add(describes.Dequeue());
            }

            requests.Add(request);
        }

        return requests;
    }

    public static SalesforceCompositeRequest ReadRequest(IReadOnlyList<SalesforceRead> reads, List<int> indexes)
    {
        var request = new SalesforceCompositeRequest { AllOrNone = false };
        foreach (var i in indexes)
        {
            var read = reads[i];
            var url = read.Kind switch
            {
                SalesforceReadKind.Query => QueryUrl(read.Text),
                SalesforceReadKind.ObjectList => "sobjects",
                _ => "sobjects/" + Uri.EscapeDataString(read.Text) + "/describe",
            };
            request.Subrequests.Add(new SalesforceSubrequest("GET", url, "read" + i.ToString(CultureInfo.InvariantCulture)));
        }

        return request;
    }

    public static SalesforceReadResult ReadResult(SalesforceRead read, SalesforceSubresponse? sub)
    {
        var what = read.Kind switch
        {
            SalesforceReadKind.Query => "query",
            SalesforceReadKind.ObjectList => "object list",
            _ => $"describe of {read.Text}",
        };
        if (sub is null)
        {
            return new SalesforceReadResult { Error = new SalesforceApiException(HttpStatusCode.InternalServerError, null, $"Salesforce returned no result for the {what}.") };
        }

        if (!sub.IsSuccess)
        {
            return new SalesforceReadResult { Error = SalesforceErrorParser.ToException(sub.HttpStatusCode, sub.Body, $"The {what} failed", sub.ReferenceId) };
        }

        if (read.Kind == SalesforceReadKind.Describe)
        {
            try
            {
                return new SalesforceReadResult { Description = DescribeWire.FromJson(sub.Body ?? new JsonObject()) };
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException)
            {
                // As DescribeAsync reports it; the other reads of the request keep their results.
                return new SalesforceReadResult { Error = new SalesforceApiException((HttpStatusCode)sub.HttpStatusCode, "UNEXPECTED_RESPONSE", $"The {what} could not be read (not a describe result).", innerException: ex) };
            }
        }

        if (read.Kind == SalesforceReadKind.ObjectList)
        {
            return new SalesforceReadResult { Objects = ObjectList(sub.Body) };
        }

        if (!FieldValuesWire.TryReadQueryPage(sub.Utf8Body, out var page))
        {
            // Not "no records": a look-up that read it so would create a duplicate person (as QueryAsync reports it).
            return new SalesforceReadResult { Error = new SalesforceApiException((HttpStatusCode)sub.HttpStatusCode, "UNEXPECTED_RESPONSE", $"The {what} could not be read (not a query result).") };
        }

        return new SalesforceReadResult { Query = new SalesforceQueryResult(page.TotalSize, page.Records) { Requests = 0 }, HasMorePages = !page.Done };
    }

    /// <summary>Reads a global describe body (<c>GET sobjects</c>): each object's name, label and what the user may do.</summary>
    public static IReadOnlyList<SalesforceObjectSummary> ObjectList(JsonNode? body)
    {
        var list = new List<SalesforceObjectSummary>();
        if (body?["sobjects"] is not JsonArray objects)
        {
            return list;
        }

        foreach (var node in objects)
        {
            if (node is JsonObject o && o["name"] is JsonValue n && n.TryGetValue<string>(out var name))
            {
                list.Add(new SalesforceObjectSummary(name, o["label"] is JsonValue l && l.TryGetValue<string>(out var label) ? label : null, Flag(o["custom"]), Flag(o["createable"]), Flag(o["queryable"])));
            }
        }

        return list;

        static bool Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
    }

    /// <summary><c>query?q=</c> and the URL-encoded SOQL.</summary>
    public static string QueryUrl(string soql) => "query?q=" + Uri.EscapeDataString(soql);

    /// <summary>
    /// Splits units into graph requests within Salesforce's limits (500 nodes and 15 different nodes a request) and each
    /// request into graphs: one unit per graph while a request carries at most 75 units; beyond that, consecutive units
    /// share graphs, as few per graph as the 75 graphs allow.
    /// </summary>
    /// <remarks>
    /// A graph is all or nothing, so units that share one are rolled back together when one of them fails: the others'
    /// operations then answer <c>PROCESSING_HALTED</c>, their results say <see cref="SalesforceWriteResult.NotProcessed"/>,
    /// and the write engine sends them again. Sharing graphs costs one more request when a unit fails and saves up to
    /// two thirds of the requests of a 200-conversation chunk when none does (API-FACTS §4.5: the graph limit is 75 a
    /// request, the node limit 500).
    /// </remarks>
    /// <returns>The requests; each is its graphs, each graph the indexes of its units.</returns>
    public static List<List<int[]>> PlanWrites(IReadOnlyList<SalesforceWriteUnit> units)
    {
        var requests = new List<List<int[]>>();
        var current = new List<int>();
        var kinds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var nodes = 0;
        for (var i = 0; i < units.Count; i++)
        {
            var operations = units[i].Operations;
            var added = operations.Select(NodeKind).Where(k => !kinds.Contains(k)).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            if (current.Count > 0 && (nodes + operations.Count > MaxNodes || kinds.Count + added > MaxDifferentNodes))
            {
                requests.Add(Graphs(current));
                current = [];
                kinds.Clear();
                nodes = 0;
            }

            current.Add(i);
            nodes += operations.Count;
            foreach (var o in operations)
            {
                kinds.Add(NodeKind(o));
            }
        }

        if (current.Count > 0)
        {
            requests.Add(Graphs(current));
        }

        return requests;

        static List<int[]> Graphs(List<int> unitIndexes)
        {
            var graphs = Math.Min(unitIndexes.Count, MaxGraphs);
            var size = unitIndexes.Count / graphs;
            var larger = unitIndexes.Count % graphs;
            var list = new List<int[]>(graphs);
            var next = 0;
            for (var g = 0; g < graphs; g++)
            {
                var count = size + (g < larger ? 1 : 0);
                list.Add(unitIndexes.GetRange(next, count).ToArray());
                next += count;
            }

            return list;
        }
    }

    /// <summary>
    /// Writes the body of a <c>/composite/graph</c> request: the graphs of <paramref name="graphs"/>, <c>@{name.id}</c> for
    /// references. A graph that carries several units prefixes each operation's name with its unit (<c>u12_person</c>).
    /// </summary>
    public static void WriteGraphs(Utf8JsonWriter w, IReadOnlyList<SalesforceWriteUnit> units, List<int[]> graphs, Func<string, string> expandUrl)
    {
        // A create's URL depends on its object only: made once per object and request, not once per node.
        var createUrls = new Dictionary<string, string>(StringComparer.Ordinal);
        string Url(SalesforceWriteOperation op)
        {
            if (op.Kind != SalesforceWriteKind.Create)
            {
                return expandUrl(Path(op));
            }

            if (!createUrls.TryGetValue(op.ObjectType, out var url))
            {
                createUrls[op.ObjectType] = url = expandUrl(Path(op));
            }

            return url;
        }

        w.WriteStartObject();
        w.WriteStartArray("graphs");
        foreach (var graph in graphs)
        {
            w.WriteStartObject();
            w.WriteString("graphId", "g" + graph[0].ToString(CultureInfo.InvariantCulture));
            w.WriteStartArray("compositeRequest");
            foreach (var i in graph)
            {
                var prefix = graph.Length > 1 ? NodePrefix(i) : string.Empty;
                foreach (var op in units[i].Operations)
                {
                    WriteNode(w, op, prefix, Url);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>What makes nodes "different" for the limit of 15 a request: the HTTP method and the object.</summary>
    private static string NodeKind(SalesforceWriteOperation op) => Method(op.Kind) + " " + op.ObjectType;

    private static string Method(SalesforceWriteKind kind) => kind switch { SalesforceWriteKind.Create => "POST", SalesforceWriteKind.Delete => "DELETE", _ => "PATCH" };

    private static string NodePrefix(int unit) => "u" + unit.ToString(CultureInfo.InvariantCulture) + "_";

    private static string Path(SalesforceWriteOperation op) => op.Kind switch
    {
        SalesforceWriteKind.Create => $"sobjects/{op.ObjectType}",
        SalesforceWriteKind.Update or SalesforceWriteKind.Delete => $"sobjects/{op.ObjectType}/{Uri.EscapeDataString(op.Id ?? throw new ArgumentException($"{op.Kind} '{op.Name}' has no Id.", nameof(op)))}",
        _ => $"sobjects/{op.ObjectType}/{op.ExternalIdField}/{Uri.EscapeDataString(op.ExternalIdValue ?? throw new ArgumentException($"Upsert '{op.Name}' has no key value.", nameof(op)))}",
    };

    private static void WriteNode(Utf8JsonWriter w, SalesforceWriteOperation op, string prefix, Func<SalesforceWriteOperation, string> url)
    {
        if (!Soql.IsIdentifier(op.ObjectType) || (op.Kind == SalesforceWriteKind.Upsert && !Soql.IsIdentifier(op.ExternalIdField)))
        {
            throw new ArgumentException($"Write operation '{op.Name}' names an object or key field that is not an API name.", nameof(op));
        }

        w.WriteStartObject();
        w.WriteString("method", Method(op.Kind));
        w.WriteString("url", url(op));
        WriteJoined(w, "referenceId", string.Empty, prefix, op.Name, string.Empty);
        if (op.Kind == SalesforceWriteKind.Delete)
        {
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("body");
        FieldValuesWire.WriteProperties(w, op.Fields, op.References);

        foreach (var (field, target) in op.References)
        {
            WriteJoined(w, field, "@{", prefix, target, ".id}");
        }

        w.WriteEndObject();
        if (op.SuppressAssignmentRules)
        {
            w.WriteStartObject("httpHeaders");
            w.WriteString("Sforce-Auto-Assign", "FALSE");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Writes a string property whose value is four parts joined, without making a string of it (names and references of every node).</summary>
    private static void WriteJoined(Utf8JsonWriter w, string property, string a, string b, string c, string d)
    {
        var length = a.Length + b.Length + c.Length + d.Length;
        Span<char> value = length <= 256 ? stackalloc char[length] : new char[length];
        a.CopyTo(value);
        b.CopyTo(value[a.Length..]);
        c.CopyTo(value[(a.Length + b.Length)..]);
        d.CopyTo(value[(a.Length + b.Length + c.Length)..]);
        w.WriteString(property, value);
    }

    /// <summary>Reads a <c>/composite/graph</c> response into one result per unit of the request, in the order of <paramref name="graphs"/>.</summary>
    /// <remarks>
    /// The answer is read as it arrived (UTF-8), without building JSON nodes for it: a chunk's answer holds hundreds of
    /// nodes, of which a successful write needs only the status, the record id and whether an upsert created. Only the
    /// body of a failed node is parsed, for its errors.
    /// </remarks>
    public static SalesforceWriteResult[] ReadGraphs(byte[] body, IReadOnlyList<SalesforceWriteUnit> units, List<int[]> graphs, int status)
    {
        var byId = SalesforceGraphAnswer.Read(body);
        if (byId is null)
        {
            throw new SalesforceApiException((HttpStatusCode)status, "UNEXPECTED_RESPONSE", "The composite graph response has no graphs array.");
        }

        var results = new SalesforceWriteResult[graphs.Sum(g => g.Length)];
        var next = 0;
        foreach (var graphUnits in graphs)
        {
            byId.TryGetValue("g" + graphUnits[0].ToString(CultureInfo.InvariantCulture), out var graph);
            var success = graph is { IsSuccessful: true };
            foreach (var i in graphUnits)
            {
                var unit = units[i];
                var prefix = graphUnits.Length > 1 ? NodePrefix(i) : string.Empty;
                var operations = new SalesforceOperationResult[unit.Operations.Count];
                var allSucceeded = success;
                for (var o = 0; o < unit.Operations.Count; o++)
                {
                    var op = unit.Operations[o];
                    operations[o] = graph is not null && graph.Nodes.TryGetValue(prefix + op.Name, out var node)
                        ? ReadNode(op, node, success)
                        : Halted(op);
                    allSucceeded &= operations[o].Success;
                }

                results[next++] = new SalesforceWriteResult(allSucceeded, operations);
            }
        }

        return results;
    }

    /// <summary>The result of a unit whose request was not sent: Salesforce processed none of it (<see cref="SalesforceWriteResult.NotProcessed"/>).</summary>
    public static SalesforceWriteResult NotSent(SalesforceWriteUnit unit) => new(false, unit.Operations.Select(Halted).ToArray());

    private static SalesforceOperationResult Halted(SalesforceWriteOperation op) =>
        new(op.Name, false, null, false, [new SalesforceError(HaltedCode, "Salesforce did not process this operation.", [])], Halted: true);

    private static SalesforceOperationResult ReadNode(SalesforceWriteOperation op, SalesforceSubresponse node, bool graphSucceeded)
    {
        if (node.IsSuccess && graphSucceeded)
        {
            var (id, wasCreated) = ReadSaveResult(node.Utf8Body.Span);
            var created = op.Kind == SalesforceWriteKind.Create
                || (op.Kind == SalesforceWriteKind.Upsert && (node.HttpStatusCode == 201 || wasCreated));
            return new SalesforceOperationResult(op.Name, true, id ?? op.Id, created, []);
        }

        var errors = SalesforceErrorParser.Parse(node.Body);
        var halted = node.IsSuccess || errors.Count == 0 || errors.All(e => e.ErrorCode is HaltedCode or "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        return new SalesforceOperationResult(op.Name, false, null, false, errors, halted);
    }

    /// <summary>The <c>id</c> and <c>created</c> of a save result body (<c>{"id","success","errors","created"}</c>); anything else reads as neither.</summary>
    private static (string? Id, bool Created) ReadSaveResult(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, false);
        }

        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (null, false);
        }

        string? id = null;
        var created = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                created = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Skip();
            }
        }

        return (id, created);
    }
}
