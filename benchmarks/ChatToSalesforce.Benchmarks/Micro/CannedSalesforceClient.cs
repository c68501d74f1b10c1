using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

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
    private static readonly SalesforceReadResult EmptyQuery = new() { Query = new SalesforceQueryResult(0, []) { Requests = 0 } };
    private readonly Dictionary<string, SalesforceObjectDescription> _describes = new(StringComparer.OrdinalIgnoreCase);
    private long _ids;

    /// <summary>Gets the bytes of the last request body (so the serialisation cannot be optimised away).</summary>
    public int LastRequestBytes { get; private set; }

    public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) =>
        Task.FromResult(new SalesforceQueryResult(0, []));

    public Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default)
    {
        // Canned answers: nobody is found (a new visitor); describes are built once per object.
        var results = new SalesforceReadResult[reads.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = reads[i].Kind == SalesforceReadKind.Query
                ? EmptyQuery
                : new SalesforceReadResult { Description = _describes.TryGetValue(reads[i].Text, out var d) ? d : _describes[reads[i].Text] = DescribeWire.FromJson(Describes.For(reads[i].Text)) };
        }

        return Task.FromResult(new SalesforceReadBatchResult(results, 1));
    }

    public Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default)
    {
        Serialize(units);
        var results = new SalesforceWriteResult[units.Count];
        for (var u = 0; u < results.Length; u++)
        {
            var operations = new SalesforceOperationResult[units[u].Operations.Count];
            for (var o = 0; o < operations.Length; o++)
            {
                var op = units[u].Operations[o];
                operations[o] = new SalesforceOperationResult(op.Name, true, op.Id ?? "00T" + (++_ids).ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + "AAA", op.Kind != SalesforceWriteKind.Update, []);
            }

            results[u] = new SalesforceWriteResult(true, operations);
        }

        return Task.FromResult(new SalesforceWriteBatchResult(results, 1));
    }

    public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) =>
        Task.FromResult(DescribeWire.FromJson(Describes.For(objectType)));

    public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) =>
        Task.FromResult(new SalesforceSaveResult("068000000000001AAA", true, null, []));

    public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new SalesforceConnection(new Uri("https://bench.my.salesforce.com"), "00D000000000001AAA", "005000000000001AAA", "62.0"));

    public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => Task.FromResult(new JsonObject());

    private void Serialize(IReadOnlyList<SalesforceWriteUnit> units)
    {
        // The graph body a transport sends: one graph per unit, one node per operation.
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var writer = _writer;
        writer.WriteStartObject();
        writer.WriteStartArray("graphs");
        foreach (var unit in units)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("compositeRequest");
            foreach (var op in unit.Operations)
            {
                writer.WriteStartObject();
                writer.WriteString("url", Url("sobjects/" + op.ObjectType));
                writer.WriteString("referenceId", op.Name);
                writer.WritePropertyName("body");
                writer.WriteStartObject();
                ChatToSalesforce.Salesforce.Internal.FieldValuesWire.WriteProperties(writer, op.Fields);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
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
