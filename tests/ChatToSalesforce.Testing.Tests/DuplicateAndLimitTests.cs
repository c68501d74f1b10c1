using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

public sealed class DuplicateAndLimitTests
{
    private const string V = "/services/data/v62.0";

    [Fact]
    public async Task Alert_rule_answers_duplicates_detected_unless_allow_save_is_sent()
    {
        using var org = new Org();
        org.Emulator.AddDuplicateRule("Contact", DuplicateRuleAction.Alert, "Email");
        var existing = org.Emulator.Insert("Contact", new { LastName = "Lee", Email = "ann@example.com" });

        var blocked = await org.Post($"{V}/sobjects/Contact", new { LastName = "Lee2", Email = "ANN@Example.com" });
        blocked.Status.Should().Be(400);
        blocked.ErrorCode.Should().Be("DUPLICATES_DETECTED");
        var result = blocked.Json![0]!["duplicateResult"]!;
        result["allowSave"]!.GetValue<bool>().Should().BeTrue();
        ((string)result["matchResults"]![0]!["matchRecords"]![0]!["record"]!["Id"]!).Should().Be(existing);

        var allowed = await org.Post($"{V}/sobjects/Contact", new { LastName = "Lee2", Email = "ann@example.com" }, ("Sforce-Duplicate-Rule-Header", "allowSave=true; includeRecordDetails=false"));
        allowed.Status.Should().Be(201);
    }

    [Fact]
    public async Task Block_rule_ignores_allow_save_and_matches_on_all_fields()
    {
        using var org = new Org();
        org.Emulator.AddDuplicateRule("Lead", DuplicateRuleAction.Block, "Email", "Company");
        org.Emulator.Insert("Lead", new { LastName = "A", Company = "Acme", Email = "a@acme.com" });

        (await org.Post($"{V}/sobjects/Lead", new { LastName = "B", Company = "Other", Email = "a@acme.com" })).Status.Should().Be(201);
        var blocked = await org.Post($"{V}/sobjects/Lead", new { LastName = "B", Company = "ACME", Email = "A@acme.com" }, ("Sforce-Duplicate-Rule-Header", "allowSave=true"));
        blocked.ErrorCode.Should().Be("DUPLICATES_DETECTED");
        blocked.Json![0]!["duplicateResult"]!["allowSave"]!.GetValue<bool>().Should().BeFalse();

        var collection = await org.Post($"{V}/composite/sobjects", new JsonObject
        {
            ["records"] = new JsonArray { new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Lead" }, ["LastName"] = "C", ["Company"] = "acme", ["Email"] = "a@ACME.com" } },
        });
        ((string)collection.Json![0]!["errors"]![0]!["statusCode"]!).Should().Be("DUPLICATES_DETECTED");
    }

    [Fact]
    public async Task Api_usage_is_counted_reported_and_enforced()
    {
        using var org = new Org();
        org.Emulator.DailyApiLimit = 3;
        using var raw = new HttpClient(org.Emulator.CreateHandler()) { BaseAddress = org.Emulator.InstanceUrl };

        (await raw.GetAsync("/services/data")).Headers.Contains("Sforce-Limit-Info").Should().BeFalse();
        using var token = await raw.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "a", ["client_secret"] = "b" }));
        token.IsSuccessStatusCode.Should().BeTrue();
        org.Emulator.ApiCallsUsed.Should().Be(0);

        var first = await org.Post($"{V}/composite", new JsonObject
        {
            ["compositeRequest"] = new JsonArray
            {
                new JsonObject { ["method"] = "GET", ["url"] = $"{V}/query?q=SELECT Id FROM Contact", ["referenceId"] = "a" },
                new JsonObject { ["method"] = "GET", ["url"] = $"{V}/query?q=SELECT Id FROM Lead", ["referenceId"] = "b" },
            },
        });
        first.Header("Sforce-Limit-Info").Should().Be("api-usage=1/3");
        (await org.Get($"{V}/limits")).Json!["DailyApiRequests"]!["Remaining"]!.GetValue<long>().Should().Be(1);
        (await org.Query("SELECT Id FROM Contact")).Header("Sforce-Limit-Info").Should().Be("api-usage=3/3");
        var refused = await org.Query("SELECT Id FROM Contact");
        refused.Status.Should().Be(403);
        refused.ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        refused.Message.Should().Be("TotalRequests Limit exceeded.");
        org.Emulator.ApiCallsUsed.Should().Be(3);
        org.Emulator.RequestLog.Count(r => r.CountedAsApiCall).Should().Be(3);

        org.Emulator.ResetApiUsage();
        (await org.Query("SELECT Id FROM Contact")).Status.Should().Be(200);
    }
}
