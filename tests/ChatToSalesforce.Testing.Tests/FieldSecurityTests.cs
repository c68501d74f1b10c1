using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Field-level security for the integration user: a read-only field gives Salesforce's INVALID_FIELD_FOR_INSERT_UPDATE.</summary>
public sealed class FieldSecurityTests
{
    [Fact]
    public async Task A_read_only_field_is_reported_by_describe_and_refused_on_writes()
    {
        using var org = new Org();
        var e = org.Emulator;
        e.MakeFieldReadOnly("Contact", "Phone");
        var id = e.Insert("Contact", new { LastName = "Lee", Phone = "+44 20 7946 0000" }); // the org itself may still set it

        var describe = await org.Get("/services/data/v62.0/sobjects/Contact/describe");
        var phone = describe.Json!["fields"]!.AsArray().Single(f => (string)f!["name"]! == "Phone")!;
        ((bool)phone["createable"]!).Should().BeFalse();
        ((bool)phone["updateable"]!).Should().BeFalse();

        var create = await org.Post("/services/data/v62.0/sobjects/Contact", new { LastName = "New", Phone = "1" });
        create.Status.Should().Be(400);
        create.ErrorCode.Should().Be("INVALID_FIELD_FOR_INSERT_UPDATE");
        create.Message.Should().Be("Unable to create fields: Phone. Please check the security settings of this field and verify that it is read/write for your profile or permission set.");
        create.Json![0]!["fields"]!.AsArray().Select(f => (string)f!).Should().Equal("Phone");

        var update = await org.Patch($"/services/data/v62.0/sobjects/Contact/{id}", new { Phone = "2" });
        update.ErrorCode.Should().Be("INVALID_FIELD_FOR_INSERT_UPDATE");
        ((string)e.Find("Contact", id)!["Phone"]!).Should().Be("+44 20 7946 0000");
        (await org.Query("SELECT Phone FROM Contact")).Status.Should().Be(200, "read-only fields stay readable");

        var system = () => e.MakeFieldReadOnly("Contact", "CreatedDate");
        system.Should().Throw<ArgumentException>();
        var unknown = () => e.MakeFieldReadOnly("Contact", "Nope__c");
        unknown.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Read_only_fields_load_from_a_seed_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fls-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "readOnlyFields": { "Lead": ["Company", "Email"] } }""");
        try
        {
            using var e = SalesforceEmulator.FromSeedFile(path);
            using var http = new HttpClient(e.CreateHandler()) { BaseAddress = e.InstanceUrl };
            http.DefaultRequestHeaders.Authorization = new("Bearer", e.IssueAccessToken());
            using var content = new StringContent("""{"LastName":"A","Email":"a@example.com"}""", System.Text.Encoding.UTF8, "application/json");
            using var response = http.PostAsync("/services/data/v62.0/sobjects/Lead", content).GetAwaiter().GetResult();
            var body = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())!;
            ((string)body[0]!["errorCode"]!).Should().Be("INVALID_FIELD_FOR_INSERT_UPDATE");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
