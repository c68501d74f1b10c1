using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Tests.Pipeline;

/// <summary>
/// A small in-memory org behind <see cref="ISalesforceClient"/> for pipeline unit tests: the SOQL the SDK issues
/// (<c>=</c>, <c>IN</c>, <c>AND</c>, <c>ORDER BY</c>, <c>LIMIT</c>), composite (reads and writes with <c>@{ref.id}</c>),
/// sObject Collections and describes. Every request is counted in <see cref="ApiCalls"/>; nothing is timed.
/// </summary>
internal sealed partial class FakeSalesforceOrg : ISalesforceClient
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Contact"] = "003", ["Lead"] = "00Q", ["Task"] = "00T", ["Case"] = "500", ["Event"] = "00U", ["User"] = "005",
        ["ContentVersion"] = "068", ["CampaignMember"] = "00v", ["Account"] = "001",
    };

    private readonly object _gate = new();
    private readonly Dictionary<string, List<JsonObject>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private int _nextId = 1;
    private int _clock;
    private int _apiCalls;

    /// <summary>Gets the API calls received.</summary>
    public int ApiCalls => Volatile.Read(ref _apiCalls);

    /// <summary>Gets the requests received, by kind (query, composite, collection:Create, describe, upload).</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Gets or sets a validation rule: returns an error for a record Salesforce would reject.</summary>
    public Func<string, JsonObject, SalesforceError?>? Validate { get; set; }

    /// <summary>Gets or sets an action run before each request (for example to cancel a batch).</summary>
    public Action<string>? OnRequest { get; set; }

    public IReadOnlyList<JsonObject> Records(string type)
    {
        lock (_gate)
        {
            return _tables.TryGetValue(type, out var t) ? t.Select(r => (JsonObject)r.DeepClone()).ToList() : [];
        }
    }

    public string Insert(string type, JsonObject fields)
    {
        lock (_gate)
        {
            return InsertCore(type, fields);
        }
    }

    public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default)
    {
        Count("query");
        lock (_gate)
        {
            var records = Query(soql);
            return Task.FromResult(new SalesforceQueryResult(records.Count, records, 1));
        }
    }

    public Task<SalesforceCompositeResponse> SendCompositeAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken = default)
    {
        Count("composite");
        lock (_gate)
        {
            var snapshot = request.AllOrNone ? _tables.ToDictionary(t => t.Key, t => t.Value.Select(r => (JsonObject)r.DeepClone()).ToList(), StringComparer.OrdinalIgnoreCase) : null;
            var refs = new Dictionary<string, string>(StringComparer.Ordinal);
            var responses = new List<SalesforceSubresponse>();
            var failed = false;
            foreach (var sub in request.Subrequests)
            {
                if (failed && request.AllOrNone)
                {
                    responses.Add(new SalesforceSubresponse(sub.ReferenceId, 400, Errors("PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.")));
                    continue;
                }

                var response = Execute(sub, refs);
                failed |= !response.IsSuccess;
                responses.Add(response);
            }

            if (failed && snapshot is not null)
            {
                _tables.Clear();
                foreach (var (k, v) in snapshot)
                {
                    _tables[k] = v;
                }

                responses = responses.Select(r => r.IsSuccess ? r with { HttpStatusCode = 400, Body = Errors("PROCESSING_HALTED", "Rolled back.") } : r).ToList();
            }

            return Task.FromResult(new SalesforceCompositeResponse(responses));
        }
    }

    public Task<IReadOnlyList<SalesforceSaveResult>> SendCollectionAsync(SalesforceCollectionRequest request, CancellationToken cancellationToken = default)
    {
        Count("collection:" + request.Operation);
        if (request.Records.Count is 0 or > 200)
        {
            throw new ArgumentException("1 to 200 records.");
        }

        lock (_gate)
        {
            var results = new List<SalesforceSaveResult>();
            foreach (var record in request.Records)
            {
                var type = record["attributes"]?["type"]?.GetValue<string>() ?? request.ObjectType!;
                var fields = (JsonObject)record.DeepClone();
                fields.Remove("attributes");
                if (Validate?.Invoke(type, fields) is { } error)
                {
                    results.Add(new SalesforceSaveResult(null, false, null, [error]));
                    continue;
                }

                switch (request.Operation)
                {
                    case SalesforceCollectionOperation.Create:
                        results.Add(new SalesforceSaveResult(InsertCore(type, fields), true, null, []));
                        break;
                    case SalesforceCollectionOperation.Update:
                        var id = fields["Id"]!.GetValue<string>();
                        fields.Remove("Id");
                        results.Add(UpdateCore(type, id, fields)
                            ? new SalesforceSaveResult(id, true, null, [])
                            : new SalesforceSaveResult(null, false, null, [new SalesforceError("ENTITY_IS_DELETED", "entity is deleted", [])]));
                        break;
                    default:
                        var key = request.ExternalIdField!;
                        var value = fields[key]!.GetValue<string>();
                        var existing = Table(type).FirstOrDefault(r => string.Equals(r[key]?.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase));
                        if (existing is null)
                        {
                            results.Add(new SalesforceSaveResult(InsertCore(type, fields), true, true, []));
                        }
                        else
                        {
                            var existingId = existing["Id"]!.GetValue<string>();
                            UpdateCore(type, existingId, fields);
                            results.Add(new SalesforceSaveResult(existingId, true, false, []));
                        }

                        break;
                }
            }

            return Task.FromResult<IReadOnlyList<SalesforceSaveResult>>(results);
        }
    }

    public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default)
    {
        Count("describe");
        return Task.FromResult(SalesforceObjectDescription.FromJson(Describe(objectType)));
    }

    public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default)
    {
        Count("upload");
        lock (_gate)
        {
            var id = InsertCore("ContentVersion", new JsonObject { ["PathOnClient"] = file.FileName, ["FirstPublishLocationId"] = file.FirstPublishLocationId });
            return Task.FromResult(new SalesforceSaveResult(id, true, null, []));
        }
    }

    public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new SalesforceConnection(new Uri("https://fake.my.salesforce.com"), "00D000000000001AAA", "005000000000001AAA", "62.0"));

    public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        Count("limits");
        return Task.FromResult(new JsonObject());
    }

    private void Count(string kind)
    {
        Interlocked.Increment(ref _apiCalls);
        lock (Requests)
        {
            Requests.Add(kind);
        }

        OnRequest?.Invoke(kind);
    }

    private SalesforceSubresponse Execute(SalesforceSubrequest sub, Dictionary<string, string> refs)
    {
        var url = ResolveRefs(sub.Url, refs);
        if (sub.Method == "GET" && url.StartsWith("query?q=", StringComparison.Ordinal))
        {
            var records = Query(Uri.UnescapeDataString(url["query?q=".Length..]));
            var array = new JsonArray(records.Select(r => (JsonNode)r).ToArray());
            return new SalesforceSubresponse(sub.ReferenceId, 200, new JsonObject { ["totalSize"] = records.Count, ["done"] = true, ["records"] = array });
        }

        var parts = url.Split('/');
        if (sub.Method == "GET" && parts.Length == 3 && parts[2] == "describe")
        {
            return new SalesforceSubresponse(sub.ReferenceId, 200, Describe(Uri.UnescapeDataString(parts[1])));
        }

        var body = sub.Body is null ? new JsonObject() : (JsonObject)JsonNode.Parse(ResolveRefs(sub.Body.ToJsonString(), refs))!;
        var type = parts[1];
        if (Validate?.Invoke(type, body) is { } error)
        {
            return new SalesforceSubresponse(sub.ReferenceId, 400, Errors(error.ErrorCode!, error.Message));
        }

        string id;
        var created = true;
        if (sub.Method == "POST" && parts.Length == 2)
        {
            id = InsertCore(type, body);
        }
        else if (sub.Method == "PATCH" && parts.Length == 3)
        {
            id = parts[2];
            UpdateCore(type, id, body);
            refs[sub.ReferenceId] = id;
            return new SalesforceSubresponse(sub.ReferenceId, 204, null);
        }
        else
        {
            var key = parts[2];
            var value = Uri.UnescapeDataString(parts[3]);
            var existing = Table(type).FirstOrDefault(r => string.Equals(r[key]?.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase));
            body[key] = value;
            if (existing is null)
            {
                id = InsertCore(type, body);
            }
            else
            {
                id = existing["Id"]!.GetValue<string>();
                UpdateCore(type, id, body);
                created = false;
            }
        }

        refs[sub.ReferenceId] = id;
        return new SalesforceSubresponse(sub.ReferenceId, created ? 201 : 200, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = created });
    }

    private static string ResolveRefs(string text, Dictionary<string, string> refs) =>
        RefPattern().Replace(text, m => refs.TryGetValue(m.Groups[1].Value, out var id) ? id : m.Value);

    private static JsonArray Errors(string code, string message) =>
        [new JsonObject { ["errorCode"] = code, ["message"] = message, ["fields"] = new JsonArray() }];

    private List<JsonObject> Table(string type)
    {
        if (!_tables.TryGetValue(type, out var table))
        {
            table = [];
            _tables[type] = table;
        }

        return table;
    }

    private string InsertCore(string type, JsonObject fields)
    {
        var prefix = Prefixes.GetValueOrDefault(type, "a00");
        var id = prefix + (_nextId++).ToString("D12", CultureInfo.InvariantCulture) + "AAA";
        var record = (JsonObject)fields.DeepClone();
        record["Id"] = id;
        var now = Now();
        record["CreatedDate"] ??= now;
        record["LastModifiedDate"] ??= now;
        if (string.Equals(type, "User", StringComparison.OrdinalIgnoreCase))
        {
            record["IsActive"] ??= true;
        }

        if (string.Equals(type, "Lead", StringComparison.OrdinalIgnoreCase))
        {
            record["IsConverted"] ??= false;
        }

        Table(type).Add(record);
        return id;
    }

    private bool UpdateCore(string type, string id, JsonObject fields)
    {
        var record = Table(type).FirstOrDefault(r => r["Id"]!.GetValue<string>() == id);
        if (record is null)
        {
            return false;
        }

        foreach (var (k, v) in fields)
        {
            record[k] = v?.DeepClone();
        }

        record["LastModifiedDate"] = Now();
        return true;
    }

    private string Now() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(_clock++).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    private List<JsonObject> Query(string soql)
    {
        var m = QueryPattern().Match(soql);
        if (!m.Success)
        {
            throw new NotSupportedException("The fake org does not understand: " + soql);
        }

        var fields = m.Groups["fields"].Value.Split(',').Select(f => f.Trim()).ToArray();
        var type = m.Groups["type"].Value;
        IEnumerable<JsonObject> rows = Table(type);
        if (m.Groups["where"].Success)
        {
            foreach (var condition in SplitAnd(m.Groups["where"].Value))
            {
                rows = rows.Where(Predicate(condition)).ToList();
            }
        }

        rows = rows.OrderByDescending(r => r["LastModifiedDate"]?.GetValue<string>(), StringComparer.Ordinal).ThenBy(r => r["Id"]!.GetValue<string>(), StringComparer.Ordinal);
        if (m.Groups["limit"].Success)
        {
            rows = rows.Take(int.Parse(m.Groups["limit"].Value, CultureInfo.InvariantCulture));
        }

        return rows.Select(r =>
        {
            var o = new JsonObject { ["attributes"] = new JsonObject { ["type"] = type } };
            foreach (var f in fields)
            {
                o[f] = r[f]?.DeepClone();
            }

            return o;
        }).ToList();
    }

    private static IEnumerable<string> SplitAnd(string where)
    {
        var parts = new List<string>();
        var sb = new StringBuilder();
        var inQuote = false;
        for (var i = 0; i < where.Length; i++)
        {
            var c = where[i];
            if (c == '\\' && inQuote)
            {
                sb.Append(c).Append(where[++i]);
                continue;
            }

            if (c == '\'')
            {
                inQuote = !inQuote;
            }

            if (!inQuote && string.Compare(where, i, " AND ", 0, 5, StringComparison.Ordinal) == 0)
            {
                parts.Add(sb.ToString());
                sb.Clear();
                i += 4;
                continue;
            }

            sb.Append(c);
        }

        parts.Add(sb.ToString());
        return parts;
    }

    private static Func<JsonObject, bool> Predicate(string condition)
    {
        var m = ConditionPattern().Match(condition.Trim());
        if (!m.Success)
        {
            throw new NotSupportedException("Condition: " + condition);
        }

        var field = m.Groups[1].Value;
        var op = m.Groups[2].Value;
        var raw = m.Groups[3].Value.Trim();
        if (op == "=" && raw is "true" or "false")
        {
            var b = raw == "true";
            return r => r[field] is JsonValue v && v.TryGetValue<bool>(out var x) && x == b;
        }

        var values = Literals(raw);
        return r => r[field] is JsonValue v && v.TryGetValue<string>(out var s) && values.Contains(s, StringComparer.OrdinalIgnoreCase);
    }

    private static List<string> Literals(string text)
    {
        var values = new List<string>();
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (sb is null)
            {
                if (c == '\'')
                {
                    sb = new StringBuilder();
                }

                continue;
            }

            if (c == '\\')
            {
                var n = text[++i];
                sb.Append(n switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => n });
            }
            else if (c == '\'')
            {
                values.Add(sb.ToString());
                sb = null;
            }
            else
            {
                sb.Append(c);
            }
        }

        return values;
    }

    private static JsonObject Describe(string type)
    {
        var fields = new JsonArray
        {
            Field("Id", "id", 18, createable: false, updateable: false),
            Field("OwnerId", "reference", 18),
            Field("CreatedDate", "datetime", 0, createable: false, updateable: false),
            Field("LastModifiedDate", "datetime", 0, createable: false, updateable: false),
        };
        string[] names = type switch
        {
            "Contact" => ["FirstName", "LastName", "Email", "Phone", "Chat_Visitor_Key__c", "Student_Type__c"],
            "Lead" => ["FirstName", "LastName", "Email", "Phone", "Company", "IsConverted", "ConvertedContactId", "Chat_Visitor_Key__c"],
            "Task" => ["Subject", "Description", "Status", "ActivityDate", "WhoId", "Chat_Conversation_Id__c", "Type"],
            "Case" => ["Subject", "Description", "Origin", "ContactId", "SuppliedEmail", "SuppliedName", "SuppliedPhone", "SuppliedCompany", "Chat_Conversation_Id__c"],
            "Event" => ["Subject", "Description", "StartDateTime", "EndDateTime", "WhoId", "Chat_Conversation_Id__c"],
            "CampaignMember" => ["CampaignId", "ContactId", "LeadId", "Status"],
            _ => ["Name"],
        };
        foreach (var name in names)
        {
            fields.Add(name switch
            {
                "Description" => Field(name, "textarea", 32_000),
                "Email" => Field(name, "email", 80),
                "ActivityDate" => Field(name, "date", 0),
                "StartDateTime" or "EndDateTime" => Field(name, "datetime", 0),
                "WhoId" or "ContactId" or "LeadId" or "CampaignId" or "ConvertedContactId" => Field(name, "reference", 18),
                "IsConverted" => Field(name, "boolean", 0, createable: false, updateable: false),
                _ => Field(name, "string", 255),
            });
        }

        return new JsonObject { ["name"] = type, ["keyPrefix"] = Prefixes.GetValueOrDefault(type, "a00"), ["fields"] = fields };

        static JsonObject Field(string name, string type, int length, bool createable = true, bool updateable = true) => new()
        {
            ["name"] = name, ["type"] = type, ["length"] = length, ["nillable"] = name != "LastName", ["createable"] = createable,
            ["updateable"] = updateable, ["defaultedOnCreate"] = false, ["externalId"] = name.StartsWith("Chat_", StringComparison.Ordinal),
        };
    }

    [GeneratedRegex(@"@\{([A-Za-z0-9_]+)\.id\}")]
    private static partial Regex RefPattern();

    [GeneratedRegex(@"^SELECT\s+(?<fields>.+?)\s+FROM\s+(?<type>\w+)(?:\s+WHERE\s+(?<where>.+?))?(?:\s+ORDER BY\s+(?<order>.+?))?(?:\s+LIMIT\s+(?<limit>\d+))?\s*$", RegexOptions.Singleline)]
    private static partial Regex QueryPattern();

    [GeneratedRegex(@"^(\w+)\s*(=|IN)\s*(.+)$", RegexOptions.Singleline)]
    private static partial Regex ConditionPattern();
}
