using ChatToSalesforce.Testing.Internal;

namespace ChatToSalesforce.Testing.Tests;

public sealed class IdAndSeedTests
{
    [Theory]
    [InlineData("001M000001FgVKl", "001M000001FgVKlIAN")]
    [InlineData("0035500001H9ka4", "0035500001H9ka4AAB")]
    [InlineData("0012300000bVTq1", "0012300000bVTq1AAG")]
    [InlineData("00190000001pPvH", "00190000001pPvHAAU")]
    public void Checksum_matches_real_salesforce_ids(string id15, string id18)
    {
        SalesforceId.To18(id15).Should().Be(id18);
        SalesforceId.Normalize(id15).Should().Be(id18);
        SalesforceId.Normalize(id18).Should().Be(id18);
    }

    [Fact]
    public void Malformed_ids_are_rejected()
    {
        SalesforceId.Normalize("001M000001FgVKlAAA").Should().BeNull("the checksum is wrong");
        SalesforceId.Normalize("001-00001FgVKl").Should().BeNull();
        SalesforceId.Normalize("abc").Should().BeNull();
    }

    [Fact]
    public void Records_get_prefixed_checksummed_ids()
    {
        using var emulator = new SalesforceEmulator();
        emulator.OrganizationId.Should().StartWith("00D").And.HaveLength(18);
        emulator.IntegrationUserId.Should().StartWith("005");
        var prefixes = new Dictionary<string, string>
        {
            ["Contact"] = "003", ["Lead"] = "00Q", ["Account"] = "001", ["Task"] = "00T", ["Case"] = "500", ["Campaign"] = "701",
        };
        foreach (var (type, prefix) in prefixes)
        {
            var fields = type switch
            {
                "Contact" => new Dictionary<string, object?> { ["LastName"] = "x" },
                "Lead" => new Dictionary<string, object?> { ["LastName"] = "x", ["Company"] = "y" },
                "Account" or "Campaign" => new Dictionary<string, object?> { ["Name"] = "x" },
                _ => new Dictionary<string, object?> { ["Subject"] = "x" },
            };
            var id = emulator.Insert(type, fields);
            id.Should().StartWith(prefix).And.HaveLength(18);
            SalesforceId.Normalize(id).Should().Be(id);
            emulator.Find(type, id[..15]).Should().NotBeNull();
        }

        var eventId = emulator.Insert("Event", new { StartDateTime = DateTimeOffset.UtcNow, DurationInMinutes = 15 });
        eventId.Should().StartWith("00U");
        var campaign = emulator.Records("Campaign")[0]["Id"]!.GetValue<string>();
        var contact = emulator.Records("Contact")[0]["Id"]!.GetValue<string>();
        emulator.Insert("CampaignMember", new { CampaignId = campaign, ContactId = contact }).Should().StartWith("00v");
        var act = () => emulator.Insert("CampaignMember", new { CampaignId = campaign, ContactId = contact });
        act.Should().Throw<InvalidOperationException>().WithMessage("DUPLICATE_VALUE*");
        emulator.DefineObject("Chat__c", new EmulatorField { Name = "Key__c" }).Should().Be("a00");
        emulator.DefineObject("Other__c").Should().Be("a01");
        emulator.Insert("Chat__c", new { Name = "n" }).Should().StartWith("a00");
    }

    [Fact]
    public async Task Sample_seed_file_loads()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", "emulator-seed.json");
        await using var emulator = SalesforceEmulator.FromSeedFile(path);
        emulator.DailyApiLimit.Should().Be(15000);
        emulator.Records("Contact").Should().ContainSingle();
        emulator.Records("User").Should().HaveCount(3);
        var ann = emulator.Records("Contact")[0];
        var agent = emulator.Records("User").Single(u => (string)u["Username"]! == "agent.smith@acme.example");
        ((string)ann["OwnerId"]!).Should().Be((string)agent["Id"]!);
        emulator.Records("Lead").Should().Contain(l => (bool)l["IsConverted"]! && (string)l["ConvertedContactId"]! == (string)ann["Id"]!);
        emulator.Records("Chat_Session__c").Should().BeEmpty();
    }

    [Theory]
    [InlineData("{\n  \"records\": {\n    \"Contact\": [ { \"LastName\": \"A\" ]\n  }\n}", 3, "invalid JSON")]
    [InlineData("{\n \"fields\": { \"Contact\": [ { \"name\": \"X__c\", \"type\": \"blob\" } ] }\n}", null, "$.fields.Contact[0]: unknown field type 'blob'")]
    [InlineData("{ \"records\": { \"Contact\": [ { \"FirstName\": \"no last name\" } ] } }", null, "$.records.Contact[0]: REQUIRED_FIELD_MISSING")]
    [InlineData("{ \"records\": { \"Bogus\": [ { } ] } }", null, "$.records.Bogus[0]: No such object 'Bogus'")]
    [InlineData("{ \"surprise\": 1 }", null, "$.surprise: unknown section")]
    [InlineData("[]", 1, "the seed must be a JSON object")]
    public void Broken_seed_files_fail_with_file_line_and_reason(string content, int? line, string reason)
    {
        var path = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        try
        {
            var act = () => SalesforceEmulator.FromSeedFile(path);
            var error = act.Should().Throw<EmulatorSeedException>().Which;
            error.FilePath.Should().Be(path);
            error.LineNumber.Should().Be(line);
            error.Message.Should().StartWith(path).And.Contain(reason);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_seed_file_fails_clearly()
    {
        var act = () => SalesforceEmulator.FromSeedFile("/nonexistent/seed.json");
        act.Should().Throw<EmulatorSeedException>().WithMessage("/nonexistent/seed.json: cannot read the file*");
    }
}
