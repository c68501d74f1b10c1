using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

public sealed class BadInputTests
{
    private const string V = "/services/data/v62.0";

    private static async Task<Reply> Raw(Org org, string method, string path, string? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await org.Http.SendAsync(request);
        return await Reply.Read(response);
    }

    [Fact]
    public async Task Bad_requests_answer_like_salesforce_and_never_500()
    {
        using var org = new Org();
        var contact = org.Emulator.Insert("Contact", new { LastName = "X" });

        var malformed = await Raw(org, "POST", $"{V}/sobjects/Contact", "{\"LastName\": ");
        malformed.Status.Should().Be(400);
        malformed.ErrorCode.Should().Be("JSON_PARSER_ERROR");
        (await Raw(org, "POST", $"{V}/sobjects/Contact", "[1,2]")).ErrorCode.Should().Be("JSON_PARSER_ERROR");
        (await Raw(org, "POST", $"{V}/sobjects/Contact", null)).ErrorCode.Should().Be("JSON_PARSER_ERROR");

        var bogus = await org.Get($"{V}/sobjects/Bogus");
        bogus.Status.Should().Be(404);
        bogus.Message.Should().Be("The requested resource does not exist");
        (await org.Post($"{V}/sobjects/Bogus", new { Name = "x" })).Status.Should().Be(404);
        (await org.Get($"{V}/sobjects/Bogus/describe")).ErrorCode.Should().Be("NOT_FOUND");

        (await org.Get($"{V}/sobjects/Contact/xyz")).ErrorCode.Should().Be("NOT_FOUND");
        (await org.Patch($"{V}/sobjects/Contact/001000000000000AAA", new { LastName = "Y" })).ErrorCode.Should().Be("MALFORMED_ID");
        (await org.Patch($"{V}/sobjects/Contact/{contact[..14]}Z", new { LastName = "Y" })).ErrorCode.Should().Be("NOT_FOUND");
        (await org.Get($"{V}/sobjects/Contact/{ChatToSalesforce.Testing.Internal.SalesforceId.Create("003", 77_777)}")).Status.Should().Be(404);
        (await org.Post($"{V}/sobjects/Contact", new { Id = contact, LastName = "Y" })).Message.Should().Be("The Id field should not be specified in the sobject data.");

        (await org.Send(HttpMethod.Put, $"{V}/sobjects/Contact/{contact}", new { LastName = "Y" })).Status.Should().Be(405);
        (await org.Get($"{V}/nothing/here")).Status.Should().Be(404);
        (await org.Get("/services/data/v9.0/limits")).Status.Should().Be(404);
        (await org.Get("/elsewhere")).Status.Should().Be(404);
        (await org.Get($"{V}/query")).ErrorCode.Should().Be("MALFORMED_QUERY");

        var tooMany = new JsonArray();
        for (var i = 0; i < 26; i++)
        {
            tooMany.Add(new JsonObject { ["method"] = "GET", ["url"] = $"{V}/limits", ["referenceId"] = $"r{i}" });
        }

        (await org.Post($"{V}/composite", new JsonObject { ["compositeRequest"] = tooMany })).Status.Should().Be(400);
        var queries = new JsonArray();
        for (var i = 0; i < 6; i++)
        {
            queries.Add(new JsonObject { ["method"] = "GET", ["url"] = $"{V}/query?q=SELECT Id FROM Contact", ["referenceId"] = $"q{i}" });
        }

        (await org.Post($"{V}/composite", new JsonObject { ["compositeRequest"] = queries })).Status.Should().Be(400);
        (await org.Post($"{V}/composite", new JsonObject { ["compositeRequest"] = new JsonArray { new JsonObject { ["method"] = "GET", ["url"] = $"{V}/limits", ["referenceId"] = "a", ["httpHeaders"] = new JsonObject { ["Authorization"] = "x" } } } })).Status.Should().Be(400);
        (await org.Post($"{V}/composite", new JsonObject { ["compositeRequest"] = new JsonArray { new JsonObject { ["method"] = "FETCH", ["url"] = $"{V}/limits", ["referenceId"] = "a" } } })).Status.Should().Be(400);
        (await org.Post($"{V}/composite", new { nothing = true })).Status.Should().Be(400);
        var records = new JsonArray();
        for (var i = 0; i < 201; i++)
        {
            records.Add(new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["LastName"] = "x" });
        }

        (await org.Post($"{V}/composite/sobjects", new JsonObject { ["records"] = records })).ErrorCode.Should().Be("EXCEEDED_ID_LIMIT");
        (await Raw(org, "POST", $"{V}/sobjects/ContentVersion", "garbage", "multipart/form-data; boundary=zzz")).Status.Should().Be(400);
        (await Raw(org, "POST", "/services/oauth2/token", "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=a.b.c", "application/x-www-form-urlencoded")).Status.Should().Be(400);

        org.Emulator.UnexpectedErrors.Should().Be(0);
        org.Emulator.RequestLog.Should().NotContain(r => r.StatusCode >= 500);
    }

    [Fact]
    public async Task Garbage_values_in_every_field_type_never_reach_the_last_resort_handler()
    {
        using var org = new Org();
        org.Emulator.DefineField("Account", new EmulatorField { Name = "When__c", Type = EmulatorFieldType.DateTime });
        org.Emulator.DefineField("Account", new EmulatorField { Name = "Day__c", Type = EmulatorFieldType.Date });
        org.Emulator.DefineField("Account", new EmulatorField { Name = "Flag__c", Type = EmulatorFieldType.Boolean });
        JsonNode?[] values = [null, "", "x", 12, 1.5, true, new JsonArray(), new JsonObject(), "2026-13-45", "9999999999999999999999"];
        foreach (var field in new[] { "Name", "NumberOfEmployees", "AnnualRevenue", "When__c", "Day__c", "Flag__c", "ParentId", "OwnerId", "Website" })
        {
            foreach (var value in values)
            {
                var body = new JsonObject { ["Name"] = "n", [field] = value?.DeepClone() };
                var reply = await org.Post($"{V}/sobjects/Account", body);
                reply.Status.Should().BeOneOf([201, 400], $"{field}={value?.ToJsonString()}: {reply.Text}");
            }
        }

        org.Emulator.UnexpectedErrors.Should().Be(0);
    }
}
