using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Tests.Infrastructure;

/// <summary>
/// A tiny in-memory org that answers composite requests and queries the way Salesforce shapes them: query
/// subrequests (a simple "FROM X WHERE F = 'v'" filter), describes from <see cref="TestData"/>, POST (201 with a new
/// id), PATCH by id (204) and PATCH upsert on an external id (201 created). Plug it into a substitute with
/// <c>client.SendCompositeAsync(...).Returns(ci => org.Respond(ci.Arg&lt;SalesforceCompositeRequest&gt;()))</c>.
/// </summary>
internal sealed partial class FakeOrg
{
    private int _next;

    public Dictionary<string, List<JsonObject>> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<SalesforceCompositeRequest> Composites { get; } = [];

    public List<string> Queries { get; } = [];

    /// <summary>Returns an exception to throw for a composite request (for example one conversation's write), or null.</summary>
    public Func<SalesforceCompositeRequest, Exception?>? FailWhen { get; set; }

    /// <summary>Returns an error for a record of an sObject Collections request Salesforce should reject (the others are saved), or null.</summary>
    public Func<string, JsonObject, SalesforceError?>? RejectRecordWhen { get; set; }

    public List<SalesforceCollectionRequest> Collections { get; } = [];

    /// <summary>Returns an error body for a subrequest Salesforce should reject (the others are rolled back), or null.</summary>
    public Func<SalesforceSubrequest, JsonNode?>? RejectWhen { get; set; }

    public FakeOrg Add(string objectType, JsonObject record)
    {
        if (!Records.TryGetValue(objectType, out var list))
        {
            Records[objectType] = list = [];
        }

        list.Add(record);
        return this;
    }

    public Task<SalesforceCompositeResponse> Respond(SalesforceCompositeRequest request)
    {
        lock (this)
        {
            Composites.Add(request);
            if (FailWhen?.Invoke(request) is { } error)
            {
                return Task.FromException<SalesforceCompositeResponse>(error);
            }

            if (!request.AllOrNone && RejectWhen is not null)
            {
                return Task.FromResult(new SalesforceCompositeResponse(request.Subrequests
                    .Select(s => RejectWhen(s) is { } error ? new SalesforceSubresponse(s.ReferenceId, 400, error) : RespondOne(s)).ToArray()));
            }

            if (request.Subrequests.FirstOrDefault(s => RejectWhen?.Invoke(s) is not null) is { } rejected)
            {
                return Task.FromResult(new SalesforceCompositeResponse(request.Subrequests.Select(s => s == rejected
                    ? new SalesforceSubresponse(s.ReferenceId, 400, RejectWhen!(s))
                    : new SalesforceSubresponse(s.ReferenceId, 400, new JsonArray(new JsonObject { ["errorCode"] = "PROCESSING_HALTED", ["message"] = "rolled back" }))).ToArray()));
            }

            var responses = new List<SalesforceSubresponse>();
            foreach (var sub in request.Subrequests)
            {
                responses.Add(RespondOne(sub));
            }

            return Task.FromResult(new SalesforceCompositeResponse(responses));
        }
    }

    /// <summary>Answers an sObject Collections request (batch exports): creates, updates by id and upserts, per record.</summary>
    public Task<IReadOnlyList<SalesforceSaveResult>> RespondCollection(SalesforceCollectionRequest request)
    {
        lock (this)
        {
            Collections.Add(request);
            var results = new List<SalesforceSaveResult>();
            foreach (var record in request.Records)
            {
                var type = record["attributes"]?["type"]?.GetValue<string>() ?? request.ObjectType!;
                var fields = (JsonObject)record.DeepClone();
                fields.Remove("attributes");
                if (RejectRecordWhen?.Invoke(type, fields) is { } error)
                {
                    results.Add(new SalesforceSaveResult(null, false, null, [error]));
                    continue;
                }

                switch (request.Operation)
                {
                    case SalesforceCollectionOperation.Update:
                        results.Add(new SalesforceSaveResult(fields["Id"]!.GetValue<string>(), true, null, []));
                        break;
                    case SalesforceCollectionOperation.Upsert:
                        var id = NewId(type);
                        fields["Id"] = id;
                        Add(type, fields);
                        results.Add(new SalesforceSaveResult(id, true, true, []));
                        break;
                    default:
                        var created = NewId(type);
                        fields["Id"] = created;
                        Add(type, fields);
                        results.Add(new SalesforceSaveResult(created, true, null, []));
                        break;
                }
            }

            return Task.FromResult<IReadOnlyList<SalesforceSaveResult>>(results);
        }
    }

