using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>Per-request state: the calling user, the API version and the request headers that change behaviour.</summary>
internal sealed class CallContext
{
    public required string UserId { get; init; }
    public required string Version { get; init; }
    public bool AllowDuplicateSave { get; init; }
    public bool AutoAssign { get; init; } = true;
    public int? BatchSize { get; init; }
}

internal sealed class QueryCursor
{
    public required List<JsonObject> Rows { get; init; }
    public required int TotalSize { get; init; }
    public required int BatchSize { get; init; }
    public required string Resource { get; init; }
}

/// <summary>The /services/data/vXX.X resources. Callers hold the emulator lock.</summary>
internal sealed partial class RestApi
{
    private readonly OrgState _org;
    private readonly SoqlEngine _soql;
    private readonly Func<int> _defaultBatchSize;
    private readonly Func<(long Used, long Max)> _usage;
    private readonly Dictionary<string, QueryCursor> _cursors = new(StringComparer.Ordinal);
    private long _cursorSequence;

    public RestApi(OrgState org, Func<int> defaultBatchSize, Func<(long Used, long Max)> usage)
    {
        _org = org;
        _soql = new SoqlEngine(org);
        _defaultBatchSize = defaultBatchSize;
        _usage = usage;
        Composite = new CompositeApi(this);
    }

    public OrgState Org => _org;

    public CompositeApi Composite { get; }

    public static readonly string[] SupportedVersions = ["58.0", "59.0", "60.0", "61.0", "62.0", "63.0", "64.0", "65.0", "66.0", "67.0"];

    /// <summary>Parses "v62.0"; any version from 20.0 to 99.0 is accepted.</summary>
    public static string? ParseVersion(string segment)
    {
        // Every request names its version (each node of a graph too): the few segments seen are remembered.
        if (ParsedVersions.TryGetValue(segment, out var known))
        {
            return known;
        }

        var version = ParseVersionCore(segment);
        if (ParsedVersions.Count < 64)
        {
            ParsedVersions.TryAdd(segment, version);
        }

        return version;
    }

