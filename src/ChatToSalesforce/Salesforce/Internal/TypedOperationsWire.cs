using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// How the typed reads and writes of <see cref="ISalesforceClient"/> travel: reads as GET subrequests of <c>/composite</c>
/// requests, writes as one graph per unit of <c>/composite/graph</c> requests (each graph all or nothing).
/// </summary>
/// <remarks>Limits (API-FACTS §4.4, §4.5): 25 subrequests, 5 of them queries, per composite; 75 graphs and 500 nodes per graph request.</remarks>
internal static class TypedOperationsWire
{
    internal const int MaxSubrequests = 25;
    internal const int MaxQueriesPerComposite = 5;
    internal const int MaxGraphs = 75;
    internal const int MaxNodes = 500;

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

    /// <summary>Splits units into graph requests within Salesforce's limits; returns the unit indexes of each request.</summary>
    public static List<List<int>> PlanWrites(IReadOnlyList<SalesforceWriteUnit> units)
    {
        var requests = new List<List<int>>();
        var current = new List<int>();
        var nodes = 0;
        for (var i = 0; i < units.Count; i++)
        {
            var count = units[i].Operations.Count;
            if (current.Count > 0 && (current.Count == MaxGraphs || nodes + count > MaxNodes))
            {
                requests.Add(current);
                current = [];
                nodes = 0;
            }

            current.Add(i);
            nodes += count;
        }

        if (current.Count > 0)
        {
            requests.Add(current);
        }

        return requests;
    }

    /// <summary>Writes the body of a <c>/composite/graph</c> request: one graph per unit, <c>@{name.id}</c> for references.</summary>
    public static void WriteGraphs(Utf8JsonWriter w, IReadOnlyList<SalesforceWriteUnit> units, List<int> indexes, Func<string, string> expandUrl)
    {
        w.WriteStartObject();
        w.WriteStartArray("graphs");
        foreach (var i in indexes)
        {
            var unit = units[i];
            w.WriteStartObject();
            w.WriteString("graphId", "g" + i.ToString(CultureInfo.InvariantCulture));
            w.WriteStartArray("compositeRequest");
            foreach (var op in unit.Operations)
            {
                if (!Soql.IsIdentifier(op.ObjectType) || (op.Kind == SalesforceWriteKind.Upsert && !Soql.IsIdentifier(op.ExternalIdField)))
                {
                    throw new ArgumentException($"Write operation '{op.Name}' names an object or key field that is not an API name.", nameof(units));
                }

                var path = op.Kind switch
                {
                    SalesforceWriteKind.Create => $"sobjects/{op.ObjectType}",
                    SalesforceWriteKind.Update or SalesforceWriteKind.Delete => $"sobjects/{op.ObjectType}/{Uri.EscapeDataString(op.Id ?? throw new ArgumentException($"{op.Kind} '{op.Name}' has no Id.", nameof(units)))}",
                    _ => $"sobjects/{op.ObjectType}/{op.ExternalIdField}/{Uri.EscapeDataString(op.ExternalIdValue ?? throw new ArgumentException($"Upsert '{op.Name}' has no key value.", nameof(units)))}",
                };
                w.WriteStartObject();
                w.WriteString("method", op.Kind switch { SalesforceWriteKind.Create => "POST", SalesforceWriteKind.Delete => "DELETE", _ => "PATCH" });
                w.WriteString("url", expandUrl(path));
                w.WriteString("referenceId", op.Name);
                if (op.Kind == SalesforceWriteKind.Delete)
                {
                    w.WriteEndObject();
                    continue;
                }

                w.WriteStartObject("body");
                FieldValuesWire.WriteProperties(w, op.Fields, op.References);

                foreach (var (field, target) in op.References)
                {
                    w.WriteString(field, "@{" + target + ".id}");
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

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Reads a <c>/composite/graph</c> response into one result per unit of the request.</summary>
    public static SalesforceWriteResult[] ReadGraphs(JsonNode? body, IReadOnlyList<SalesforceWriteUnit> units, List<int> indexes, int status)
    {
        if (body?["graphs"] is not JsonArray graphs)
        {
            throw new SalesforceApiException((HttpStatusCode)status, "UNEXPECTED_RESPONSE", "The composite graph response has no graphs array.");
        }

        var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var graph in graphs.OfType<JsonObject>())
        {
            if (graph["graphId"] is JsonValue id && id.TryGetValue<string>(out var graphId))
            {
                byId[graphId] = graph;
            }
        }

        var results = new SalesforceWriteResult[indexes.Count];
        for (var k = 0; k < indexes.Count; k++)
        {
            var unit = units[indexes[k]];
            byId.TryGetValue("g" + indexes[k].ToString(CultureInfo.InvariantCulture), out var graph);
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
            var operations = new SalesforceOperationResult[unit.Operations.Count];
            for (var o = 0; o < unit.Operations.Count; o++)
            {
                var op = unit.Operations[o];
                operations[o] = nodes.TryGetValue(op.Name, out var node)
                    ? ReadNode(op, node, success)
                    : new SalesforceOperationResult(op.Name, false, null, false, [new SalesforceError(HaltedCode, "Salesforce did not process this operation.", [])], Halted: true);
            }

            results[k] = new SalesforceWriteResult(success && operations.All(r => r.Success), operations);
        }

        return results;
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
