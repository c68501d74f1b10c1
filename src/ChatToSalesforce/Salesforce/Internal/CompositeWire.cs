using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>A <c>/composite</c> request.</summary>
internal sealed class SalesforceCompositeRequest
{
    /// <summary>Gets or sets whether one failing subrequest rolls back all of them.</summary>
    public bool AllOrNone { get; set; } = true;

    /// <summary>Gets the subrequests (at most 25, of which at most 5 queries or collections).</summary>
    public IList<SalesforceSubrequest> Subrequests { get; } = new List<SalesforceSubrequest>();

    /// <summary>Gets headers sent with the composite request itself (for example <c>Sforce-Auto-Assign</c>).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One subrequest of a composite request.</summary>
/// <param name="Method">GET, POST, PATCH, PUT or DELETE.</param>
/// <param name="Url">The URL relative to the versioned data root, for example <c>sobjects/Task</c>; may contain <c>@{ref.id}</c> references.</param>
/// <param name="ReferenceId">The reference id other subrequests use.</param>
/// <param name="Body">The JSON body, if any.</param>
internal sealed record SalesforceSubrequest(string Method, string Url, string ReferenceId, JsonNode? Body = null)
{
    /// <summary>Gets headers for this subrequest (for example <c>Sforce-Auto-Assign</c>).</summary>
    public IReadOnlyDictionary<string, string>? HttpHeaders { get; init; }
}

/// <summary>The response of a composite request.</summary>
/// <param name="Responses">One entry per subrequest, in order.</param>
internal sealed record SalesforceCompositeResponse(IReadOnlyList<SalesforceSubresponse> Responses)
{
    /// <summary>Finds the response of a subrequest.</summary>
    /// <param name="referenceId">The reference id.</param>
    /// <returns>The response, or <see langword="null"/>.</returns>
    public SalesforceSubresponse? Find(string referenceId)
    {
        foreach (var response in Responses)
        {
            if (string.Equals(response.ReferenceId, referenceId, StringComparison.Ordinal))
            {
                return response;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a <c>/composite</c> answer as it arrived (UTF-8): each subresponse's reference id, status and where its body
    /// is, without building JSON nodes for the whole answer (a round's answer carries hundreds of records).
    /// </summary>
    /// <returns>The response; <see langword="null"/> when the answer has no <c>compositeResponse</c> array or is not JSON.</returns>
    public static SalesforceCompositeResponse? Read(byte[] answer)
    {
        try
        {
            return ReadCore(answer);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SalesforceCompositeResponse? ReadCore(byte[] answer)
    {
        var reader = new Utf8JsonReader(answer);
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject && ReadResponses(ref reader, answer) is { } responses
            ? new SalesforceCompositeResponse(responses)
            : null;
    }

    /// <summary>
    /// Reads the object the reader is at (a composite answer, or a graph's <c>graphResponse</c>) to its end and returns
    /// the subresponses of its <c>compositeResponse</c> array; <see langword="null"/> when it has none.
    /// </summary>
    internal static List<SalesforceSubresponse>? ReadResponses(ref Utf8JsonReader reader, byte[] answer)
    {
        List<SalesforceSubresponse>? responses = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("compositeResponse"u8) || !NextIs(ref reader, JsonTokenType.StartArray))
            {
                reader.Skip();
                continue;
            }

            responses = [];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                responses.Add(ReadSubresponse(ref reader, answer));
            }
        }

        return responses;
    }

    /// <summary>Moves to the value of the current property; true when it starts with <paramref name="token"/> (else the caller skips it).</summary>
    internal static bool NextIs(ref Utf8JsonReader reader, JsonTokenType token) => reader.Read() && reader.TokenType == token;

    /// <summary>Reads one subresponse object (<c>referenceId</c>, <c>httpStatusCode</c>, <c>body</c>) to its end; its body stays a slice of the answer.</summary>
    private static SalesforceSubresponse ReadSubresponse(ref Utf8JsonReader reader, byte[] answer)
    {
        string? referenceId = null;
        var status = 0;
        var body = ReadOnlyMemory<byte>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("referenceId"u8))
            {
                reader.Read();
                referenceId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("httpStatusCode"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out status))
                {
                    status = 0;
                }
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                body = answer.AsMemory(start, (int)reader.BytesConsumed - start);
            }
            else
            {
                reader.Skip();
            }
        }

