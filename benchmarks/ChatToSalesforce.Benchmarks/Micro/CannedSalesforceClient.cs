using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Benchmarks.Micro;

/// <summary>
/// A transport that answers synchronously with canned responses: every query finds nobody (a new visitor), writes
/// succeed. Requests are serialised to JSON the way a transport sends them, so the body's cost is measured; no I/O.
/// </summary>
internal sealed class CannedSalesforceClient : ISalesforceClient
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _writer;
    private char[] _url = new char[1024];

    public CannedSalesforceClient() => _writer = new Utf8JsonWriter(_buffer);
    private readonly Dictionary<(string Kind, string ReferenceId), SalesforceSubresponse> _responses = [];

    /// <summary>Gets the bytes of the last request body (so the serialisation cannot be optimised away).</summary>
    public int LastRequestBytes { get; private set; }

    public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) =>
        Task.FromResult(new SalesforceQueryResult(0, [], 1));

    public Task<SalesforceCompositeResponse> SendCompositeAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken = default)
    {
        Serialize(request);
        // Canned answers are built once per (method, reference id) and reused: the transport's parsing is not measured.
        var responses = new SalesforceSubresponse[request.Subrequests.Count];
        for (var i = 0; i < responses.Length; i++)
        {
            var sub = request.Subrequests[i];
            var kind = sub.Method == "GET" ? sub.Url.StartsWith("query", StringComparison.Ordinal) ? "query" : sub.Url : sub.Method;
            if (!_responses.TryGetValue((kind, sub.ReferenceId), out var response))
            {
                response = Answer(sub, _responses.Count + 1);
                _responses[(kind, sub.ReferenceId)] = response;
            }

            responses[i] = response;
        }

        return Task.FromResult(new SalesforceCompositeResponse(responses));
    }

    private static SalesforceSubresponse Answer(SalesforceSubrequest sub, int n)
    {
        if (sub.Method == "GET" && sub.Url.StartsWith("query", StringComparison.Ordinal))
        {
            return new SalesforceSubresponse(sub.ReferenceId, 200, new JsonObject { ["totalSize"] = 0, ["done"] = true, ["records"] = new JsonArray() });
        }

        if (sub.Method == "GET")
        {
            return new SalesforceSubresponse(sub.ReferenceId, 200, Describes.For(sub.Url.Split('/')[1]));
        }

        var id = "00T" + n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + "AAA";
        return new SalesforceSubresponse(sub.ReferenceId, 201, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = true });
    }

    public Task<IReadOnlyList<SalesforceSaveResult>> SendCollectionAsync(SalesforceCollectionRequest request, CancellationToken cancellationToken = default)
    {
        var results = new SalesforceSaveResult[request.Records.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new SalesforceSaveResult("003" + i.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + "AAA", true, true, []);
        }

        return Task.FromResult<IReadOnlyList<SalesforceSaveResult>>(results);
    }

    public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) =>
        Task.FromResult(SalesforceObjectDescription.FromJson(Describes.For(objectType)));

    public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) =>
        Task.FromResult(new SalesforceSaveResult("068000000000001AAA", true, null, []));

    public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new SalesforceConnection(new Uri("https://bench.my.salesforce.com"), "00D000000000001AAA", "005000000000001AAA", "62.0"));

    public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => Task.FromResult(new JsonObject());

    private void Serialize(SalesforceCompositeRequest request)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var writer = _writer;
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone", request.AllOrNone);
            writer.WriteStartArray("compositeRequest");
            foreach (var sub in request.Subrequests)
            {
                writer.WriteStartObject();
                writer.WriteString("method", sub.Method);
                writer.WriteString("url", Url(sub.Url));
                writer.WriteString("referenceId", sub.ReferenceId);
                if (sub.Body is not null)
                {
                    writer.WritePropertyName("body");
                    sub.Body.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.Flush();
        LastRequestBytes = _buffer.WrittenCount;
    }

    private ReadOnlySpan<char> Url(string relative)
    {
        const string Root = "/services/data/v62.0/";
        if (_url.Length < Root.Length + relative.Length)
        {
            _url = new char[Root.Length + relative.Length];
        }

        Root.CopyTo(_url);
        relative.CopyTo(_url.AsSpan(Root.Length));
        return _url.AsSpan(0, Root.Length + relative.Length);
    }

    /// <summary>Trimmed describes of the objects the default modes write.</summary>
    internal static class Describes
    {
        public static JsonObject For(string type)
        {
            string[] names = type switch
            {
                "Contact" => ["FirstName", "LastName", "Email", "Phone", "Student_Type__c"],
                "Lead" => ["FirstName", "LastName", "Email", "Phone", "Company"],
                "Task" => ["Subject", "Description", "Status", "ActivityDate", "WhoId", "Chat_Conversation_Id__c"],
                _ => ["Name"],
            };
            var fields = new JsonArray { Field("Id", "id", 18, false), Field("OwnerId", "reference", 18, true) };
            foreach (var name in names)
            {
                fields.Add(name switch
                {
                    "Description" => Field(name, "textarea", 32_000, true),
                    "Email" => Field(name, "email", 80, true),
                    "ActivityDate" => Field(name, "date", 0, true),
                    "WhoId" => Field(name, "reference", 18, true),
                    _ => Field(name, "string", 255, true),
                });
            }

            return new JsonObject { ["name"] = type, ["fields"] = fields };

            static JsonObject Field(string name, string type, int length, bool writable) => new()
            {
                ["name"] = name, ["type"] = type, ["length"] = length, ["nillable"] = name != "LastName",
                ["createable"] = writable, ["updateable"] = writable, ["externalId"] = name.EndsWith("__c", StringComparison.Ordinal),
            };
        }
    }
}
