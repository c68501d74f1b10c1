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
            return new SalesforceReadResult { Description = DescribeWire.FromJson(sub.Body!) };
        }

        if (read.Kind == SalesforceReadKind.ObjectList)
        {
            return new SalesforceReadResult { Objects = ObjectList(sub.Body) };
        }

        var body = sub.Body;
        var total = body?["totalSize"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 0;
        var records = FieldValuesWire.FromRecords(body?["records"]);

        var more = body?["done"] is JsonValue done && done.TryGetValue<bool>(out var isDone) && !isDone;
        return new SalesforceReadResult { Query = new SalesforceQueryResult(total, records) { Requests = 0 }, HasMorePages = more };
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
                    WriteNode(w, op, prefix, expandUrl);
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

    private static void WriteNode(Utf8JsonWriter w, SalesforceWriteOperation op, string prefix, Func<string, string> expandUrl)
    {
        if (!Soql.IsIdentifier(op.ObjectType) || (op.Kind == SalesforceWriteKind.Upsert && !Soql.IsIdentifier(op.ExternalIdField)))
        {
            throw new ArgumentException($"Write operation '{op.Name}' names an object or key field that is not an API name.", nameof(op));
        }

        var path = op.Kind switch
        {
            SalesforceWriteKind.Create => $"sobjects/{op.ObjectType}",
            SalesforceWriteKind.Update or SalesforceWriteKind.Delete => $"sobjects/{op.ObjectType}/{Uri.EscapeDataString(op.Id ?? throw new ArgumentException($"{op.Kind} '{op.Name}' has no Id.", nameof(op)))}",
            _ => $"sobjects/{op.ObjectType}/{op.ExternalIdField}/{Uri.EscapeDataString(op.ExternalIdValue ?? throw new ArgumentException($"Upsert '{op.Name}' has no key value.", nameof(op)))}",
        };
        w.WriteStartObject();
        w.WriteString("method", Method(op.Kind));
        w.WriteString("url", expandUrl(path));
        w.WriteString("referenceId", prefix + op.Name);
        if (op.Kind == SalesforceWriteKind.Delete)
        {
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("body");
        FieldValuesWire.WriteProperties(w, op.Fields, op.References);

        foreach (var (field, target) in op.References)
        {
            w.WriteString(field, "@{" + prefix + target + ".id}");
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

    /// <summary>Reads a <c>/composite/graph</c> response into one result per unit of the request, in the order of <paramref name="graphs"/>.</summary>
    public static SalesforceWriteResult[] ReadGraphs(JsonNode? body, IReadOnlyList<SalesforceWriteUnit> units, List<int[]> graphs, int status)
    {
        if (body?["graphs"] is not JsonArray answered)
        {
            throw new SalesforceApiException((HttpStatusCode)status, "UNEXPECTED_RESPONSE", "The composite graph response has no graphs array.");
        }

        var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var graph in answered.OfType<JsonObject>())
        {
            if (graph["graphId"] is JsonValue id && id.TryGetValue<string>(out var graphId))
            {
                byId[graphId] = graph;
            }
        }

        var results = new List<SalesforceWriteResult>(graphs.Sum(g => g.Length));
        foreach (var graphUnits in graphs)
        {
            byId.TryGetValue("g" + graphUnits[0].ToString(CultureInfo.InvariantCulture), out var graph);
            var nodes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            if (graph?["graphResponse"]?["compositeResponse"] is JsonArray responses)
            {
                foreach (var node in responses.OfType<JsonObject>())
                {
                    if (node["referenceId"] is JsonValue r && r.TryGetValue<string>(out var name))
                    {
                        nodes[name] = node;
                    }
                }
            }

            var success = graph?["isSuccessful"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk;
            foreach (var i in graphUnits)
            {
                var unit = units[i];
                var prefix = graphUnits.Length > 1 ? NodePrefix(i) : string.Empty;
                var operations = new SalesforceOperationResult[unit.Operations.Count];
                for (var o = 0; o < unit.Operations.Count; o++)
                {
                    var op = unit.Operations[o];
                    operations[o] = nodes.TryGetValue(prefix + op.Name, out var node)
                        ? ReadNode(op, node, success)
                        : new SalesforceOperationResult(op.Name, false, null, false, [new SalesforceError(HaltedCode, "Salesforce did not process this operation.", [])], Halted: true);
                }

                results.Add(new SalesforceWriteResult(success && operations.All(r => r.Success), operations));
            }
        }

        return [.. results];
    }

    private static SalesforceOperationResult ReadNode(SalesforceWriteOperation op, JsonObject node, bool graphSucceeded)
    {
        var status = node["httpStatusCode"] is JsonValue s && s.TryGetValue<int>(out var code) ? code : 0;
        var body = node["body"];
        if (status is >= 200 and < 300 && graphSucceeded)
        {
            var id = body?["id"] is JsonValue v && v.TryGetValue<string>(out var recordId) ? recordId : op.Id;
            var created = op.Kind == SalesforceWriteKind.Create
                || (op.Kind == SalesforceWriteKind.Upsert && (status == 201 || (body?["created"] is JsonValue c && c.TryGetValue<bool>(out var wasCreated) && wasCreated)));
            return new SalesforceOperationResult(op.Name, true, id, created, []);
        }

        var errors = SalesforceErrorParser.Parse(body);
        var halted = status is >= 200 and < 300 || errors.Count == 0 || errors.All(e => e.ErrorCode is HaltedCode or "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        return new SalesforceOperationResult(op.Name, false, null, false, errors, halted);
    }
}
