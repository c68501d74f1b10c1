using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Declarative validation rules seeded per org (issue 12 item 2), answering fixture 43's shape.</summary>
public sealed class ValidationRuleTests
{
    [Fact]
    public async Task Failing_rules_answer_field_custom_validation_exception_with_their_messages()
    {
        using var org = new Org();
        var e = org.Emulator;
        e.AddValidationRule("Contact", new EmulatorValidationRule
        {
            Name = "Phone_Required_For_Customers", Field = "Phone", Required = true, ErrorField = "Phone",
            When = new Dictionary<string, string?> { ["LeadSource"] = "Phone Inquiry" }, Message = "Phone inquiries need a phone number.",
        });
        e.AddValidationRule("Contact", new EmulatorValidationRule { Name = "Phone_Format", Field = "Phone", Pattern = @"\+?[0-9 ]{6,20}", Message = "Use digits for the phone." });
        e.AddValidationRule("Contact", new EmulatorValidationRule { Name = "Short_Title", Field = "Title", MaxLength = 10, MinLength = 2, Message = "Titles have 2 to 10 characters." });
        e.AddValidationRule("Contact", new EmulatorValidationRule { Name = "Off", Field = "LastName", Required = true, Pattern = "never", Message = "inactive", Active = false });

        var both = await org.Post("/services/data/v62.0/sobjects/Contact", new { LastName = "Lee", Phone = "call me", Title = "Chief Executive Officer" });
        both.Status.Should().Be(400);
        var errors = both.Json!.AsArray();
        errors.Select(x => (string)x!["errorCode"]!).Should().Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", "FIELD_CUSTOM_VALIDATION_EXCEPTION");
        errors.Select(x => (string)x!["message"]!).Should().Equal("Use digits for the phone.", "Titles have 2 to 10 characters.");
        errors[0]!["fields"]!.AsArray().Should().BeEmpty();

        var requiredWhen = await org.Post("/services/data/v62.0/sobjects/Contact", new { LastName = "Lee", LeadSource = "Phone Inquiry" });
        requiredWhen.ErrorCode.Should().Be("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        requiredWhen.Json![0]!["fields"]!.AsArray().Select(f => (string)f!).Should().Equal("Phone");

        var created = await org.Post("/services/data/v62.0/sobjects/Contact", new { LastName = "Lee", LeadSource = "Web" });
        created.Status.Should().Be(201);
        var id = (string)created.Json!["id"]!;

        // updates are checked against the whole record after the change
        var update = await org.Patch($"/services/data/v62.0/sobjects/Contact/{id}", new { LeadSource = "Phone Inquiry" });
        update.Status.Should().Be(400);
        update.ErrorCode.Should().Be("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        (await org.Patch($"/services/data/v62.0/sobjects/Contact/{id}", new { LeadSource = "Phone Inquiry", Phone = "+44 20 7946 0000" })).Status.Should().Be(204);

        // collections report the rule per record with statusCode
        var collection = await org.Post("/services/data/v62.0/composite/sobjects", new JsonObject
        {
            ["records"] = new JsonArray(new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["LastName"] = "X", ["Title"] = "A" }),
        });
        ((string)collection.Json![0]!["errors"]![0]!["statusCode"]!).Should().Be("FIELD_CUSTOM_VALIDATION_EXCEPTION");

        // the emulator's own inserts (seeding) are not validated, as seeds bypass duplicate rules
        e.Insert("Contact", new { LastName = "Seeded", Title = "X" });
        e.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public void Rules_load_from_a_seed_file_and_bad_rules_name_their_place()
    {
        var dir = Directory.CreateTempSubdirectory("seed");
        try
        {
            var good = Path.Combine(dir.FullName, "good.json");
            File.WriteAllText(good, """
                { "validationRules": [ { "object": "Lead", "name": "Company_Length", "field": "Company", "maxLength": 5, "message": "Short company names only.", "errorField": "Company", "when": { "LeadSource": "Web" } } ] }
                """);
            using var emulator = SalesforceEmulator.FromSeedFile(good);
            var act = () => emulator.Insert("Lead", new { LastName = "A", Company = "Acme" });
            act.Should().NotThrow();

            var bad = Path.Combine(dir.FullName, "bad.json");
            File.WriteAllText(bad, """{ "validationRules": [ { "object": "Lead", "name": "X", "field": "Nope__c", "required": true, "message": "m" } ] }""");
            var load = () => SalesforceEmulator.FromSeedFile(bad);
            load.Should().Throw<EmulatorSeedException>().Which.Message.Should().Contain("$.validationRules[0]").And.Contain("Nope__c");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