    /// <summary>Parses a version segment read from a URL without making a string of it (each node of a graph names one).</summary>
    public static string? ParseVersion(ReadOnlySpan<char> segment) =>
        ParsedVersions.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out var known) ? known : ParseVersion(segment.ToString());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> ParsedVersions = new(StringComparer.Ordinal);

    private static string? ParseVersionCore(string segment)
    {
        var m = VersionPattern().Match(segment);
        if (!m.Success)
        {
            return null;
        }

        var major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return major is >= 20 and <= 99 ? $"{major}.{m.Groups[2].Value}" : null;
    }

    public static int Major(string version) => int.Parse(version.AsSpan(0, version.IndexOf('.', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    public static JsonArray Versions()
    {
        string[] labels = ["Summer '23", "Winter '24", "Spring '24", "Summer '24", "Winter '25", "Spring '25", "Summer '25", "Winter '26", "Spring '26", "Summer '26"];
        var array = new JsonArray();
        for (var i = 0; i < SupportedVersions.Length; i++)
        {
            array.Add(new JsonObject { ["label"] = labels[i], ["url"] = $"/services/data/v{SupportedVersions[i]}", ["version"] = SupportedVersions[i] });
        }

        return array;
    }

    /// <summary>Routes a request whose path is /services/data/v{version}/{rest...}.</summary>
    public ApiResponse Handle(ApiRequest request, string[] rest, CallContext ctx)
    {
        var method = request.Method;
        if (method == "POST" && request.QueryParameter("_HttpMethod") is { Length: > 0 } overridden)
        {
            method = overridden.ToUpperInvariant();
        }

        var v = ctx.Version;
        if (rest.Length == 0)
        {
            return Only(method, "GET", () => new ApiResponse(200, Resources(v)));
        }

        switch (rest[0])
        {
            case "limits" when rest.Length == 1:
                return Only(method, "GET", () => new ApiResponse(200, Limits()));
            case "query" or "queryAll":
                return Only(method, "GET", () => rest.Length == 1 ? Query(request, rest[0], ctx) : More(rest[0], rest[1], ctx));
            case "sobjects":
                return SObjects(request, method, rest, ctx);
            case "composite":
                return Composite.Handle(request, method, rest, ctx);
            default:
                throw ApiException.NotFound();
        }
    }

    private static ApiResponse Only(string method, string allowed, Func<ApiResponse> action) =>
        method == allowed || (allowed == "GET" && method == "HEAD")
            ? action()
            : MethodNotAllowed(method, allowed == "GET" ? "GET,HEAD" : allowed);

    public static ApiResponse MethodNotAllowed(string method, string allowed) =>
        ApiResponse.Error(405, [new ApiError("METHOD_NOT_ALLOWED", $"HTTP Method '{method}' not allowed. Allowed are {allowed}")]);

    private static JsonObject Resources(string v)
    {
        var o = new JsonObject();
        foreach (var name in new[] { "tooling", "metadata", "eclair", "folders", "prechatForms", "chatter", "tabs", "appMenu", "quickActions", "queryAll", "commerce", "wave", "iot", "analytics", "search", "identity", "composite", "parameterizedSearch", "fingerprint", "theme", "nouns", "event", "serviceTemplates", "recent", "connect", "licensing", "limits", "process", "async-queries", "query", "match", "emailConnect", "compactLayouts", "knowledgeManagement", "sobjects", "actions", "support" })
        {
            o[name] = $"/services/data/v{v}/{name}";
        }

        return o;
    }

    private JsonObject Limits()
    {
        var (used, max) = _usage();
        var o = new JsonObject();
        void Add(string name, long limit, long remaining) => o[name] = new JsonObject { ["Max"] = limit, ["Remaining"] = remaining };
        Add("ConcurrentAsyncGetReportInstances", 200, 200);
        Add("ConcurrentSyncReportRuns", 20, 20);
        Add("DailyApiRequests", max, Math.Max(0, max - used));
        Add("DailyAsyncApexExecutions", 250000, 250000);
        Add("DailyBulkApiRequests", 5000, 5000);
        Add("DailyDurableGenericStreamingApiEvents", 10000, 10000);
        Add("DailyDurableStreamingApiEvents", 10000, 10000);
        Add("DailyGenericStreamingApiEvents", 10000, 10000);
        Add("DailyStreamingApiEvents", 10000, 10000);
        Add("DailyWorkflowEmails", 390, 390);
        Add("DataStorageMB", 5, 5);
        Add("DurableStreamingApiConcurrentClients", 20, 20);
        Add("FileStorageMB", 20, 20);
        Add("HourlyAsyncReportRuns", 1200, 1200);
        Add("HourlyDashboardRefreshes", 200, 200);
        Add("HourlyDashboardResults", 5000, 5000);
        Add("HourlyDashboardStatuses", 999999999, 999999999);
        Add("HourlyODataCallout", 10000, 10000);
        Add("HourlySyncReportRuns", 500, 500);
        Add("HourlyTimeBasedWorkflow", 50, 50);
        Add("MassEmail", 10, 10);
        Add("SingleEmail", 15, 15);
        Add("StreamingApiConcurrentClients", 20, 20);
        return o;
    }

    // ---------- query ----------

    public ApiResponse Query(ApiRequest request, string resource, CallContext ctx)
    {
        var soql = request.QueryParameter("q");
        if (string.IsNullOrWhiteSpace(soql))
        {
            throw new ApiException(400, "MALFORMED_QUERY", "A query string has to be specified");
        }

        return RunQuery(soql, resource, ctx);
    }

    public ApiResponse RunQuery(string soql, string resource, CallContext ctx)
    {
        var query = _soql.Parse(soql);
        var (total, rows) = _soql.Execute(query, resource == "queryAll", ctx.Version);
        var batch = ctx.BatchSize is { } requested ? Math.Clamp(requested, 200, 2000) : Math.Max(1, _defaultBatchSize());
        if (rows.Count <= batch)
        {
            return new ApiResponse(200, Page(total, true, null, rows));
        }

        var cursorId = SalesforceId.Create("01g", ++_cursorSequence)[..15];
        _cursors[cursorId] = new QueryCursor { Rows = rows, TotalSize = total, BatchSize = batch, Resource = resource };
        return new ApiResponse(200, Page(total, false, $"/services/data/v{ctx.Version}/{resource}/{cursorId}-{batch}", rows.GetRange(0, batch)));
    }

    private ApiResponse More(string resource, string locator, CallContext ctx)
    {
        var dash = locator.LastIndexOf('-');
        if (dash < 0 || !_cursors.TryGetValue(locator[..dash], out var cursor) || !int.TryParse(locator[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset > cursor.Rows.Count)
        {
            throw new ApiException(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }

        var count = Math.Min(cursor.BatchSize, cursor.Rows.Count - offset);
        var done = offset + count >= cursor.Rows.Count;
        var next = done ? null : $"/services/data/v{ctx.Version}/{resource}/{locator[..dash]}-{offset + count}";
        if (done)
        {
            _cursors.Remove(locator[..dash]);
        }

        return new ApiResponse(200, Page(cursor.TotalSize, done, next, cursor.Rows.GetRange(offset, count)));
    }

    private static JsonObject Page(int total, bool done, string? next, List<JsonObject> rows)
    {
        var page = new JsonObject { ["totalSize"] = total, ["done"] = done };
        if (next is not null)
        {
            page["nextRecordsUrl"] = next;
        }

        var records = new JsonArray();
        foreach (var row in rows)
        {
            records.Add(row.DeepClone());
        }

        page["records"] = records;
        return page;
    }

    // ---------- sObjects ----------

    private ApiResponse SObjects(ApiRequest request, string method, string[] rest, CallContext ctx)
    {
        if (rest.Length == 1)
        {
            return Only(method, "GET", () => new ApiResponse(200, GlobalDescribe(ctx.Version)));
        }

        var def = _org.Object(rest[1]) ?? throw ApiException.NotFound();
        var v = ctx.Version;
        switch (rest.Length)
        {
            case 2:
                return method switch
                {
                    "GET" or "HEAD" => new ApiResponse(200, new JsonObject { ["objectDescribe"] = ObjectSummary(def, v), ["recentItems"] = new JsonArray() }),
                    "POST" => Create(def, request, ctx),
                    _ => MethodNotAllowed(method, "GET,HEAD,POST"),
                };
            case 3 when rest[2] == "describe":
                return Only(method, "GET", () => new ApiResponse(200, Describe(def, v)));
            case 3:
                return ById(def, rest[2], request, method, ctx);
            case 4 when SalesforceId.Normalize(rest[2]) is { } blobId && def.Field(rest[3]) is { Type: "base64" }:
                return Only(method, "GET", () =>
                {
                    var record = _org.Get(blobId);
                    if (record is null || record.Def != def || record.IsDeleted)
                    {
                        throw ApiException.NotFound();
                    }

                    return new ApiResponse(200) { Raw = record.Blob ?? [], ContentType = "application/octetstream" };
                });
            case 4:
                return ByExternalId(def, rest[2], rest[3], request, method, ctx);
            default:
                throw ApiException.NotFound();
        }
    }

    public Record LocateById(ObjectDef def, string text, bool forWrite)
    {
        if (text.Length is not (15 or 18) || !text.All(char.IsAsciiLetterOrDigit))
        {
            throw new ApiException(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {text}");
        }

        var id = SalesforceId.Normalize(text);
        if (id is null || SalesforceId.Prefix(id) != def.KeyPrefix)
        {
            throw new ApiException(400, "MALFORMED_ID", $"{def.Label} ID: id value of incorrect type: {text}", ["Id"]);
        }

        var record = _org.Get(id);
        if (record is null || record.Def != def)
        {
            throw ApiException.NotFound();
        }

        if (record.IsDeleted)
        {
            throw forWrite ? new ApiException(404, "ENTITY_IS_DELETED", "entity is deleted", []) : ApiException.NotFound();
        }

        return record;
    }

    private ApiResponse ById(ObjectDef def, string idText, ApiRequest request, string method, CallContext ctx)
    {
        switch (method)
        {
            case "GET" or "HEAD":
            {
                var record = LocateById(def, idText, forWrite: false);
                return new ApiResponse(200, RecordJson(record, request.QueryParameter("fields"), ctx.Version));
            }

            case "PATCH":
            {
                var record = LocateById(def, idText, forWrite: true);
                var body = request.ReadJsonObject(def.Name);
                var outcome = _org.Save(def, body, record, Options(ctx));
                return outcome.Success ? new ApiResponse(204) : SaveErrors(outcome.Errors);
            }

            case "DELETE":
            {
                var record = LocateById(def, idText, forWrite: true);
                var error = _org.Delete(record);
                return error is null ? new ApiResponse(204) : ApiResponse.Error(404, [error]);
            }

            default:
                return MethodNotAllowed(method, "GET,HEAD,PATCH,DELETE");
        }
    }

    private JsonObject RecordJson(Record record, string? fields, string version)
    {
        if (string.IsNullOrEmpty(fields))
        {
            return OrgState.ToJson(record, version);
        }

        var defs = new List<FieldDef>();
        foreach (var name in fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            defs.Add(record.Def.Field(name) ?? throw new ApiException(400, "INVALID_FIELD", $"No such column '{name}' on entity '{record.Def.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."));
        }

        if (!defs.Any(d => d.Name == "Id"))
        {
            defs.Add(record.Def.Field("Id")!);
        }

        return OrgState.ToJson(record, version, defs);
    }

    public static SaveOptions Options(CallContext ctx) => new() { UserId = ctx.UserId, AllowDuplicateSave = ctx.AllowDuplicateSave, AutoAssign = ctx.AutoAssign };

    public static ApiResponse SaveErrors(IReadOnlyList<ApiError> errors) =>
        ApiResponse.Error(errors[0].Code == "ENTITY_IS_DELETED" ? 404 : 400, errors);

    public static JsonObject SaveResult(string id, bool? created = null)
    {
        var o = new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };
        if (created is { } c)
        {
            o["created"] = c;
        }

        return o;
    }

    private ApiResponse Create(ObjectDef def, ApiRequest request, CallContext ctx)
    {
        JsonObject body;
        byte[]? blob = null;
        var contentType = request.Header("Content-Type") ?? string.Empty;
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            (body, blob) = Multipart.Read(request.Body.Span, contentType, def);
        }
        else
        {
            body = request.ReadJsonObject(def.Name);
        }

        if (blob is not null)
        {
            body = (JsonObject)body.DeepClone();
            var binaryField = def.Fields.FirstOrDefault(f => f.Type == "base64")?.Name ?? "VersionData";
            body[binaryField] = Convert.ToBase64String(blob);
        }

        var outcome = _org.Save(def, body, null, Options(ctx));
        if (!outcome.Success)
        {
            return SaveErrors(outcome.Errors);
        }

        return new ApiResponse(201, SaveResult(outcome.Record!.Id))
        {
            Location = $"/services/data/v{ctx.Version}/sobjects/{def.Name}/{outcome.Record.Id}",
        };
    }

    private FieldDef ExternalIdField(ObjectDef def, string name)
    {
        var field = def.Field(name);
        if (field is null || !(field.ExternalId || field.IdLookup))
        {
            throw new ApiException(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {name}");
        }

        return field;
    }

    private ApiResponse ByExternalId(ObjectDef def, string fieldName, string rawValue, ApiRequest request, string method, CallContext ctx)
    {
        var field = ExternalIdField(def, fieldName);
        var value = rawValue; // path segments are already percent-decoded (a "+" stays a "+")
        var matches = _org.FindByField(def, field, JsonValue.Create(value));
        if (matches.Count > 1 && method is "GET" or "HEAD" or "PATCH" or "DELETE")
        {
            var urls = new JsonArray();
            foreach (var m in matches)
            {
                urls.Add($"/services/data/v{ctx.Version}/sobjects/{def.Name}/{m.Id}");
            }

            return new ApiResponse(300, urls);
        }

        switch (method)
        {
            case "GET" or "HEAD":
                return matches.Count == 1 ? new ApiResponse(200, RecordJson(matches[0], request.QueryParameter("fields"), ctx.Version)) : throw ApiException.NotFound();
            case "DELETE":
                if (matches.Count == 0)
                {
                    throw ApiException.NotFound();
                }

                var deleteError = _org.Delete(matches[0]);
                return deleteError is null ? new ApiResponse(204) : ApiResponse.Error(404, [deleteError]);
            case "PATCH" or "POST":
                var body = request.ReadJsonObject(def.Name);
                var (response, _) = Upsert(def, field, value, body, matches, request.QueryParameter("updateOnly") == "true", ctx);
                return response;
            default:
                return MethodNotAllowed(method, "GET,HEAD,PATCH,DELETE");
        }
    }

    /// <summary>Upsert one record: 201 created, 200 updated (204 before v46.0), errors as for create/update.</summary>
    public (ApiResponse Response, SaveOutcome? Outcome) Upsert(ObjectDef def, FieldDef field, string value, JsonObject body, List<Record> matches, bool updateOnly, CallContext ctx)
    {
        var modern = Major(ctx.Version) >= 46;
        if (body.Any(p => string.Equals(p.Key, "Id", StringComparison.OrdinalIgnoreCase)) && field.Name != "Id")
        {
            return (ApiResponse.Error(400, [new ApiError("INVALID_FIELD", "The Id field should not be specified in the sobject data.")]), null);
        }

        if (matches.Count == 0)
        {
            if (updateOnly || field.Name == "Id")
            {
                throw ApiException.NotFound();
            }

            var withKey = (JsonObject)body.DeepClone();
            if (!withKey.Any(p => string.Equals(p.Key, field.Name, StringComparison.OrdinalIgnoreCase)))
            {
                withKey[field.Name] = value;
            }

            var created = _org.Save(def, withKey, null, Options(ctx));
            if (!created.Success)
            {
                return (SaveErrors(created.Errors), created);
            }

            var response = new ApiResponse(201, SaveResult(created.Record!.Id, modern ? true : null))
            {
                Location = $"/services/data/v{ctx.Version}/sobjects/{def.Name}/{created.Record.Id}",
            };
            return (response, created);
        }

        var updated = _org.Save(def, body, matches[0], Options(ctx));
        if (!updated.Success)
        {
            return (SaveErrors(updated.Errors), updated);
        }

        return (modern ? new ApiResponse(200, SaveResult(updated.Record!.Id, false)) : new ApiResponse(204), updated);
    }

    // ---------- describe ----------

    private JsonObject GlobalDescribe(string v)
    {
        var list = new JsonArray();
        foreach (var store in _org.Stores.OrderBy(s => s.Def.Name, StringComparer.Ordinal))
        {
            list.Add(ObjectSummary(store.Def, v));
        }

        return new JsonObject { ["encoding"] = "UTF-8", ["maxBatchSize"] = 200, ["sobjects"] = list };
    }

    private static JsonObject ObjectSummary(ObjectDef def, string v) => new()
    {
        ["name"] = def.Name,
        ["label"] = def.Label,
        ["labelPlural"] = def.LabelPlural,
        ["keyPrefix"] = def.KeyPrefix,
        ["custom"] = def.Custom,
        ["createable"] = def.Createable,
        ["updateable"] = def.Updateable,
        ["deletable"] = def.Deletable,
        ["queryable"] = true,
        ["searchable"] = true,
        ["urls"] = new JsonObject
        {
            ["rowTemplate"] = $"/services/data/v{v}/sobjects/{def.Name}/{{ID}}",
            ["describe"] = $"/services/data/v{v}/sobjects/{def.Name}/describe",
            ["sobject"] = $"/services/data/v{v}/sobjects/{def.Name}",
        },
    };

    private JsonObject Describe(ObjectDef def, string v)
    {
        var o = ObjectSummary(def, v);
        var host = "https://emulator.my.salesforce.com";
        o["urls"] = new JsonObject
        {
            ["compactLayouts"] = $"/services/data/v{v}/sobjects/{def.Name}/describe/compactLayouts",
            ["rowTemplate"] = $"/services/data/v{v}/sobjects/{def.Name}/{{ID}}",
            ["approvalLayouts"] = $"/services/data/v{v}/sobjects/{def.Name}/describe/approvalLayouts",
            ["uiDetailTemplate"] = $"{host}/{{ID}}",
            ["uiEditTemplate"] = $"{host}/{{ID}}/e",
            ["listviews"] = $"/services/data/v{v}/sobjects/{def.Name}/listviews",
            ["describe"] = $"/services/data/v{v}/sobjects/{def.Name}/describe",
            ["uiNewRecord"] = $"{host}/{def.KeyPrefix}/e",
            ["quickActions"] = $"/services/data/v{v}/sobjects/{def.Name}/quickActions",
            ["layouts"] = $"/services/data/v{v}/sobjects/{def.Name}/describe/layouts",
            ["sobject"] = $"/services/data/v{v}/sobjects/{def.Name}",
        };
        if (def.Name == "Case")
        {
            o["urls"]!["caseArticleSuggestions"] = $"/services/data/v{v}/sobjects/Case/suggestedArticles";
            o["urls"]!["caseRowArticleSuggestions"] = $"/services/data/v{v}/sobjects/Case/{{ID}}/suggestedArticles";
        }

        if (def.Name is "Event")
        {
            o["urls"]!["eventSeriesUpdates"] = $"/services/data/v{v}/sobjects/Event/{{ID}}/fromThisEventOnwards";
        }

        if (def.Createable)
        {
            o["urls"]!["defaultValues"] = $"/services/data/v{v}/sobjects/{def.Name}/defaultValues?recordTypeId&fields";
        }

        var fields = new JsonArray();
        foreach (var f in def.Fields)
        {
            fields.Add(FieldDescribe(def, f));
        }

        o["fields"] = fields;
        var children = new JsonArray();
        foreach (var child in _org.ChildRelationships(def))
        {
            children.Add(new JsonObject
            {
                ["cascadeDelete"] = false,
                ["childSObject"] = child.Child.Name,
                ["deprecatedAndHidden"] = false,
                ["field"] = child.Field.Name,
                ["junctionIdListNames"] = new JsonArray(),
                ["junctionReferenceTo"] = new JsonArray(),
                ["relationshipName"] = child.Name,
                ["restrictedDelete"] = false,
            });
        }

        o["childRelationships"] = children; // the parent-to-child names SOQL subqueries use
        var recordTypes = new JsonArray();
        var types = _org.Store(def.Name)!.RecordTypes;
        foreach (var (id, type) in types)
        {
            recordTypes.Add(RecordTypeInfo(def, v, id, type.DeveloperName, type.Label ?? type.DeveloperName, id == types[0].Id, master: false));
        }

        if (types.Count > 0)
        {
            recordTypes.Add(RecordTypeInfo(def, v, "012000000000000AAA", "Master", "Master", isDefault: false, master: true));
        }

        o["recordTypeInfos"] = recordTypes;
        return o;
    }

    private static JsonObject RecordTypeInfo(ObjectDef def, string v, string id, string developerName, string name, bool isDefault, bool master) => new()
    {
        ["active"] = true,
        ["available"] = true,
        ["defaultRecordTypeMapping"] = isDefault,
        ["developerName"] = developerName,
        ["master"] = master,
        ["name"] = name,
        ["recordTypeId"] = id,
        ["urls"] = new JsonObject { ["layout"] = $"/services/data/v{v}/sobjects/{def.Name}/describe/layouts/{id}" },
    };

    private static JsonObject FieldDescribe(ObjectDef def, FieldDef f)
    {
        var personName = def.Name is "Contact" or "Lead" or "User" && f.Name is "FirstName" or "LastName" or "Salutation" or "Name";
        var compound = personName && f.Name != "Name" ? "Name" : null;
        var extraType = personName ? "personname" : f.Type == "textarea" ? "plaintextarea" : null;
        var soapType = f.Type switch
        {
            "id" or "reference" => "tns:ID",
            "boolean" => "xsd:boolean",
            "double" or "currency" or "percent" => "xsd:double",
            "int" => "xsd:int",
            "date" => "xsd:date",
            "datetime" => "xsd:dateTime",
            "base64" => "xsd:base64Binary",
            _ => "xsd:string",
        };
        var picklist = new JsonArray();
        foreach (var value in f.PicklistValues)
        {
            picklist.Add(new JsonObject
            {
                ["active"] = true,
                ["defaultValue"] = value == f.DefaultPicklistValue,
                ["label"] = value,
                ["validFor"] = null,
                ["value"] = value,
            });
        }

        var referenceTo = Json.Array(f.ReferenceTo.Where(r => r != "*"));
        var isText = f.IsText || f.IsReference;
        return new JsonObject
        {
            ["aggregatable"] = f.Type is not ("textarea" or "base64"),
            ["aiPredictionField"] = false,
            ["autoNumber"] = f.AutoNumber,
            ["byteLength"] = isText ? f.Length * 3 : 0,
            ["calculated"] = f.Calculated,
            ["calculatedFormula"] = null,
            ["cascadeDelete"] = false,
            ["caseSensitive"] = f.CaseSensitive,
            ["compoundFieldName"] = compound,
            ["controllerName"] = null,
            ["createable"] = f.Createable,
            ["custom"] = f.Custom,
            ["defaultValue"] = f.DefaultValue?.DeepClone() ?? (f.DefaultPicklistValue is null ? null : JsonValue.Create(f.DefaultPicklistValue)),
            ["defaultValueFormula"] = null,
            ["defaultedOnCreate"] = f.DefaultedOnCreate,
            ["dependentPicklist"] = false,
            ["deprecatedAndHidden"] = false,
            ["digits"] = f.Type == "int" ? 9 : 0,
            ["displayLocationInDecimal"] = false,
            ["encrypted"] = false,
            ["externalId"] = f.ExternalId,
            ["extraTypeInfo"] = extraType,
            ["filterable"] = FieldRules.Filterable(f),
            ["filteredLookupInfo"] = null,
            ["formulaTreatNullNumberAsZero"] = false,
            ["groupable"] = f.Type is not ("textarea" or "base64" or "double" or "currency" or "datetime"),
            ["highScaleNumber"] = false,
            ["htmlFormatted"] = false,
            ["idLookup"] = f.IdLookup,
            ["inlineHelpText"] = null,
            ["label"] = f.DisplayLabel,
            ["length"] = isText ? f.Length : 0,
            ["mask"] = null,
            ["maskType"] = null,
            ["name"] = f.Name,
            ["nameField"] = f.NameField,
            ["namePointing"] = f.ReferenceTo.Count > 1,
            ["nillable"] = f.Nillable,
            ["permissionable"] = f.Nillable && f.Name != "Id",
            ["picklistValues"] = picklist,
            ["polymorphicForeignKey"] = f.ReferenceTo.Count > 1 || f.ReferenceTo.Contains("*"),
            ["precision"] = f.Type is "double" or "currency" ? 18 : 0,
            ["queryByDistance"] = false,
            ["referenceTargetField"] = null,
            ["referenceTo"] = referenceTo,
            ["relationshipName"] = f.RelationshipName,
            ["relationshipOrder"] = null,
            ["restrictedDelete"] = false,
            ["restrictedPicklist"] = f.RestrictedPicklist,
            ["scale"] = f.Type is "double" or "currency" ? 2 : 0,
            ["searchPrefilterable"] = false,
            ["soapType"] = soapType,
            ["sortable"] = FieldRules.Sortable(f),
            ["type"] = f.Type,
            ["unique"] = f.Unique,
            ["updateable"] = f.Updateable,
            ["writeRequiresMasterRead"] = false,
        };
    }

    [GeneratedRegex(@"^v(\d{2})\.(\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}

/// <summary>multipart/form-data bodies for blob inserts: an entity_content JSON part and a binary part.</summary>
internal static class Multipart
{
    public static (JsonObject Entity, byte[]? Blob) Read(ReadOnlySpan<byte> body, string contentType, ObjectDef def)
    {
        var boundaryIndex = contentType.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (boundaryIndex < 0)
        {
            throw new ApiException(400, "INVALID_MULTIPART_REQUEST", "Multipart message must have a boundary.");
        }

        var boundary = contentType[(boundaryIndex + 9)..].Split(';')[0].Trim().Trim('"');
        var text = Encoding.Latin1.GetString(body);
        var delimiter = "--" + boundary;
        JsonObject? entity = null;
        byte[]? blob = null;
        var position = text.IndexOf(delimiter, StringComparison.Ordinal);
        while (position >= 0)
        {
            var start = position + delimiter.Length;
            if (text.AsSpan(start).StartsWith("--"))
            {
                break;
            }

            var next = text.IndexOf(delimiter, start, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            var part = text[start..next].TrimStart('\r', '\n');
            var split = part.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var crlf and >= 0 ? (crlf, 4) : (part.IndexOf("\n\n", StringComparison.Ordinal), 2);
            if (split.Item1 >= 0)
            {
                var headers = part[..split.Item1];
                var content = part[(split.Item1 + split.Item2)..];
                if (content.EndsWith("\r\n", StringComparison.Ordinal))
                {
                    content = content[..^2];
                }
                else if (content.EndsWith('\n'))
                {
                    content = content[..^1];
                }

                var name = NameOf(headers);
                if (string.Equals(name, "entity_content", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "entity_" + def.Name, StringComparison.OrdinalIgnoreCase))
                {
                    var bytes = Encoding.Latin1.GetBytes(content);
                    entity = ApiRequest.ParseBody(bytes.Length == 0 ? "{}"u8 : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes)), "the entity_content part") as JsonObject;
                }
                else if (name is not null)
                {
                    blob = Encoding.Latin1.GetBytes(content);
                }
            }

            position = next;
        }

        return (entity ?? throw new ApiException(400, "INVALID_MULTIPART_REQUEST", "The multipart request must have an entity_content part."), blob);
    }

    private static string? NameOf(string headers)
    {
        foreach (var line in headers.Split('\n'))
        {
            if (!line.TrimStart().StartsWith("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var parameter in line.Split(';'))
            {
                var kv = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
                if (kv.Length == 2 && kv[0].Equals("name", StringComparison.OrdinalIgnoreCase))
                {
                    return kv[1].Trim().Trim('"');
                }
            }
        }

        return null;
    }
}
