using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>/composite/batch (fixture 60; REST API Developer Guide "Composite Batch").</summary>
public sealed class CompositeBatchTests
{
    [Fact]
    public async Task Subrequests_run_independently_and_halt_on_error_when_asked()
    {
        using var org = new Org();
        var id = org.Emulator.Insert("Account", new { Name = "Old" });
        JsonObject Patch(string name) => new() { ["method"] = "PATCH", ["url"] = $"v62.0/sobjects/Account/{id}", ["richInput"] = new JsonObject { ["Name"] = name } };
        var bad = new JsonObject { ["method"] = "POST", ["url"] = "v62.0/sobjects/Contact", ["richInput"] = new JsonObject { ["FirstName"] = "No last name" } };
        var read = new JsonObject { ["method"] = "GET", ["url"] = $"v62.0/sobjects/Account/{id}?fields=Name" };

        var reply = await org.Post("/services/data/v62.0/composite/batch", new JsonObject { ["batchRequests"] = new JsonArray(Patch("First"), bad, read) });
        reply.Status.Should().Be(200);
        ((bool)reply.Json!["hasErrors"]!).Should().BeTrue();
        var results = reply.Json!["results"]!.AsArray();
        results.Select(r => (int)r!["statusCode"]!).Should().Equal(204, 400, 200);
        results[0]!["result"].Should().BeNull();
        ((string)results[1]!["result"]![0]!["errorCode"]!).Should().Be("REQUIRED_FIELD_MISSING");
        ((string)results[2]!["result"]!["Name"]!).Should().Be("First", "no rollback: the PATCH before the failure stays");

        var halted = await org.Post("/services/data/v62.0/composite/batch", new JsonObject { ["haltOnError"] = true, ["batchRequests"] = new JsonArray(bad.DeepClone(), Patch("Second")) });
        var haltedResults = halted.Json!["results"]!.AsArray();
        ((int)haltedResults[1]!["statusCode"]!).Should().Be(412);
        ((string)haltedResults[1]!["result"]![0]!["errorCode"]!).Should().Be("BATCH_PROCESSING_HALTED");
        ((string)org.Emulator.Find("Account", id)!["Name"]!).Should().Be("First");
        org.Emulator.ApiCallsUsed.Should().Be(4, "each batch subrequest that runs counts as one call (API-FACTS 4.8)");

        var tooMany = await org.Post("/services/data/v62.0/composite/batch", new JsonObject { ["batchRequests"] = new JsonArray(Enumerable.Range(0, 26).Select(_ => (JsonNode)read.DeepClone()).ToArray()) });
        tooMany.Status.Should().Be(400);
    }
}

/// <summary>Relationship fields given by external id in a request body (fixture 55).</summary>
public sealed class ForeignKeyByExternalIdTests
{
    [Fact]
    public async Task A_relationship_by_external_id_resolves_or_answers_invalid_field()
    {
        using var org = new Org();
        var e = org.Emulator;
        e.DefineField("Account", new EmulatorField { Name = "Account_Key__c", ExternalId = true, Unique = true });
        var account = e.Insert("Account", new Dictionary<string, object?> { ["Name"] = "Acme", ["Account_Key__c"] = "A-1" });

        var created = await org.Post("/services/data/v62.0/sobjects/Contact", new JsonObject { ["LastName"] = "Lee", ["Account"] = new JsonObject { ["Account_Key__c"] = "a-1" } });
        created.Status.Should().Be(201, created.Text);
        ((string)e.Find("Contact", (string)created.Json!["id"]!)!["AccountId"]!).Should().Be(account);

        var missing = await org.Post("/services/data/v62.0/sobjects/Contact", new JsonObject { ["LastName"] = "Lee", ["Account"] = new JsonObject { ["Account_Key__c"] = "nope" } });
        missing.Status.Should().Be(400);
        missing.ErrorCode.Should().Be("INVALID_FIELD");
        missing.Message.Should().Be("Foreign key external ID: nope not found for field Account_Key__c in entity Account");

        var notExternal = await org.Post("/services/data/v62.0/sobjects/Contact", new JsonObject { ["LastName"] = "Lee", ["Account"] = new JsonObject { ["Name"] = "Acme" } });
        notExternal.ErrorCode.Should().Be("INVALID_FIELD");

        var task = await org.Post("/services/data/v62.0/sobjects/Task", new JsonObject { ["Subject"] = "x", ["What"] = new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Account" }, ["Account_Key__c"] = "A-1" } });
        task.Status.Should().Be(201, task.Text);
        ((string)e.Find("Task", (string)task.Json!["id"]!)!["WhatId"]!).Should().Be(account);
        e.UnexpectedErrors.Should().Be(0);
    }
}