    public Task<SalesforceQueryResult> Query(string soql)
    {
        lock (this)
        {
            var records = Find(soql);
            return Task.FromResult(new SalesforceQueryResult(records.Count, records));
        }
    }

    private SalesforceSubresponse RespondOne(SalesforceSubrequest sub)
    {
        if (sub.Method == "GET" && sub.Url.StartsWith("query?q=", StringComparison.Ordinal))
        {
            var records = Find(Uri.UnescapeDataString(sub.Url["query?q=".Length..]));
            return new SalesforceSubresponse(sub.ReferenceId, 200, new JsonObject
            {
                ["totalSize"] = records.Count,
                ["done"] = true,
                ["records"] = new JsonArray(records.Select(r => (JsonNode)r.DeepClone()).ToArray()),
            });
        }

        var parts = sub.Url.Split('/');
        if (sub.Method == "GET" && parts is ["sobjects", var described, "describe"])
        {
            return new SalesforceSubresponse(sub.ReferenceId, 200, TestData.DescribeJson(TestData.Describe(Uri.UnescapeDataString(described))));
        }

        if (sub.Method == "POST" && parts is ["sobjects", var created])
        {
            var id = NewId(created);
            var record = (JsonObject?)sub.Body?.DeepClone() ?? [];
            record["Id"] = id;
            Add(created, record);
            return new SalesforceSubresponse(sub.ReferenceId, 201, new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
        }

        if (sub.Method == "PATCH" && parts is ["sobjects", _, _])
        {
            return new SalesforceSubresponse(sub.ReferenceId, 204, null);
        }

        if (sub.Method == "PATCH" && parts is ["sobjects", var upserted, _, _])
        {
            return new SalesforceSubresponse(sub.ReferenceId, 201, new JsonObject { ["id"] = NewId(upserted), ["success"] = true, ["created"] = true, ["errors"] = new JsonArray() });
        }

        return new SalesforceSubresponse(sub.ReferenceId, 400, new JsonArray(new JsonObject { ["errorCode"] = "NOT_FOUND", ["message"] = "The fake org does not know " + sub.Url }));
    }

    private List<JsonObject> Find(string soql)
    {
        Queries.Add(soql);
        if (InFilter().Match(soql) is { Success: true } inList && Records.TryGetValue(inList.Groups[1].Value, out var candidates))
        {
            // The batch export's shared read: "WHERE F IN ('a','b')".
            var values = Literal().Matches(inList.Groups[3].Value).Select(v => Regex.Unescape(v.Groups[1].Value.Replace("\\'", "'", StringComparison.Ordinal))).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var inField = inList.Groups[2].Value;
            return candidates.Where(r => r[inField]?.GetValue<string>() is { } v && values.Contains(v)).Select(r => (JsonObject)r.DeepClone()).ToList();
        }

        var m = Filter().Match(soql);
        if (!m.Success || !Records.TryGetValue(m.Groups[1].Value, out var list))
        {
            return [];
        }

        var field = m.Groups[2].Value;
        var value = Regex.Unescape(m.Groups[3].Value.Replace("\\'", "'", StringComparison.Ordinal));
        return list.Where(r => string.Equals(r[field]?.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase))
            .Select(r => (JsonObject)r.DeepClone()).ToList();
    }

    private string NewId(string objectType)
    {
        var prefix = objectType switch
        {
            "Contact" => "003",
            "Lead" => "00Q",
            "Task" => "00T",
            "Case" => "500",
            "Event" => "00U",
            "ContentVersion" => "068",
            "CampaignMember" => "00v",
            _ => "a00",
        };
        return prefix + (++_next).ToString("D12", CultureInfo.InvariantCulture) + "AAA";
    }

    [GeneratedRegex(@"FROM (\w+) WHERE (\w+) = '((?:[^'\\]|\\.)*)'")]
    private static partial Regex Filter();

    [GeneratedRegex(@"FROM (\w+) WHERE (?:\w+ = \w+ AND )?(\w+) IN \(([^)]*)\)")]
    private static partial Regex InFilter();

    [GeneratedRegex(@"'((?:[^'\\]|\\.)*)'")]
    private static partial Regex Literal();
}
