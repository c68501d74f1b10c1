using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Hostile input (issue 11 item 8, issue 12 item 3): deep nesting is refused with Salesforce's 400 answers, never a crash.</summary>
public sealed class RobustnessTests
{
    private static string DeepParentheses(int depth) =>
        "SELECT Id FROM Contact WHERE " + new string('(', depth) + "LastName = 'x'" + new string(')', depth);

    private static string DeepJson(int depth) =>
        """{"LastName":"Deep","Description":""" + string.Concat(Enumerable.Repeat("""{"a":""", depth)) + "1" + new string('}', depth) + "}";

    [Fact]
    public async Task A_query_nested_20000_parentheses_deep_answers_malformed_query()
    {
        using var org = new Org();

        var reply = await org.Post("/services/data/v62.0/composite", new JsonObject
        {
            ["compositeRequest"] = new JsonArray(new JsonObject
            {
                ["method"] = "GET",
                ["url"] = "/services/data/v62.0/query?q=" + Uri.EscapeDataString(DeepParentheses(20_000)),
                ["referenceId"] = "deep",
            }),
        });

        reply.Status.Should().Be(200);
        var sub = reply.Json!["compositeResponse"]![0]!;
        ((int)sub["httpStatusCode"]!).Should().Be(400);
        ((string)sub["body"]![0]!["errorCode"]!).Should().Be("MALFORMED_QUERY");
        ((string)sub["body"]![0]!["message"]!).Should().Contain("ERROR at Row:1:Column:").And.Contain("100 levels");
        org.Emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task Deep_not_chains_are_limited_and_reasonable_nesting_still_works()
    {
        using var org = new Org();
        org.Emulator.Insert("Contact", new { LastName = "x" });

        // 1,000 NOTs: ten times the nesting limit, and a URI still under the 16,384 characters Salesforce answers 414 beyond.
        var nots = await org.Query("SELECT Id FROM Contact WHERE " + string.Concat(Enumerable.Repeat("NOT ", 1_000)) + "LastName = 'x'");
        nots.Status.Should().Be(400);
        nots.ErrorCode.Should().Be("MALFORMED_QUERY");

        var fine = await org.Query(DeepParentheses(90));
        fine.Status.Should().Be(200);
        ((int)fine.Json!["totalSize"]!).Should().Be(1);
    }

    [Fact]
    public async Task A_query_longer_than_100000_characters_answers_malformed_query()
    {
        using var org = new Org();

        var reply = await org.Post("/services/data/v62.0/composite", new JsonObject
        {
            ["compositeRequest"] = new JsonArray(new JsonObject
            {
                ["method"] = "GET",
                ["url"] = "/services/data/v62.0/query?q=" + Uri.EscapeDataString("SELECT Id FROM Contact WHERE LastName IN (" + string.Join(",", Enumerable.Repeat("'abcdefghij'", 9_000)) + ")"),
                ["referenceId"] = "long",
            }),
        });

        var sub = reply.Json!["compositeResponse"]![0]!;
        ((int)sub["httpStatusCode"]!).Should().Be(400);
        ((string)sub["body"]![0]!["errorCode"]!).Should().Be("MALFORMED_QUERY");
        ((string)sub["body"]![0]!["message"]!).Should().Be("SOQL statements can not be longer than 100000 characters.");
    }

    [Fact]
    public async Task A_json_body_nested_deeper_than_64_levels_answers_json_parser_error()
    {
        using var org = new Org();

        var record = await org.Post("/services/data/v62.0/sobjects/Contact", DeepJson(10_000));
        record.Status.Should().Be(400);
        record.ErrorCode.Should().Be("JSON_PARSER_ERROR");
        record.Message.Should().Contain("more than 64 levels deep");

        var composite = await org.Post("/services/data/v62.0/composite", """{"compositeRequest":""" + string.Concat(Enumerable.Repeat("[", 5_000)) + new string(']', 5_000) + "}");
        composite.Status.Should().Be(400);
        composite.ErrorCode.Should().Be("JSON_PARSER_ERROR");

        var shallow = await org.Post("/services/data/v62.0/sobjects/Contact", """{"LastName":"Fine"}""");
        shallow.Status.Should().Be(201);
        org.Emulator.Records("Contact").Should().ContainSingle();
        org.Emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task The_served_emulator_survives_deep_queries_and_bodies_and_keeps_answering()
    {
        await using var emulator = new SalesforceEmulator();
        var baseUrl = await emulator.StartServerAsync();
        using var http = new HttpClient { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueAccessToken());

        async Task<(int Status, JsonNode? Json)> Post(string path, string body)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();
            return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
        }

        // 120 KB through /composite: 20,000 nested parentheses, then NOTs padding it past the length limit
        foreach (var soql in new[] { DeepParentheses(20_000), "SELECT Id FROM Contact WHERE " + string.Concat(Enumerable.Repeat("NOT (", 20_000)) + "LastName = 'x'" + new string(')', 20_000) })
        {
            var composite = new JsonObject
            {
                ["compositeRequest"] = new JsonArray(new JsonObject { ["method"] = "GET", ["url"] = "/services/data/v62.0/query?q=" + Uri.EscapeDataString(soql), ["referenceId"] = "deep" }),
            }.ToJsonString();
            var (status, json) = await Post("/services/data/v62.0/composite", composite);
            status.Should().Be(200);
            ((string)json!["compositeResponse"]![0]!["body"]![0]!["errorCode"]!).Should().Be("MALFORMED_QUERY");
        }

        var (deepStatus, deepJson) = await Post("/services/data/v62.0/sobjects/Contact", DeepJson(50_000));
        deepStatus.Should().Be(400);
        ((string)deepJson![0]!["errorCode"]!).Should().Be("JSON_PARSER_ERROR");

        // the process lives and keeps answering on the same server
        var (created, _) = await Post("/services/data/v62.0/sobjects/Contact", """{"LastName":"Alive"}""");
        created.Should().Be(201);
        using var limits = await http.GetAsync("/services/data/v62.0/limits");
        ((int)limits.StatusCode).Should().Be(200);
        emulator.UnexpectedErrors.Should().Be(0);
    }
}
