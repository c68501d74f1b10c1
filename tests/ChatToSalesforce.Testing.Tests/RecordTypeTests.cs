namespace ChatToSalesforce.Testing.Tests;

/// <summary>Record types with per-record-type picklist values (issue 12 item 2).</summary>
public sealed class RecordTypeTests
{
    [Fact]
    public async Task Records_get_the_default_record_type_and_restricted_picklists_follow_their_record_type()
    {
        using var org = new Org();
        var e = org.Emulator;
        e.DefineField("Case", new EmulatorField { Name = "Channel__c", Type = EmulatorFieldType.Picklist, PicklistValues = ["Chat", "Phone", "Email"], RestrictedPicklist = true });
        var support = e.AddRecordType("Case", new EmulatorRecordType { DeveloperName = "Support", Label = "Support Case", IsDefault = true, PicklistValues = new Dictionary<string, IReadOnlyList<string>> { ["Channel__c"] = ["Chat", "Phone"] } });
        var billing = e.AddRecordType("Case", new EmulatorRecordType { DeveloperName = "Billing", PicklistValues = new Dictionary<string, IReadOnlyList<string>> { ["Channel__c"] = ["Email"] } });

        var lookup = await org.Query("SELECT Id, Name FROM RecordType WHERE SobjectType = 'Case' AND DeveloperName = 'Billing'");
        ((string)lookup.Json!["records"]![0]!["Id"]!).Should().Be(billing);

        var byDefault = await org.Post("/services/data/v62.0/sobjects/Case", new Dictionary<string, object?> { ["Subject"] = "Help", ["Channel__c"] = "Chat" });
        byDefault.Status.Should().Be(201, byDefault.Text);
        ((string)e.Find("Case", (string)byDefault.Json!["id"]!)!["RecordTypeId"]!).Should().Be(support);

        var wrongValue = await org.Post("/services/data/v62.0/sobjects/Case", new Dictionary<string, object?> { ["Subject"] = "Help", ["Channel__c"] = "Chat", ["RecordTypeId"] = billing });
        wrongValue.ErrorCode.Should().Be("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        (await org.Post("/services/data/v62.0/sobjects/Case", new Dictionary<string, object?> { ["Subject"] = "Invoice", ["Channel__c"] = "Email", ["RecordTypeId"] = billing })).Status.Should().Be(201);

        var otherObject = e.AddRecordType("Lead", new EmulatorRecordType { DeveloperName = "Partner" });
        var invalid = await org.Post("/services/data/v62.0/sobjects/Case", new Dictionary<string, object?> { ["Subject"] = "Help", ["RecordTypeId"] = otherObject });
        invalid.ErrorCode.Should().Be("INVALID_CROSS_REFERENCE_KEY");
        invalid.Message.Should().Be($"Record Type ID: this ID value isn't valid for the user: {otherObject}");

        var describe = await org.Get("/services/data/v62.0/sobjects/Case/describe");
        var infos = describe.Json!["recordTypeInfos"]!.AsArray();
        infos.Select(i => (string)i!["developerName"]!).Should().Equal("Support", "Billing", "Master");
        ((bool)infos[0]!["defaultRecordTypeMapping"]!).Should().BeTrue();
        (await org.Query("SELECT RecordType.DeveloperName FROM Case WHERE Subject = 'Invoice'")).Json!["records"]![0]!["RecordType"]!["DeveloperName"]!.GetValue<string>().Should().Be("Billing");
        e.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public void Record_types_load_from_a_seed_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rt-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "recordTypes": [ { "object": "Lead", "developerName": "Web", "default": true, "picklistValues": { "LeadSource": ["Web"] } } ], "records": { "Lead": [ { "LastName": "A", "Company": "B" } ] } }""");
        try
        {
            using var e = SalesforceEmulator.FromSeedFile(path);
            var lead = e.Records("Lead").Single();
            ((string)lead["RecordTypeId"]!).Should().StartWith("012");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
