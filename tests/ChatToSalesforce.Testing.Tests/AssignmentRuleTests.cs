using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Lead and Case assignment rules honouring Sforce-Auto-Assign (REST API Developer Guide, "Assignment Rule Header").</summary>
public sealed class AssignmentRuleTests
{
    [Fact]
    public async Task Rules_assign_owners_unless_the_header_says_false()
    {
        using var org = new Org();
        var e = org.Emulator;
        var webQueue = e.Insert("User", new { Username = "web@acme.example", Email = "web@acme.example", LastName = "Web" });
        var fallback = e.Insert("User", new { Username = "all@acme.example", Email = "all@acme.example", LastName = "All" });
        var chosen = e.Insert("User", new { Username = "chosen@acme.example", Email = "chosen@acme.example", LastName = "Chosen" });
        e.AddAssignmentRule("Lead", new EmulatorAssignmentRule { Name = "Web leads", OwnerId = webQueue, When = new Dictionary<string, string?> { ["LeadSource"] = "web" } });
        e.AddAssignmentRule("Lead", new EmulatorAssignmentRule { Name = "Everyone else", OwnerId = fallback });

        async Task<string> OwnerOf(Reply created) => (string)e.Find("Lead", (string)created.Json!["id"]!)!["OwnerId"]!;

        // header absent: the rules apply (the documented default is TRUE), overriding the OwnerId sent
        (await OwnerOf(await org.Post("/services/data/v62.0/sobjects/Lead", new { LastName = "A", Company = "X", LeadSource = "Web", OwnerId = chosen }))).Should().Be(webQueue);
        (await OwnerOf(await org.Post("/services/data/v62.0/sobjects/Lead", new { LastName = "B", Company = "X" }, ("Sforce-Auto-Assign", "true")))).Should().Be(fallback);
        var kept = await org.Post("/services/data/v62.0/sobjects/Lead", new { LastName = "C", Company = "X", LeadSource = "Web", OwnerId = chosen }, ("Sforce-Auto-Assign", "FALSE"));
        (await OwnerOf(kept)).Should().Be(chosen);

        // updates run the rules too, unless FALSE
        var id = (string)kept.Json!["id"]!;
        (await org.Patch($"/services/data/v62.0/sobjects/Lead/{id}", new { Title = "CTO" }, ("Sforce-Auto-Assign", "false"))).Status.Should().Be(204);
        ((string)e.Find("Lead", id)!["OwnerId"]!).Should().Be(chosen);
        (await org.Patch($"/services/data/v62.0/sobjects/Lead/{id}", new { Title = "CEO" })).Status.Should().Be(204);
        ((string)e.Find("Lead", id)!["OwnerId"]!).Should().Be(webQueue);

        // composite subrequests carry their own header (or inherit the request's)
        var composite = await org.Post("/services/data/v62.0/composite", new JsonObject
        {
            ["compositeRequest"] = new JsonArray(
                new JsonObject { ["method"] = "POST", ["url"] = "/services/data/v62.0/sobjects/Lead", ["referenceId"] = "off", ["httpHeaders"] = new JsonObject { ["Sforce-Auto-Assign"] = "FALSE" }, ["body"] = new JsonObject { ["LastName"] = "D", ["Company"] = "X", ["OwnerId"] = chosen } },
                new JsonObject { ["method"] = "POST", ["url"] = "/services/data/v62.0/sobjects/Lead", ["referenceId"] = "on", ["body"] = new JsonObject { ["LastName"] = "E", ["Company"] = "X", ["OwnerId"] = chosen } }),
        });
        var results = composite.Json!["compositeResponse"]!.AsArray();
        ((string)e.Find("Lead", (string)results[0]!["body"]!["id"]!)!["OwnerId"]!).Should().Be(chosen);
        ((string)e.Find("Lead", (string)results[1]!["body"]!["id"]!)!["OwnerId"]!).Should().Be(fallback);

        // direct inserts (seeding) never run assignment rules; Cases have their own rule
        ((string)e.Find("Lead", e.Insert("Lead", new { LastName = "F", Company = "X", OwnerId = chosen }))!["OwnerId"]!).Should().Be(chosen);
        e.AddAssignmentRule("Case", new EmulatorAssignmentRule { Name = "Chat", OwnerId = chosen, When = new Dictionary<string, string?> { ["Origin"] = "Web" } });
        var caseReply = await org.Post("/services/data/v62.0/sobjects/Case", new { Subject = "Help", Origin = "Web" });
        ((string)e.Find("Case", (string)caseReply.Json!["id"]!)!["OwnerId"]!).Should().Be(chosen);
        var unmatched = await org.Post("/services/data/v62.0/sobjects/Case", new { Subject = "Help", Origin = "Phone" });
        ((string)e.Find("Case", (string)unmatched.Json!["id"]!)!["OwnerId"]!).Should().Be(e.IntegrationUserId, "no entry matched, so the record keeps its owner");
    }

    [Fact]
    public void Rules_are_checked_when_added_and_load_from_seeds()
    {
        using var e = new SalesforceEmulator();
        var contactRule = () => e.AddAssignmentRule("Contact", new EmulatorAssignmentRule { Name = "x", OwnerId = e.IntegrationUserId });
        contactRule.Should().Throw<ArgumentException>().WithMessage("*Lead and Case*");
        var noUser = () => e.AddAssignmentRule("Lead", new EmulatorAssignmentRule { Name = "x", OwnerId = "005000000000000AAA" });
        noUser.Should().Throw<ArgumentException>().WithMessage("*not a user*");

        var path = Path.Combine(Path.GetTempPath(), $"assign-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {
              "records": { "User": [ { "$key": "web", "Username": "web@acme.example", "Email": "web@acme.example", "LastName": "Web" } ] },
              "assignmentRules": [ { "object": "Lead", "name": "Web", "owner": "@web", "when": { "LeadSource": "Web" } } ]
            }
            """);
        try
        {
            using var seeded = SalesforceEmulator.FromSeedFile(path);
            seeded.Records("User").Should().Contain(u => (string)u["Username"]! == "web@acme.example");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
