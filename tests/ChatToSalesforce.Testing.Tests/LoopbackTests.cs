using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>The emulator over real HTTP on 127.0.0.1, with a plain HttpClient.</summary>
public sealed class LoopbackTests : IAsyncLifetime
{
    private SalesforceEmulator _emulator = null!;
    private HttpClient _http = null!;
    private string _v = null!;

    public async Task InitializeAsync()
    {
        _emulator = new SalesforceEmulator();
        _emulator.DefineField("Contact", new EmulatorField { Name = "Visitor_Id__c", ExternalId = true });
        _emulator.AddDuplicateRule("Contact", DuplicateRuleAction.Block, "Email");
        var baseUrl = await _emulator.StartServerAsync();
        _http = new HttpClient { BaseAddress = baseUrl };

        using var token = await _http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "chat2sf",
            ["client_secret"] = "chat2sf",
        }));
        token.EnsureSuccessStatusCode();
        var body = (await token.Content.ReadFromJsonAsync<JsonObject>())!;
        ((string)body["instance_url"]!).Should().Be(baseUrl.ToString().TrimEnd('/'));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body["access_token"]!);
        _v = "/services/data/v62.0";
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private async Task<Reply> Send(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        return await Reply.Read(response);
    }

    [Fact]
    public async Task Server_binds_loopback_and_reports_its_url()
    {
        _emulator.InstanceUrl.Host.Should().Be("127.0.0.1");
        _emulator.InstanceUrl.Port.Should().BeGreaterThan(0);
        var versions = await Send(HttpMethod.Get, "/services/data");
        versions.Status.Should().Be(200);
        versions.Json!.AsArray().Should().Contain(v => (string)v!["version"]! == "62.0");
        versions.Header("Sforce-Limit-Info").Should().BeNull();
        (await Send(HttpMethod.Get, $"{_v}/limits")).Header("Sforce-Limit-Info").Should().StartWith("api-usage=");
    }

    [Fact]
    public async Task Upsert_by_external_id_answers_201_then_200_then_300()
    {
        var created = await Send(HttpMethod.Patch, $"{_v}/sobjects/Contact/Visitor_Id__c/v-1", new JsonObject { ["LastName"] = "Lee" });
        created.Status.Should().Be(201);
        created.Json!["created"]!.GetValue<bool>().Should().BeTrue();

        var updated = await Send(HttpMethod.Patch, $"{_v}/sobjects/Contact/Visitor_Id__c/V-1", new JsonObject { ["FirstName"] = "Ann" });
        updated.Status.Should().Be(200);
        updated.Json!["created"]!.GetValue<bool>().Should().BeFalse();
        ((string)updated.Json!["id"]!).Should().Be((string)created.Json!["id"]!);

        _emulator.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Twin", ["Visitor_Id__c"] = "v-2" });
        _emulator.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Twin", ["Visitor_Id__c"] = "v-2" });
        var multiple = await Send(HttpMethod.Patch, $"{_v}/sobjects/Contact/Visitor_Id__c/v-2", new JsonObject { ["FirstName"] = "X" });
        multiple.Status.Should().Be(300);
        multiple.Json!.AsArray().Should().HaveCount(2).And.OnlyContain(u => ((string)u!).StartsWith($"{_v}/sobjects/Contact/003", StringComparison.Ordinal));

        var unknown = await Send(HttpMethod.Patch, $"{_v}/sobjects/Contact/Nope__c/1", new JsonObject { ["LastName"] = "X" });
        unknown.Status.Should().Be(404);
        unknown.ErrorCode.Should().Be("NOT_FOUND");

        var legacy = await Send(HttpMethod.Patch, "/services/data/v45.0/sobjects/Contact/Visitor_Id__c/v-1", new JsonObject { ["FirstName"] = "Old" });
        legacy.Status.Should().Be(204);

        var plus = await Send(HttpMethod.Patch, $"{_v}/sobjects/Contact/Email/{Uri.EscapeDataString("ann+chat@example.com")}", new JsonObject { ["LastName"] = "Plus" });
        plus.Status.Should().Be(201);
        (await Send(HttpMethod.Patch, $"{_v}/sobjects/Contact/Email/ann+chat@example.com", new JsonObject { ["FirstName"] = "Ann" })).Status.Should().Be(200);
        _emulator.Records("Contact").Should().Contain(c => (string?)c["Email"] == "ann+chat@example.com");
    }

    [Fact]
    public async Task Composite_all_or_none_rolls_back_and_halts_the_rest()
    {
        var body = new JsonObject
        {
            ["allOrNone"] = true,
            ["compositeRequest"] = new JsonArray
            {
                new JsonObject { ["method"] = "POST", ["url"] = $"{_v}/sobjects/Account", ["referenceId"] = "acct", ["body"] = new JsonObject { ["Name"] = "Acme" } },
                new JsonObject { ["method"] = "POST", ["url"] = $"{_v}/sobjects/Contact", ["referenceId"] = "person", ["body"] = new JsonObject { ["LastName"] = "Lee", ["AccountId"] = "@{acct.id}" } },
                new JsonObject { ["method"] = "POST", ["url"] = $"{_v}/sobjects/Task", ["referenceId"] = "activity", ["body"] = new JsonObject { ["Subject"] = "Chat", ["WhoId"] = "@{person.id}", ["Priority"] = "Urgent!!!" + new string('!', 40) } },
                new JsonObject { ["method"] = "GET", ["url"] = $"{_v}/query?q=SELECT Id FROM Account", ["referenceId"] = "after" },
            },
        };

        var reply = await Send(HttpMethod.Post, $"{_v}/composite", body);

        reply.Status.Should().Be(200);
        var results = reply.Json!["compositeResponse"]!.AsArray();
        results.Should().HaveCount(4);
        results.Select(r => (int)r!["httpStatusCode"]!).Should().Equal(400, 400, 400, 400);
        ((string)results[2]!["body"]![0]!["errorCode"]!).Should().Be("STRING_TOO_LONG");
        ((string)results[0]!["body"]![0]!["errorCode"]!).Should().Be("PROCESSING_HALTED");
        ((string)results[3]!["body"]![0]!["errorCode"]!).Should().Be("PROCESSING_HALTED");
        _emulator.Records("Account").Should().BeEmpty();
        _emulator.Records("Contact").Should().BeEmpty();
    }

    [Fact]
    public async Task Composite_references_resolve_ids_and_query_records()
    {
        _emulator.Insert("Contact", new { LastName = "Lee", Email = "ann@example.com" });
        var body = new JsonObject
        {
            ["allOrNone"] = true,
            ["compositeRequest"] = new JsonArray
            {
                new JsonObject { ["method"] = "GET", ["url"] = $"{_v}/query?q=SELECT Id FROM Contact WHERE Email = 'ann@example.com'", ["referenceId"] = "find" },
                new JsonObject { ["method"] = "POST", ["url"] = $"{_v}/sobjects/Task", ["referenceId"] = "task", ["body"] = new JsonObject { ["Subject"] = "Chat", ["WhoId"] = "@{find.records[0].Id}" } },
                new JsonObject { ["method"] = "GET", ["url"] = $"{_v}/sobjects/Task/@{{task.id}}?fields=Subject,WhoId", ["referenceId"] = "read" },
            },
        };

        var reply = await Send(HttpMethod.Post, $"{_v}/composite", body);

        var results = reply.Json!["compositeResponse"]!.AsArray();
        results.Select(r => (int)r!["httpStatusCode"]!).Should().Equal(200, 201, 200);
        ((string)results[1]!["httpHeaders"]!["Location"]!).Should().StartWith($"{_v}/sobjects/Task/00T");
        ((string)results[2]!["body"]!["WhoId"]!).Should().Be((string)_emulator.Records("Contact")[0]["Id"]!);
        _emulator.ApiCallsUsed.Should().Be(1);
    }

    [Fact]
    public async Task Collections_report_partial_failures_per_record()
    {
        _emulator.Insert("Contact", new { LastName = "Existing", Email = "dupe@example.com" });
        var body = new JsonObject
        {
            ["allOrNone"] = false,
            ["records"] = new JsonArray
            {
                new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["LastName"] = "Dupe", ["Email"] = "DUPE@example.com" },
                new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["LastName"] = "Fine" },
                new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Lead" }, ["LastName"] = "No company" },
            },
        };

        var reply = await Send(HttpMethod.Post, $"{_v}/composite/sobjects", body);

        reply.Status.Should().Be(200);
        var results = reply.Json!.AsArray();
        results[0]!["success"]!.GetValue<bool>().Should().BeFalse();
        ((string)results[0]!["errors"]![0]!["statusCode"]!).Should().Be("DUPLICATES_DETECTED");
        results[1]!["success"]!.GetValue<bool>().Should().BeTrue();
        ((string)results[2]!["errors"]![0]!["statusCode"]!).Should().Be("REQUIRED_FIELD_MISSING");
        _emulator.Records("Contact").Should().HaveCount(2);

        body["allOrNone"] = true;
        var rolledBack = await Send(HttpMethod.Post, $"{_v}/composite/sobjects", body);
        ((string)rolledBack.Json![1]!["errors"]![0]!["statusCode"]!).Should().Be("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        _emulator.Records("Contact").Should().HaveCount(2);

        var upsert = await Send(HttpMethod.Patch, $"{_v}/composite/sobjects/Contact/Visitor_Id__c", new JsonObject
        {
            ["records"] = new JsonArray
            {
                new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["Visitor_Id__c"] = "x1", ["LastName"] = "New" },
                new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["Visitor_Id__c"] = "X1", ["FirstName"] = "Again" },
            },
        });
        upsert.Json!.AsArray().Select(r => r!["created"]!.GetValue<bool>()).Should().Equal(true, false);

        var ids = string.Join(',', _emulator.Records("Contact").Select(c => (string)c["Id"]!));
        var deleted = await Send(HttpMethod.Delete, $"{_v}/composite/sobjects?ids={ids}&allOrNone=false");
        deleted.Json!.AsArray().Should().OnlyContain(r => r!["success"]!.GetValue<bool>());
        _emulator.Records("Contact").Should().BeEmpty();
    }

    [Fact]
    public async Task Paging_and_chunked_bodies_work_over_http()
    {
        _emulator.QueryBatchSize = 10;
        for (var i = 0; i < 25; i++)
        {
            _emulator.Insert("Account", new { Name = $"A{i}" });
        }

        var page = await Send(HttpMethod.Get, $"{_v}/query?q={Uri.EscapeDataString("SELECT Name FROM Account")}");
        var count = page.Json!["records"]!.AsArray().Count;
        while (!page.Json!["done"]!.GetValue<bool>())
        {
            page = await Send(HttpMethod.Get, (string)page.Json!["nextRecordsUrl"]!);
            count += page.Json!["records"]!.AsArray().Count;
        }

        count.Should().Be(25);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"{_v}/sobjects/Account")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"Name\":\"Chunked\"}"))),
        };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var response = await _http.SendAsync(chunked);
        ((int)response.StatusCode).Should().Be(201);
    }

    [Fact]
    public async Task Large_bodies_in_turn_on_one_connection_keep_their_own_content()
    {
        // Large request and answer bodies pass through arrays of the shared pool: each request saves its own values and
        // gets its own answer, also when the arrays are reused by the next request.
        for (var round = 0; round < 3; round++)
        {
            var nodes = new JsonArray();
            for (var i = 0; i < 60; i++)
            {
                nodes.Add(new JsonObject
                {
                    ["method"] = "POST",
                    ["url"] = $"{_v}/sobjects/Contact",
                    ["referenceId"] = $"c{i}",
                    ["body"] = new JsonObject { ["LastName"] = $"Round{round}-{i}", ["Description"] = new string((char)('a' + round), 2000) },
                });
            }

            var reply = await Send(HttpMethod.Post, $"{_v}/composite/graph", new JsonObject { ["graphs"] = new JsonArray { new JsonObject { ["graphId"] = "g", ["compositeRequest"] = nodes } } });

            reply.Status.Should().Be(200);
            var answers = reply.Json!["graphs"]![0]!["graphResponse"]!["compositeResponse"]!.AsArray();
            answers.Select(a => (string)a!["referenceId"]!).Should().Equal(Enumerable.Range(0, 60).Select(i => $"c{i}"));
            var saved = _emulator.Records("Contact").Where(c => ((string)c["LastName"]!).StartsWith($"Round{round}-", StringComparison.Ordinal)).ToList();
            saved.Should().HaveCount(60);
            saved.Should().OnlyContain(c => (string)c["Description"]! == new string((char)('a' + round), 2000));
            answers.Select(a => (string)a!["body"]!["id"]!).Should().BeEquivalentTo(saved.Select(c => (string)c["Id"]!));
        }
    }
}

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_exports_keep_the_org_consistent()
    {
        using var org = new Org();
        org.Emulator.DefineField("Task", new EmulatorField { Name = "Chat_Id__c", ExternalId = true, Unique = true });
        var work = Enumerable.Range(0, 100).Select(async i =>
        {
            var body = new JsonObject
            {
                ["allOrNone"] = true,
                ["compositeRequest"] = new JsonArray
                {
                    new JsonObject { ["method"] = "PATCH", ["url"] = $"/services/data/v62.0/sobjects/Contact/Email/person{i % 10}@example.com", ["referenceId"] = "person", ["body"] = new JsonObject { ["LastName"] = $"P{i % 10}" } },
                    new JsonObject { ["method"] = "PATCH", ["url"] = $"/services/data/v62.0/sobjects/Task/Chat_Id__c/chat-{i}", ["referenceId"] = "task", ["body"] = new JsonObject { ["Subject"] = "Chat", ["WhoId"] = "@{person.id}" } },
                },
            };
            return await org.Post("/services/data/v62.0/composite", body);
        });

        var replies = await Task.WhenAll(work);

        replies.Should().OnlyContain(r => r.Status == 200 && r.Json!["compositeResponse"]!.AsArray().All(x => (int)x!["httpStatusCode"]! < 300));
        org.Emulator.Records("Contact").Should().HaveCount(10);
        org.Emulator.Records("Task").Should().HaveCount(100);
        org.Emulator.ApiCallsUsed.Should().Be(100);
    }
}
