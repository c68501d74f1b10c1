using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>
/// The served emulator's dashboard: the page at <c>/</c> (HTML, CSS and JavaScript embedded in the assembly) and the small JSON API
/// under <c>/_emulator/api/</c> it reads and drives. Dashboard requests are not Salesforce API calls: they need no token, are not
/// counted, logged, delayed or failed by injected faults.
/// </summary>
internal sealed class Dashboard
{
    public const string Prefix = "/_emulator/";
    private const int MaxListed = 500;
    private const int MaxRelated = 50;

    private static readonly string[] RelatedFirst = ["Task", "Event", "Case", "ContentDocumentLink", "CampaignMember"];
    private static readonly string[] DetailFields = ["Description", "Body", "Comments"];
    private static readonly string[] ColumnCandidates =
        ["Email", "Phone", "Company", "Username", "Status", "Subject", "CaseNumber", "ActivityDate", "StartDateTime", "FileType", "WhoId", "WhatId", "ContentDocumentId", "LinkedEntityId", "CampaignId", "ContactId", "LeadId"];

    private static readonly string[] SecretParameters = ["client_secret", "client_assertion", "refresh_token", "assertion", "password", "access_token", "code", "code_verifier"];

    private static readonly Dictionary<string, (string ContentType, string Resource)> Assets = new(StringComparer.Ordinal)
    {
        ["/"] = ("text/html; charset=utf-8", "index.html"),
        ["/_emulator/"] = ("text/html; charset=utf-8", "index.html"),
        ["/_emulator/dashboard.css"] = ("text/css; charset=utf-8", "dashboard.css"),
        ["/_emulator/dashboard.js"] = ("text/javascript; charset=utf-8", "dashboard.js"),
    };

    private readonly SalesforceEmulator _emulator;
    private readonly Func<int> _port;

    public Dashboard(SalesforceEmulator emulator, Func<int> port)
    {
        _emulator = emulator;
        _port = port;
    }

    public static bool Handles(string path) => path is "/" or "/favicon.ico" || path.StartsWith(Prefix, StringComparison.Ordinal);

