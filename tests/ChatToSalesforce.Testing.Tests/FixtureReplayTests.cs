using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>
/// Replays every supported fixture in shared/salesforce/fixtures against the emulator (after seeding what it needs)
/// and checks that the answer has the same status and the same JSON shape: every property of the fixture exists
/// with the same kind (values may differ; the emulator may add properties; a null in the fixture matches anything).
/// </summary>
public sealed class FixtureReplayTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>Fixtures the emulator does not replay, with the reason (also listed in docs/emulator.md).</summary>
    internal static readonly Dictionary<string, string> Unsupported = new()
    {
        ["32"] = "docs placeholder path '<incorrectExternalIdField>' and a single-object error body; live Salesforce answers an array (fixture 33, which is replayed)",
        ["35"] = "tooling API and UI-session tokens are not emulated",
        ["51"] = "Connect REST API; HTTP status not recorded",
        ["52"] = "password expiry is not emulated; HTTP status not recorded",
        ["56"] = "request body not recorded (Salesforce Billing managed-package objects); the 'warnings' array is not emitted",
        ["75"] = "per-app API allocations (per-app-api-usage) are not emulated",
    };

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(FixtureDirectory))
        {
            foreach (var file in Directory.GetFiles(FixtureDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                if (!Unsupported.ContainsKey(file![..2]))
                {
                    data.Add(file);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Every_fixture_is_replayed_or_listed_as_unsupported()
    {
        if (!Directory.Exists(FixtureDirectory))
        {
            return; // fixtures live outside the repository; nothing to check when they are absent
        }

        var files = Directory.GetFiles(FixtureDirectory, "*.json");
        files.Should().HaveCountGreaterThan(70);
        var supported = files.Count(f => !Unsupported.ContainsKey(Path.GetFileName(f)[..2]));
        supported.Should().BeGreaterThanOrEqualTo(60);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Fixture_is_answered_with_the_same_status_and_shape(string file)
    {
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, file)))!.AsObject();
        var number = file[..2];
        var request = fixture["request"]!.AsObject();
        var expected = fixture["response"]!.AsObject();
        var options = new SalesforceEmulatorOptions();
        if (number == "09")
        {
            options.AcceptAnyClient = false;
        }

        using var org = new Org(options);
        var replay = new Replay
        {
            Method = (string)request["method"]!,
            Path = Version((string)request["path"]!),
            Body = request["body"] is { } b ? Version(b is JsonValue v && v.TryGetValue<string>(out var s) ? s : b.ToJsonString()) : null,
            ContentType = (string?)request["headers"]?["Content-Type"],
        };
        await Setup(number, org, replay);

        using var message = new HttpRequestMessage(new HttpMethod(replay.Method), replay.Path);
        if (replay.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(replay.Body));
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(replay.ContentType ?? "application/json");
        }

        if (replay.Authorization is not null)
        {
            message.Headers.Authorization = AuthenticationHeaderValue.Parse(replay.Authorization);
        }

        using var response = await org.Http.SendAsync(message);
        var reply = await Reply.Read(response);

        reply.Status.Should().Be((int)expected["status"]!, $"fixture {file} answered {reply.Text}");
        var expectedBody = replay.MapExpected is { } map && expected["body"] is { } recorded ? map(recorded.DeepClone()) : expected["body"];
        if (expectedBody is not null)
        {
            AssertShape(expectedBody, reply.Json, "$", reply.Text.Length > 400 ? reply.Text[..400] + "..." : reply.Text);
        }
        else if (reply.Status == 204)
        {
            reply.Text.Should().BeEmpty();
        }

        if (expected["headers"] is JsonObject headers)
        {
            foreach (var (name, _) in headers)
            {
                if (name.Equals("Sforce-Limit-Info", StringComparison.OrdinalIgnoreCase))
                {
                    reply.Header("Sforce-Limit-Info").Should().MatchRegex(@"^api-usage=\d+/\d+$");
                }
            }
        }

        org.Emulator.UnexpectedErrors.Should().Be(0);
    }

    private static string Version(string text) => text.Replace("vxx.0", "v62.0", StringComparison.Ordinal).Replace("vXX.X", "v62.0", StringComparison.Ordinal);

    internal static void AssertShape(JsonNode? expected, JsonNode? actual, string path, string context)
    {
        if (expected is null)
        {
            return;
        }

        actual.Should().NotBeNull($"{path} must be present in {context}");
        switch (expected)
        {
            case JsonObject eo:
                actual.Should().BeOfType<JsonObject>($"{path} must be an object in {context}");
                var ao = actual!.AsObject();
                foreach (var (key, value) in eo)
                {
                    ao.ContainsKey(key).Should().BeTrue($"{path}.{key} must exist in {context}");
                    AssertShape(value, ao[key], $"{path}.{key}", context);
                }

                break;
            case JsonArray ea:
                actual.Should().BeOfType<JsonArray>($"{path} must be an array in {context}");
                var aa = actual!.AsArray();
                if (ea.Count > 0)
                {
                    aa.Should().NotBeEmpty($"{path} must not be empty in {context}");
                }

                for (var i = 0; i < Math.Min(ea.Count, aa.Count); i++)
                {
                    // Describe field lists are matched by name (the fixtures are trimmed); other arrays by position.
                    if (ea[i] is JsonObject named && named["name"] is JsonValue nameValue && nameValue.GetValueKind() == JsonValueKind.String && path.EndsWith("fields", StringComparison.Ordinal))
                    {
                        var name = (string)nameValue!;
                        var match = aa.FirstOrDefault(x => x is JsonObject xo && (string?)xo["name"] == name);
                        match.Should().NotBeNull($"{path} must contain an element named {name}");
                        AssertShape(ea[i], match, $"{path}[name={name}]", context);
                        continue;
                    }

                    AssertShape(ea[i], aa[i], $"{path}[{i}]", context);
                }

                break;
            default:
                var ek = expected.GetValueKind();
                var ak = actual!.GetValueKind();
                if (ek is JsonValueKind.True or JsonValueKind.False)
                {
                    ak.Should().BeOneOf([JsonValueKind.True, JsonValueKind.False], $"{path} must be a boolean in {context}");
                }
                else
                {
                    ak.Should().Be(ek, $"{path} must have the same kind in {context}");
                }

                break;
        }
    }

    private sealed class Replay
    {
        public required string Method { get; set; }
        public required string Path { get; set; }
        public string? Body { get; set; }
        public string? ContentType { get; set; }
        public string? Authorization { get; set; }

        /// <summary>Maps the recorded body onto names a real org can have (the hand-written Whizbang fixtures).</summary>
        public Func<JsonNode, JsonNode>? MapExpected { get; set; }
    }

    /// <summary>
    /// The restforce fixtures 16, 17, 20 and 31 use the sObject "Whizbang" and fields like "Text_Label", names no org can
    /// have (custom names end in __c): the replay defines Whizbang__c with those fields plus __c and maps the recording's
    /// keys the same way.
    /// </summary>
    private static JsonNode Whizbang(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                var mapped = new JsonObject();
                foreach (var (key, value) in o.ToList())
                {
                    o.Remove(key);
                    var name = key is "attributes" or "type" or "url" or "totalSize" or "done" or "records" or "nextRecordsUrl" or "Name" or "Id"
                        || key.EndsWith("__c", StringComparison.Ordinal) || key.EndsWith("__r", StringComparison.Ordinal)
                        ? key : key + "__c";
                    mapped[name] = value is null ? null : Whizbang(value);
                }

                return mapped;
            case JsonArray a:
                var array = new JsonArray();
                foreach (var item in a.ToList())
                {
                    a.Remove(item);
                    array.Add(item is null ? null : Whizbang(item));
                }

                return array;
            default:
                return node;
        }
    }

    private static void DefineWhizbang(SalesforceEmulator e)
    {
        e.DefineObject("Whizbang__c",
            new EmulatorField { Name = "Text_Label__c" },
            new EmulatorField { Name = "Checkbox_Label__c", Type = EmulatorFieldType.Boolean },
            new EmulatorField { Name = "Date_Label__c", Type = EmulatorFieldType.Date },
            new EmulatorField { Name = "DateTime_Label__c", Type = EmulatorFieldType.DateTime },
            new EmulatorField { Name = "Picklist_Multiselect_Label__c" },
            new EmulatorField { Name = "External_ID__c", ExternalId = true });
        e.DefineField("Whizbang__c", new EmulatorField { Name = "ParentWhizbang__c", Type = EmulatorFieldType.Reference, ReferenceTo = ["Whizbang__c"] });
    }

    private static string User(SalesforceEmulator e, string username, string? id = null)
    {
        var fields = new Dictionary<string, object?> { ["Username"] = username, ["Email"] = "user@example.com", ["LastName"] = "User" };
        if (id is not null)
        {
            fields["Id"] = id;
        }

        return e.Insert("User", fields);
    }

    private static async Task Setup(string number, Org org, Replay replay)
    {
        var e = org.Emulator;
        switch (number)
        {
            case "01":
                User(e, "foo");
                break;
            case "02":
            {
                using var rsa = RSA.Create(2048);
                e.RegisterClient("jwt-client", null, rsa.ExportSubjectPublicKeyInfoPem());
                User(e, "jwt.user@example.com");
                replay.Body = Jwt.Form(Jwt.Create(rsa, "jwt-client", "jwt.user@example.com"));
                break;
            }

            case "04":
                e.IssueRefreshToken(refreshToken: "refresh_token");
                break;
            case "05":
                User(e, "testsalesforce1453@gmail.com");
                break;
            case "08":
            {
                using var rsa = RSA.Create(2048);
                replay.Body = Jwt.Form(Jwt.Create(rsa, "any-client", "nobody@example.com"));
                break;
            }

            case "09":
                replay.Body = "grant_type=client_credentials&client_id=unknown&client_secret=secret";
                break;
            case "10":
                e.Insert("Account", new { Name = "Test 1" });
                e.Insert("Account", new { Name = "Test 2" });
                break;
            case "11":
                e.QueryBatchSize = 2;
                for (var i = 0; i < 3; i++)
                {
                    e.Insert("Contact", new { FirstName = "John", LastName = $"Smith{i}" });
                }

                break;
            case "12" or "13" or "14" or "15":
            {
                e.QueryBatchSize = 200;
                for (var i = 0; i < 800; i++)
                {
                    e.Insert("Contact", new { LastName = $"Contact {i}" });
                }

                var follow = int.Parse(number, System.Globalization.CultureInfo.InvariantCulture) - 12;
                if (follow > 0)
                {
                    var page = await org.Query("SELECT Id FROM Contact");
                    for (var i = 1; i < follow; i++)
                    {
                        page = await org.Get((string)page.Json!["nextRecordsUrl"]!);
                    }

                    replay.Path = (string)page.Json!["nextRecordsUrl"]!;
                }

                break;
            }

            case "16" or "17":
            {
                DefineWhizbang(e);
                e.QueryBatchSize = 1;
                e.Insert("Whizbang__c", new Dictionary<string, object?> { ["Text_Label__c"] = "First Page" });
                e.Insert("Whizbang__c", new Dictionary<string, object?> { ["Text_Label__c"] = "Last Page" });
                replay.MapExpected = Whizbang;
                replay.Path = "/services/data/v26.0/query?q=" + Uri.EscapeDataString("SELECT Text_Label__c FROM Whizbang__c");
                if (number == "17")
                {
                    var first = await org.Get(replay.Path);
                    replay.Path = (string)first.Json!["nextRecordsUrl"]!;
                }

                break;
            }

            case "20":
            {
                DefineWhizbang(e);
                var parent = e.Insert("Whizbang__c", new Dictionary<string, object?> { ["Name"] = "Parent Whizbang", ["Text_Label__c"] = "Hello" });
                var main = e.Insert("Whizbang__c", new Dictionary<string, object?>
                {
                    ["Name"] = "Whizbang", ["Checkbox_Label__c"] = false, ["Text_Label__c"] = "Hi there!", ["Date_Label__c"] = "2010-01-01",
                    ["DateTime_Label__c"] = "2011-07-07T00:37:00.000+0000", ["Picklist_Multiselect_Label__c"] = "four;six", ["ParentWhizbang__c"] = parent,
                });
                e.Insert("Whizbang__c", new Dictionary<string, object?> { ["Name"] = "Child Whizbang", ["ParentWhizbang__c"] = main });
                replay.MapExpected = Whizbang;
                replay.Path = "/services/data/v20.0/query?q=" + Uri.EscapeDataString(
                    "SELECT Checkbox_Label__c, Text_Label__c, Date_Label__c, DateTime_Label__c, Picklist_Multiselect_Label__c, ParentWhizbang__r.Name, ParentWhizbang__r.Text_Label__c, (SELECT Name FROM Whizbangs__r) FROM Whizbang__c WHERE Name = 'Whizbang'");
                break;
            }

            case "21":
            {
                var first = e.Insert("Campaign", new { Name = "First" });
                var second = e.Insert("Campaign", new { Name = "Second" });
                foreach (var (campaign, amount) in new[] { (first, 100m), (first, 200m), (second, 100m), (null, 400m) })
                {
                    e.Insert("Opportunity", new Dictionary<string, object?> { ["Name"] = "Deal", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-02-01", ["Amount"] = amount, ["CampaignId"] = campaign });
                }

                break;
            }

            case "31":
                DefineWhizbang(e);
                e.Insert("Whizbang__c", new Dictionary<string, object?> { ["External_ID__c"] = "1234" });
                e.Insert("Whizbang__c", new Dictionary<string, object?> { ["External_ID__c"] = "1234" });
                replay.Path = "/services/data/v23.0/sobjects/Whizbang__c/External_ID__c/1234";
                replay.Body = "{}";
                break;
            case "43":
                // the jsforce mock's path is the version root; a validation rule fires on a record create
                e.AddValidationRule("Account", new EmulatorValidationRule { Name = "No_ACME", Field = "Name", Pattern = "(?!.*ACME).*", Message = "no ACME accounts" });
                e.AddValidationRule("Account", new EmulatorValidationRule { Name = "No_123_Phone", Field = "Phone", Pattern = "(?!123).*", Message = "no 123 phone" });
                replay.Path = "/services/data/v59.0/sobjects/Account";
                replay.Body = """{"Name":"ACME Corp","Phone":"123-4567","Description":"Accountant"}""";
                break;
            case "19":
            {
                var account = e.Insert("Account", new { Name = "Edge Communications" });
                var contact = e.Insert("Contact", new { FirstName = "Rose", LastName = "Gonzalez", AccountId = account });
                e.Insert("Case", new { Subject = "Broken", AccountId = account, ContactId = contact });
                break;
            }

            case "22":
                e.Insert("Contact", new { LastName = "A" });
                e.Insert("Contact", new { LastName = "B" });
                break;
            case "23" or "26" or "27":
                User(e, "owner@example.com", "005M0000007whduIAA");
                e.Insert("Account", new { Id = "001M000001FgVKlIAN", Name = "a", OwnerId = "005M0000007whduIAA" });
                break;
            case "28":
                e.DefineField("Account", new EmulatorField { Name = "customExtIdField__c", ExternalId = true, Unique = true });
                e.DefineField("Account", new EmulatorField { Name = "Type__c" });
                break;
            case "29":
                e.DefineField("Account", new EmulatorField { Name = "External__c", ExternalId = true });
                e.Insert("Account", new Dictionary<string, object?> { ["Name"] = "Old", ["External__c"] = "foobar" });
                break;
            case "30":
                e.Insert("Contact", new { LastName = "One", Email = "someone@example.com" });
                e.Insert("Contact", new { LastName = "Two", Email = "Someone@Example.com" });
                break;
            case "34":
                replay.Authorization = "Bearer expired-or-invalid";
                break;
            case "36":
                e.DailyApiLimit = 0;
                replay.Path = "/services/data/v62.0/query?q=SELECT+Id+FROM+Contact";
                break;
            case "37":
                e.Faults.Add(new FaultRule { Method = "POST", PathContains = "/sobjects/ContentVersion", StatusCode = 400, ErrorCode = "UNABLE_TO_LOCK_ROW", Message = "unable to obtain exclusive access to this record" });
                replay.Body = "{}";
                break;
            case "38":
                replay.Path = "/services/data/v59.0/sobjects/Account";
                break;
            case "39":
                replay.Path = "/services/data/v62.0/sobjects/Contact";
                replay.Body = new JsonObject { ["LastName"] = new string('x', 81) }.ToJsonString();
                break;
            case "41":
                replay.Path = "/services/data/v62.0/sobjects/Contact/" + e.Insert("Contact", new { LastName = "Bar" });
                break;
            case "45":
                e.AddDuplicateRule("Contact", DuplicateRuleAction.Alert, "Email");
                e.Insert("Contact", new { LastName = "Existing", Email = "dupe@example.com" });
                replay.Path = "/services/data/v62.0/sobjects/Contact";
                replay.Body = """{"LastName":"New","Email":"DUPE@example.com"}""";
                break;
            case "46":
                e.Insert("Account", new { Id = "0013h00000Fz0GzAAJ", Name = "Gone" });
                (await org.Delete("/services/data/v49.0/sobjects/Account/0013h00000Fz0GzAAJ")).Status.Should().Be(204);
                break;
            case "49":
                e.Faults.Add(new FaultRule { Method = "POST", PathContains = "/sobjects/Lead/", StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });
                break;
            case "50":
                e.Faults.Add(new FaultRule { PathContains = "/describe", StatusCode = 403, ErrorCode = "API_DISABLED_FOR_ORG", Message = "The REST API is not enabled for this Organization." });
                break;
            case "53":
                e.DefineField("Account", new EmulatorField { Name = "ExternalAcctId__c", ExternalId = true, Unique = true });
                break;
            case "54":
                e.AddDuplicateRule("Account", DuplicateRuleAction.Alert, "Name");
                e.Insert("Account", new { Name = "Easy Spaces" });
                replay.Body = replay.Body!.Replace("/sObject/Contact", "/sobjects/Contact", StringComparison.Ordinal);
                break;
            case "62" or "63":
                e.AddDuplicateRule("Account", DuplicateRuleAction.Alert, "Name");
                e.Insert("Account", new { Name = "example.com" });
                break;
            case "64":
                e.Insert("Contact", new { LastName = "Bluth", Email = "michael.bluth@example.com" });
                e.Insert("Contact", new { LastName = "Bluth", Email = "gob.bluth@example.com" });
                e.Insert("Contact", new { LastName = "Bluth", Email = "lindsay.bluth@example.com" });
                break;
            case "65":
                foreach (var id in new[] { "0012300000bVTq1AAG", "0012300000bVTphAAG", "0012300000bVTq6AAG", "0012300000bVTpmAAG", "0012300000bVTpwAAG", "0012300000bVTprAAG" })
                {
                    e.Insert("Account", new { Id = id, Name = "Account " + id });
                }

                break;
            case "66":
                e.Insert("ContentDocument", new { Id = "069D00000000so2", Title = "Q1 Sales Brochure" });
                break;
            case "67":
            {
                var contact = e.Insert("Contact", new { LastName = "Files" });
                replay.Body = new JsonObject
                {
                    ["Title"] = "chat-transcript-42",
                    ["PathOnClient"] = "chat-transcript-42.txt",
                    ["VersionData"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("Visitor: hello")),
                    ["FirstPublishLocationId"] = contact,
                }.ToJsonString();
                break;
            }

            case "68":
            {
                var contact = e.Insert("Contact", new { LastName = "Files" });
                var version = e.Insert("ContentVersion", new { PathOnClient = "a.txt", VersionData = Convert.ToBase64String([1, 2, 3]) });
                var document = (string)e.Find("ContentVersion", version)!["ContentDocumentId"]!;
                replay.Body = new JsonObject { ["ContentDocumentId"] = document, ["LinkedEntityId"] = contact, ["ShareType"] = "V", ["Visibility"] = "AllUsers" }.ToJsonString();
                break;
            }

            case "55":
                // the Billing package's objects become plain custom objects; the second payment names a missing invoice by external id
                e.DefineObject("Invoice__c", new EmulatorField { Name = "Invoice_External_Id__c", ExternalId = true, Unique = true });
                e.DefineObject("Payment__c");
                e.DefineField("Payment__c", new EmulatorField { Name = "Invoice__c", Type = EmulatorFieldType.Reference, ReferenceTo = ["Invoice__c"] });
                replay.Body = """
                    {"allOrNone":true,"compositeRequest":[
                      {"method":"POST","url":"/services/data/v41.0/sobjects/Payment__c","referenceId":"NewPayment1","body":{"Name":"First"}},
                      {"method":"POST","url":"/services/data/v41.0/sobjects/Payment__c","referenceId":"NewPayment2","body":{"Name":"Second","Invoice__r":{"Invoice_External_Id__c":"0116"}}}]}
                    """;
                break;
            case "60":
                e.Insert("Account", new { Id = "001D000000K0fXOIAZ", Name = "OldName", BillingPostalCode = "94105" });
                break;
            case "73":
                replay.Path = "/services/data/v62.0/limits";
                break;
        }
    }
}