        return new SalesforceSubresponse(referenceId ?? string.Empty, status, body);
    }
}

/// <summary>One graph of a <c>/composite/graph</c> answer: whether it committed, and its nodes' answers by reference id.</summary>
internal sealed class SalesforceGraphAnswer
{
    /// <summary>Gets or sets whether the graph committed.</summary>
    public bool IsSuccessful { get; set; }

    /// <summary>Gets the answers of the graph's nodes (shaped as composite subresponses) by reference id.</summary>
    public Dictionary<string, SalesforceSubresponse> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads a <c>/composite/graph</c> answer as it arrived (UTF-8), without building JSON nodes for it: a chunk's
    /// answer holds hundreds of nodes, each keeping only its status and its slice of the answer.
    /// </summary>
    /// <returns>The graphs by graph id; <see langword="null"/> when the answer has no <c>graphs</c> array or is not JSON.</returns>
    public static Dictionary<string, SalesforceGraphAnswer>? Read(byte[] answer)
    {
        try
        {
            return ReadCore(answer);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, SalesforceGraphAnswer>? ReadCore(byte[] answer)
    {
        var reader = new Utf8JsonReader(answer);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        Dictionary<string, SalesforceGraphAnswer>? graphs = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("graphs"u8) || !SalesforceCompositeResponse.NextIs(ref reader, JsonTokenType.StartArray))
            {
                reader.Skip();
                continue;
            }

            graphs = new Dictionary<string, SalesforceGraphAnswer>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var (id, graph) = ReadGraph(ref reader, answer);
                if (id is not null)
                {
                    graphs[id] = graph;
                }
            }
        }

        return graphs;
    }

    private static (string? Id, SalesforceGraphAnswer Graph) ReadGraph(ref Utf8JsonReader reader, byte[] answer)
    {
        string? id = null;
        var graph = new SalesforceGraphAnswer();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("graphId"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("isSuccessful"u8))
            {
                reader.Read();
                graph.IsSuccessful = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("graphResponse"u8) && SalesforceCompositeResponse.NextIs(ref reader, JsonTokenType.StartObject))
            {
                // {"compositeResponse": [subresponse, ...]}: the same shape as a composite answer.
                var nodes = SalesforceCompositeResponse.ReadResponses(ref reader, answer);
                foreach (var node in nodes ?? [])
                {
                    if (node.ReferenceId.Length > 0)
                    {
                        graph.Nodes[node.ReferenceId] = node;
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (id, graph);
    }
}

/// <summary>The response of one composite subrequest.</summary>
/// <param name="referenceId">The subrequest's reference id.</param>
/// <param name="httpStatusCode">The subrequest's status code.</param>
/// <param name="utf8Body">The body as it arrived (a save result, a query result, or an error array); empty when there is none.</param>
internal sealed class SalesforceSubresponse(string referenceId, int httpStatusCode, ReadOnlyMemory<byte> utf8Body)
{
    private JsonNode? _body;
    private bool _parsed;

    /// <summary>Gets the subrequest's reference id.</summary>
    public string ReferenceId { get; } = referenceId;

    /// <summary>Gets the subrequest's status code.</summary>
    public int HttpStatusCode { get; } = httpStatusCode;

    /// <summary>Gets the body as it arrived (UTF-8 JSON); empty when there is none.</summary>
    public ReadOnlyMemory<byte> Utf8Body { get; } = utf8Body;

    /// <summary>Gets the body as JSON nodes (parsed when first asked for), if any.</summary>
    public JsonNode? Body
    {
        get
        {
            if (!_parsed)
            {
                _body = Utf8Body.IsEmpty ? null : JsonNode.Parse(Utf8Body.Span);
                _parsed = true;
            }

            return _body;
        }
    }

    /// <summary>Gets whether the subrequest succeeded (2xx).</summary>
    public bool IsSuccess => HttpStatusCode is >= 200 and < 300;
}