    public ApiResponse Handle(ApiRequest request)
    {
        ApiResponse response;
        try
        {
            response = Route(request);
        }
        catch (DashboardException e)
        {
            response = Problem(e.Status, e.Message);
        }
#pragma warning disable CA1031 // The dashboard answers 500 instead of dropping the connection or stopping the server.
        catch (Exception e)
#pragma warning restore CA1031
        {
            response = Problem(500, $"The dashboard failed: {e.GetType().Name}.");
        }

        // Same-origin only: no framing, no inline or remote script, no referrer, nothing cached.
        response.Headers["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["X-Frame-Options"] = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        response.Headers["Cache-Control"] = "no-store";
        return response;
    }

    private ApiResponse Route(ApiRequest request)
    {
        if (Assets.TryGetValue(request.Path, out var asset))
        {
            RequireMethod(request, "GET");
            return new ApiResponse(200) { Raw = ReadAsset(asset.Resource), ContentType = asset.ContentType };
        }

        if (request.Path == "/favicon.ico")
        {
            return new ApiResponse(204); // browsers ask for it; the page has none, and the request log stays for Salesforce requests
        }

        const string api = Prefix + "api/";
        if (!request.Path.StartsWith(api, StringComparison.Ordinal))
        {
            throw new DashboardException(404, "No such dashboard page.");
        }

        var route = request.Path[api.Length..];
        switch (route)
        {
            case "summary":
                RequireMethod(request, "GET");
                return Ok(Summary());
            case "records":
                RequireMethod(request, "GET");
                return Ok(RecordList(request.QueryParameter("object"), request.QueryParameter("search"), request.QueryParameter("limit")));
            case "record":
                RequireMethod(request, "GET");
                return Ok(RecordPage(request.QueryParameter("id")));
            case "requests":
                RequireMethod(request, "GET");
                return Ok(Requests(request.QueryParameter("limit")));
            case "seed":
                RequireMethod(request, "GET");
                var seed = new ApiResponse(200) { Raw = Encoding.UTF8.GetBytes(_emulator.ExportSeed().ToJsonString(new JsonSerializerOptions { WriteIndented = true })), ContentType = "application/json; charset=utf-8" };
                seed.Headers["Content-Disposition"] = "attachment; filename=\"emulator-seed.json\"";
                return seed;
            case "latency":
                RequireChange(request);
                var milliseconds = Number(Body(request), "milliseconds", 0, 60_000);
                _emulator.Latency = TimeSpan.FromMilliseconds(milliseconds);
                return Ok(Summary());
            case "faults":
                RequireChange(request);
                AddFault(Body(request));
                return Ok(Summary());
            case "faults/clear":
                RequireChange(request);
                _emulator.Faults.Clear();
                return Ok(Summary());
            case "reset":
                RequireChange(request);
                _emulator.Faults.Clear();
                _emulator.Latency = TimeSpan.Zero;
                _emulator.ResetApiUsage();
                _emulator.ClearRequestLog();
                return Ok(Summary());
            default:
                throw new DashboardException(404, "No such dashboard API.");
        }
    }

    // ---------- reads ----------

    private JsonObject Summary()
    {
        var objects = new JsonArray();
        _emulator.WithLock(org =>
        {
            foreach (var store in org.Stores.OrderBy(s => s.Def.Label, StringComparer.OrdinalIgnoreCase))
            {
                objects.Add(new JsonObject
                {
                    ["name"] = store.Def.Name,
                    ["label"] = store.Def.Label,
                    ["labelPlural"] = store.Def.LabelPlural,
                    ["custom"] = store.Def.Custom,
                    ["count"] = store.All.Count(r => !r.IsDeleted),
                });
            }
        });

        var (rules, probability, status, code) = _emulator.Faults.Snapshot();
        var faults = new JsonArray();
        foreach (var (rule, remaining) in rules)
        {
            faults.Add(new JsonObject
            {
                ["method"] = rule.Method,
                ["pathContains"] = rule.PathContains,
                ["statusCode"] = rule.StatusCode,
                ["errorCode"] = rule.ErrorCode,
                ["remaining"] = remaining,
                ["afterCommit"] = rule.AfterCommit,
            });
        }

        return new JsonObject
        {
            ["organizationId"] = _emulator.OrganizationId,
            ["instanceUrl"] = _emulator.InstanceUrl.ToString().TrimEnd('/'),
            ["integrationUserId"] = _emulator.IntegrationUserId,
            ["apiCalls"] = new JsonObject { ["used"] = _emulator.ApiCallsUsed, ["limit"] = _emulator.DailyApiLimit },
            ["latencyMilliseconds"] = (long)_emulator.Latency.TotalMilliseconds,
            ["faults"] = faults,
            ["failureRate"] = probability > 0 ? new JsonObject { ["probability"] = probability, ["statusCode"] = status, ["errorCode"] = code } : null,
            ["requestsLogged"] = _emulator.RequestLog.Count,
            ["unexpectedErrors"] = _emulator.UnexpectedErrors,
            ["objects"] = objects,
        };
    }

    private JsonObject RecordList(string? objectName, string? search, string? limitText)
    {
        if (string.IsNullOrEmpty(objectName))
        {
            throw new DashboardException(400, "Say which object to list (?object=Contact).");
        }

        var limit = ParseLimit(limitText, 100);
        var term = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        JsonObject? result = null;
        _emulator.WithLock(org =>
        {
            var store = org.Store(objectName) ?? throw new DashboardException(404, "No such object.");
            var def = store.Def;
            var columns = new List<FieldDef>();
            if (NameField(def) is { } nameField)
            {
                columns.Add(nameField);
            }

            columns.AddRange(ColumnCandidates.Select(def.Field).OfType<FieldDef>().Where(f => !columns.Contains(f)).Take(3));
            columns.Add(def.Field("CreatedDate")!);
            var live = store.All.Where(r => !r.IsDeleted).ToList();
            var matched = term is null ? live : live.Where(r => Matches(r, term)).ToList();
            var rows = new JsonArray();
            foreach (var record in Enumerable.Reverse(matched).Take(limit))
            {
                var values = new JsonObject();
                foreach (var column in columns)
                {
                    values[column.Name] = Display(record[column.Name]);
                }

                rows.Add(new JsonObject { ["id"] = record.Id, ["name"] = DisplayName(org, record), ["values"] = values });
            }

            var columnList = new JsonArray();
            foreach (var column in columns)
            {
                columnList.Add(new JsonObject { ["name"] = column.Name, ["label"] = column.DisplayLabel });
            }

            result = new JsonObject
            {
                ["object"] = def.Name,
                ["label"] = def.Label,
                ["labelPlural"] = def.LabelPlural,
                ["search"] = term,
                ["total"] = live.Count,
                ["matched"] = matched.Count,
                ["columns"] = columnList,
                ["records"] = rows,
            };
        });
        return result!;
    }

    private JsonObject RecordPage(string? id)
    {
        JsonObject? result = null;
        _emulator.WithLock(org =>
        {
            var record = org.Get(id);
            if (record is null || record.IsDeleted)
            {
                throw new DashboardException(404, "No record with this id.");
            }

            var fields = new JsonArray();
            foreach (var field in record.Def.Fields)
            {
                var entry = new JsonObject
                {
                    ["name"] = field.Name,
                    ["label"] = field.DisplayLabel,
                    ["type"] = field.Type,
                    ["value"] = field.Type == "base64" ? BlobText(record.Blob) : Display(record[field.Name]),
                };
                if (field.IsReference && field.Name != "Id" && org.Get(record.Text(field.Name)) is { IsDeleted: false } target)
                {
                    entry["reference"] = new JsonObject { ["id"] = target.Id, ["object"] = target.Def.Name, ["name"] = DisplayName(org, target) };
                }

                fields.Add(entry);
            }

            result = new JsonObject
            {
                ["id"] = record.Id,
                ["object"] = record.Def.Name,
                ["label"] = record.Def.Label,
                ["name"] = DisplayName(org, record),
                ["fields"] = fields,
                ["related"] = Related(org, record),
            };
            if (record.Def.Name == "ContentVersion" && record.Blob is { } blob && TextPreview(blob) is { } preview)
            {
                result["preview"] = preview;
            }
        });
        return result!;
    }

    /// <summary>Records whose lookups point at the record (Tasks, Events, Cases, files, campaign members and any other), by object and field.</summary>
    private static JsonArray Related(OrgState org, Record record)
    {
        var groups = new List<(int Rank, string Label, JsonObject Group)>();
        foreach (var store in org.Stores)
        {
            foreach (var field in store.Def.Fields.Where(f => f.IsReference && f.Name is not ("Id" or "CreatedById" or "LastModifiedById")))
            {
                if (!field.ReferenceTo.Contains("*") && !field.ReferenceTo.Contains(record.Def.Name, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var matches = store.All.Where(r => !r.IsDeleted && string.Equals(SalesforceId.Normalize(r.Text(field.Name)), record.Id, StringComparison.Ordinal)).ToList();
                if (matches.Count == 0)
                {
                    continue;
                }

                var rows = new JsonArray();
                foreach (var match in Enumerable.Reverse(matches).Take(MaxRelated))
                {
                    var row = new JsonObject { ["id"] = match.Id, ["name"] = DisplayName(org, match) };
                    if (DetailFields.Select(f => match.Text(f)).FirstOrDefault(t => !string.IsNullOrEmpty(t)) is { } detail)
                    {
                        row["detail"] = detail.Length > 300 ? string.Concat(detail.AsSpan(0, 300), "…") : detail;
                    }

                    rows.Add(row);
                }

                var rank = Array.IndexOf(RelatedFirst, store.Def.Name);
                groups.Add((rank < 0 ? RelatedFirst.Length : rank, store.Def.LabelPlural, new JsonObject
                {
                    ["object"] = store.Def.Name,
                    ["label"] = store.Def.LabelPlural,
                    ["field"] = field.Name,
                    ["fieldLabel"] = field.DisplayLabel,
                    ["total"] = matches.Count,
                    ["records"] = rows,
                }));
            }
        }

        var result = new JsonArray();
        foreach (var group in groups.OrderBy(g => g.Rank).ThenBy(g => g.Label, StringComparer.OrdinalIgnoreCase))
        {
            result.Add(group.Group);
        }

        return result;
    }

    private JsonObject Requests(string? limitText)
    {
        var limit = ParseLimit(limitText, 200);
        var log = _emulator.RequestLog;
        var rows = new JsonArray();
        foreach (var entry in log.Reverse().Take(limit))
        {
            var headers = new JsonObject();
            foreach (var (name, value) in entry.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                headers[name] = name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "(redacted)" : value;
            }

            var subrequests = new JsonArray();
            foreach (var sub in entry.Subrequests)
            {
                subrequests.Add(new JsonObject { ["method"] = sub.Method, ["url"] = RedactQuery(sub.Url), ["status"] = sub.StatusCode });
            }

            rows.Add(new JsonObject
            {
                ["time"] = entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["method"] = entry.Method,
                ["path"] = RedactQuery(entry.Path),
                ["status"] = entry.StatusCode,
                ["apiCall"] = entry.CountedAsApiCall,
                ["latencyMilliseconds"] = Math.Round(entry.Duration.TotalMilliseconds, 1),
                ["faultInjected"] = entry.FaultInjected,
                ["errorCode"] = entry.ErrorCode,
                ["headers"] = headers,
                ["subrequests"] = subrequests,
            });
        }

        return new JsonObject { ["total"] = log.Count, ["requests"] = rows };
    }

    /// <summary>Replaces the values of secret query parameters (a token request can carry its form in the query string).</summary>
    internal static string RedactQuery(string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return pathAndQuery;
        }

        var pairs = pathAndQuery[(question + 1)..].Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            var eq = pairs[i].IndexOf('=', StringComparison.Ordinal);
            var name = ApiRequest.Decode(eq < 0 ? pairs[i] : pairs[i][..eq]);
            if (eq >= 0 && SecretParameters.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                pairs[i] = pairs[i][..(eq + 1)] + "(redacted)";
            }
        }

        return string.Concat(pathAndQuery.AsSpan(0, question + 1), string.Join('&', pairs));
    }

    // ---------- changes ----------

    private void AddFault(JsonObject body)
    {
        var status = (int)Number(body, "statusCode", 400, 599);
        var code = body["errorCode"] is JsonValue c && c.TryGetValue<string>(out var text) ? text.Trim() : null;
        if (string.IsNullOrEmpty(code) || code.Length > 80 || !code.All(ch => char.IsAsciiLetterUpper(ch) || ch == '_' || char.IsAsciiDigit(ch)))
        {
            throw new DashboardException(400, "errorCode must be a Salesforce error code such as SERVER_UNAVAILABLE (capital letters, digits and underscores).");
        }

        var times = body.ContainsKey("times") ? (int)Number(body, "times", 1, 10_000) : 1;
        var method = OptionalText(body, "method", 10);
        if (method is not null && !method.All(char.IsAsciiLetter))
        {
            throw new DashboardException(400, "method must be an HTTP method such as POST, or empty for any.");
        }

        _emulator.Faults.Add(new FaultRule
        {
            StatusCode = status,
            ErrorCode = code,
            Method = method?.ToUpperInvariant(),
            PathContains = OptionalText(body, "pathContains", 500),
            Times = times,
        });
    }

    /// <summary>
    /// Changes need POST with a JSON body from the page itself: a cross-site form cannot send application/json without a CORS
    /// preflight (which is not answered), and a foreign Origin or Sec-Fetch-Site is refused.
    /// </summary>
    private void RequireChange(ApiRequest request)
    {
        RequireMethod(request, "POST");
        var contentType = request.Header("Content-Type");
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new DashboardException(415, "Send changes as application/json.");
        }

        if (request.Header("Origin") is { } origin
            && (!origin.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || LoopbackServer.LoopbackHostName(origin[7..], _port()) is null))
        {
            throw new DashboardException(403, "Changes are accepted only from the dashboard page itself.");
        }

        if (request.Header("Sec-Fetch-Site") is { } site && site is not ("same-origin" or "none"))
        {
            throw new DashboardException(403, "Changes are accepted only from the dashboard page itself.");
        }
    }

    private static void RequireMethod(ApiRequest request, string method)
    {
        if (request.Method != method && !(method == "GET" && request.Method == "HEAD"))
        {
            throw new DashboardException(405, $"Use {method}.");
        }
    }

    private static JsonObject Body(ApiRequest request)
    {
        try
        {
            return JsonNode.Parse(request.Body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 8 }) as JsonObject
                ?? throw new DashboardException(400, "The body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new DashboardException(400, "The body is not valid JSON.");
        }
    }

    private static double Number(JsonObject body, string name, double min, double max)
    {
        if (body[name] is not JsonValue value || !Json.TryNumber(value, out var number) || number < (decimal)min || number > (decimal)max)
        {
            throw new DashboardException(400, string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {min} to {max}."));
        }

        return (double)number;
    }

    private static string? OptionalText(JsonObject body, string name, int maxLength)
    {
        if (body[name] is null)
        {
            return null;
        }

        if (body[name] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length > maxLength)
        {
            throw new DashboardException(400, string.Create(CultureInfo.InvariantCulture, $"{name} must be text of at most {maxLength} characters."));
        }

        return text.Trim().Length == 0 ? null : text.Trim();
    }

    // ---------- helpers ----------

    private static int ParseLimit(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? Math.Min(limit, MaxListed) : fallback;

    private static FieldDef? NameField(ObjectDef def) =>
        def.Fields.FirstOrDefault(f => f.NameField) ?? def.Field("Name") ?? def.Field("Subject") ?? def.Field("CaseNumber") ?? def.Field("Title");

    private static string DisplayName(OrgState org, Record record)
    {
        if (record.Def.Name == "ContentDocumentLink" && org.Get(record.Text("ContentDocumentId")) is { } document)
        {
            return document.Text("Title") ?? document.Id;
        }

        if (record.Def.Name == "CampaignMember" && org.Get(record.Text("ContactId") ?? record.Text("LeadId")) is { } person)
        {
            return person.Text("Name") ?? person.Id;
        }

        var name = record.Def.Name switch
        {
            "Task" or "Event" => record.Text("Subject"),
            "Case" => string.Join(" ", new[] { record.Text("CaseNumber"), record.Text("Subject") }.Where(s => !string.IsNullOrEmpty(s))),
            _ => NameField(record.Def) is { } field ? record.Text(field.Name) : null,
        };
        return string.IsNullOrWhiteSpace(name) ? record.Id : name;
    }

    private static bool Matches(Record record, string term)
    {
        if (record.Id.Contains(term, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var value in record.Values.Values)
        {
            if (value is JsonValue && Json.Str(value) is { } text && text.Contains(term, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static JsonNode? Display(JsonNode? value) => value?.DeepClone();

    private static string? BlobText(byte[]? blob) =>
        blob is null ? null : string.Create(CultureInfo.InvariantCulture, $"{blob.Length:N0} bytes");

    private static string? TextPreview(byte[] blob)
    {
        if (blob.Length == 0 || Array.IndexOf(blob, (byte)0) >= 0)
        {
            return null;
        }

        var length = blob.Length;
        if (length > 20_000)
        {
            length = 20_000;
            while (length > 0 && (blob[length] & 0xC0) == 0x80)
            {
                length--; // do not cut a UTF-8 sequence
            }
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(blob, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static ApiResponse Ok(JsonObject body) => new(200, body) { ContentType = "application/json; charset=utf-8" };

    private static ApiResponse Problem(int status, string message) =>
        new(status, new JsonObject { ["error"] = message }) { ContentType = "application/json; charset=utf-8" };

    private static byte[] ReadAsset(string name)
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("ChatToSalesforce.Testing.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard asset '{name}' is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed class DashboardException : Exception
    {
        public DashboardException(int status, string message)
            : base(message) => Status = status;

        public DashboardException()
        {
        }

        public DashboardException(string message)
            : base(message)
        {
        }

        public DashboardException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public int Status { get; } = 400;
    }
}
