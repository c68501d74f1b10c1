using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

public sealed class RulesTests
{
    private const string V = "/services/data/v62.0";

    [Fact]
    public async Task Required_fields_are_reported_together()
    {
        using var org = new Org();
        var lead = await org.Post($"{V}/sobjects/Lead", new { FirstName = "Ann" });
        lead.Status.Should().Be(400);
        lead.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        lead.Json![0]!["fields"]!.AsArray().Select(f => (string)f!).Should().Equal("LastName", "Company");

        var contact = await org.Post($"{V}/sobjects/Contact", new { Email = "a@b.com" });
        contact.Json![0]!["fields"]!.AsArray().Select(f => (string)f!).Should().Equal("LastName");

        var clear = await org.Patch($"{V}/sobjects/Contact/{org.Emulator.Insert("Contact", new { LastName = "X" })}", new { LastName = (string?)null });
        clear.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
    }

    [Fact]
    public async Task Lengths_emails_unknown_fields_and_read_only_fields_are_checked()
    {
        using var org = new Org();
        var tooLong = await org.Post($"{V}/sobjects/Contact", new { LastName = new string('x', 81) });
        tooLong.ErrorCode.Should().Be("STRING_TOO_LONG");
        tooLong.Message.Should().Contain("max length=80");

        var email = await org.Post($"{V}/sobjects/Contact", new { LastName = "X", Email = "not an email" });
        email.ErrorCode.Should().Be("INVALID_EMAIL_ADDRESS");
        email.Message.Should().Be("Email: invalid email address: not an email");

        var unknown = await org.Post($"{V}/sobjects/Contact", new { LastName = "X", foo = 1 });
        unknown.ErrorCode.Should().Be("INVALID_FIELD");
        unknown.Message.Should().Be("No such column 'foo' on sobject of type Contact");

        var readOnly = await org.Post($"{V}/sobjects/Lead", new { LastName = "X", Company = "Y", IsConverted = true });
        readOnly.ErrorCode.Should().Be("INVALID_FIELD_FOR_INSERT_UPDATE");
        readOnly.Json![0]!["fields"]![0]!.GetValue<string>().Should().Be("IsConverted");

        var description = await org.Post($"{V}/sobjects/Task", new { Subject = "Chat", Description = new string('d', 32001) });
        description.ErrorCode.Should().Be("STRING_TOO_LONG");
        (await org.Post($"{V}/sobjects/Task", new { Subject = "Chat", Description = new string('d', 32000) })).Status.Should().Be(201);
    }

    [Fact]
    public async Task Restricted_picklists_and_custom_fields()
    {
        using var org = new Org();
        org.Emulator.DefineField("Contact", new EmulatorField { Name = "Student_Type__c", Type = EmulatorFieldType.Picklist, PicklistValues = ["Future Student", "Alumni"], RestrictedPicklist = true });
        org.Emulator.DefineField("Contact", new EmulatorField { Name = "Score__c", Type = EmulatorFieldType.Number });
        org.Emulator.DefineField("Contact", new EmulatorField { Name = "Born__c", Type = EmulatorFieldType.Date });
        org.Emulator.DefineField("Contact", new EmulatorField { Name = "Badge__c", Length = 5, Required = true });

        var bad = await org.Post($"{V}/sobjects/Contact", new { LastName = "X", Student_Type__c = "Dropout", Badge__c = "b" });
        bad.ErrorCode.Should().Be("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");

        var missing = await org.Post($"{V}/sobjects/Contact", new { LastName = "X" });
        missing.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        missing.Json![0]!["fields"]![0]!.GetValue<string>().Should().Be("Badge__c");

        var notNumber = await org.Post($"{V}/sobjects/Contact", new { LastName = "X", Badge__c = "b", Score__c = "abc" });
        notNumber.ErrorCode.Should().Be("JSON_PARSER_ERROR");

        var ok = await org.Post($"{V}/sobjects/Contact", new { LastName = "X", Badge__c = "b", Score__c = "12.5", Born__c = "2001-02-03", Student_Type__c = "Alumni" });
        ok.Status.Should().Be(201);
        var record = org.Emulator.Find("Contact", (string)ok.Json!["id"]!)!;
        record["Score__c"]!.GetValue<double>().Should().Be(12.5);
        ((string)record["Born__c"]!).Should().Be("2001-02-03");
    }

    [Fact]
    public async Task Lookups_must_exist_have_the_right_type_and_owners_must_be_active()
    {
        using var org = new Org();
        var e = org.Emulator;
        var lead = e.Insert("Lead", new { LastName = "L", Company = "C" });
        var contact = e.Insert("Contact", new { LastName = "C" });
        var missingAccount = ChatToSalesforce.Testing.Internal.SalesforceId.Create("001", 999_999);

        (await org.Post($"{V}/sobjects/Contact", new { LastName = "X", AccountId = missingAccount })).ErrorCode.Should().Be("INVALID_CROSS_REFERENCE_KEY");
        (await org.Post($"{V}/sobjects/Contact", new { LastName = "X", AccountId = lead })).ErrorCode.Should().Be("FIELD_INTEGRITY_EXCEPTION");
        (await org.Post($"{V}/sobjects/Contact", new { LastName = "X", AccountId = "nonsense" })).ErrorCode.Should().Be("MALFORMED_ID");
        (await org.Post($"{V}/sobjects/Case", new { Subject = "S", ContactId = lead })).ErrorCode.Should().Be("FIELD_INTEGRITY_EXCEPTION");
        (await org.Post($"{V}/sobjects/Task", new { Subject = "S", WhoId = lead })).Status.Should().Be(201);
        (await org.Post($"{V}/sobjects/Task", new { Subject = "S", WhoId = contact[..15] })).Status.Should().Be(201);

        var inactive = e.Insert("User", new { Username = "gone@example.com", Email = "gone@example.com", LastName = "Gone", IsActive = false });
        var owner = await org.Post($"{V}/sobjects/Task", new { Subject = "S", OwnerId = inactive });
        owner.ErrorCode.Should().Be("INACTIVE_OWNER_OR_USER");
        owner.Json![0]!["fields"]![0]!.GetValue<string>().Should().Be("OwnerId");
    }

    [Fact]
    public async Task Converted_leads_cannot_be_updated()
    {
        using var org = new Org();
        var contact = org.Emulator.Insert("Contact", new { LastName = "C" });
        var lead = org.Emulator.Insert("Lead", new { LastName = "L", Company = "C" });
        org.Emulator.Update(lead, new { IsConverted = true, ConvertedContactId = contact });

        var reply = await org.Patch($"{V}/sobjects/Lead/{lead}", new { FirstName = "New" });
        reply.ErrorCode.Should().Be("CANNOT_UPDATE_CONVERTED_LEAD");
        var query = await org.Query($"SELECT ConvertedContactId FROM Lead WHERE IsConverted = true");
        ((string)query.Json!["records"]![0]!["ConvertedContactId"]!).Should().Be(contact);
    }

    [Fact]
    public async Task Unique_and_external_id_values_clash_with_duplicate_value()
    {
        using var org = new Org();
        org.Emulator.DefineField("Task", new EmulatorField { Name = "Chat_Id__c", ExternalId = true, Unique = true });
        (await org.Post($"{V}/sobjects/Task", new { Subject = "A", Chat_Id__c = "chat-1" })).Status.Should().Be(201);
        var clash = await org.Post($"{V}/sobjects/Task", new { Subject = "B", Chat_Id__c = "CHAT-1" });
        clash.ErrorCode.Should().Be("DUPLICATE_VALUE");
        clash.Message.Should().StartWith("duplicate value found: Chat_Id__c duplicates value on record with id: 00T");
    }

    [Fact]
    public async Task Defaults_and_event_rules()
    {
        using var org = new Org();
        var task = await org.Post($"{V}/sobjects/Task", new { Subject = "Chat" });
        var t = org.Emulator.Find("Task", (string)task.Json!["id"]!)!;
        ((string)t["Status"]!).Should().Be("Not Started");
        ((string)t["Priority"]!).Should().Be("Normal");
        ((string)t["OwnerId"]!).Should().Be(org.Emulator.IntegrationUserId);
        ((string)t["CreatedDate"]!).Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$");
        t["LastModifiedDate"].Should().NotBeNull();
        t["SystemModstamp"].Should().NotBeNull();

        var caseId = (string)(await org.Post($"{V}/sobjects/Case", new { Subject = "Help" })).Json!["id"]!;
        ((string)org.Emulator.Find("Case", caseId)!["Status"]!).Should().Be("New");
        var leadId = (string)(await org.Post($"{V}/sobjects/Lead", new { LastName = "L", Company = "C" })).Json!["id"]!;
        ((string)org.Emulator.Find("Lead", leadId)!["Status"]!).Should().Be("Open - Not Contacted");

        var noEnd = await org.Post($"{V}/sobjects/Event", new { Subject = "Meet", StartDateTime = "2026-01-01T10:00:00Z" });
        noEnd.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        noEnd.Json![0]!["fields"]![0]!.GetValue<string>().Should().Be("DurationInMinutes");
        var noStart = await org.Post($"{V}/sobjects/Event", new { Subject = "Meet", DurationInMinutes = 30 });
        noStart.Json![0]!["fields"]![0]!.GetValue<string>().Should().Be("ActivityDateTime");
        var ok = await org.Post($"{V}/sobjects/Event", new { Subject = "Meet", ActivityDateTime = "2026-01-01T10:00:00Z", DurationInMinutes = 30 });
        ok.Status.Should().Be(201);
        ((string)org.Emulator.Find("Event", (string)ok.Json!["id"]!)!["EndDateTime"]!).Should().Be("2026-01-01T10:30:00.000+0000");
    }

    [Fact]
    public async Task Auto_assign_header_is_recorded_per_request_and_subrequest()
    {
        using var org = new Org();
        await org.Post($"{V}/sobjects/Lead", new { LastName = "L", Company = "C" }, ("Sforce-Auto-Assign", "FALSE"));
        org.Emulator.RequestLog[^1].AutoAssign.Should().Be("FALSE");

        await org.Post($"{V}/composite", new JsonObject
        {
            ["compositeRequest"] = new JsonArray
            {
                new JsonObject { ["method"] = "POST", ["url"] = $"{V}/sobjects/Case", ["referenceId"] = "c", ["body"] = new JsonObject { ["Subject"] = "S" }, ["httpHeaders"] = new JsonObject { ["Sforce-Auto-Assign"] = "FALSE" } },
            },
        });
        org.Emulator.RequestLog[^1].Subrequests.Should().ContainSingle().Which.AutoAssign.Should().Be("FALSE");
    }

    [Fact]
    public async Task Content_version_json_and_multipart_create_document_and_link()
    {
        using var org = new Org();
        var contact = org.Emulator.Insert("Contact", new { LastName = "Files" });
        var json = await org.Post($"{V}/sobjects/ContentVersion", new { Title = "t", PathOnClient = "t.txt", VersionData = Convert.ToBase64String(Encoding.UTF8.GetBytes("hello")), FirstPublishLocationId = contact });
        json.Status.Should().Be(201);
        var version = await org.Get($"{V}/sobjects/ContentVersion/{(string)json.Json!["id"]!}");
        var documentId = (string)version.Json!["ContentDocumentId"]!;
        documentId.Should().StartWith("069");
        ((int)version.Json!["ContentSize"]!).Should().Be(5);
        var links = await org.Query($"SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '{documentId}'");
        ((string)links.Json!["records"]![0]!["LinkedEntityId"]!).Should().Be(contact);
        var blob = await org.Http.GetByteArrayAsync((string)version.Json!["VersionData"]!);
        Encoding.UTF8.GetString(blob).Should().Be("hello");

        using var multipart = new MultipartFormDataContent("b0undary");
        var entity = new StringContent("""{"PathOnClient":"chat.txt","FirstPublishLocationId":"__ID__"}""".Replace("__ID__", contact, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        multipart.Add(entity, "entity_content");
        multipart.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("line1\r\nline2")), "VersionData", "chat.txt");
        using var response = await org.Http.PostAsync($"{V}/sobjects/ContentVersion", multipart);
        var reply = await Reply.Read(response);
        reply.Status.Should().Be(201, reply.Text);
        var second = org.Emulator.Find("ContentVersion", (string)reply.Json!["id"]!)!;
        ((int)second["ContentSize"]!).Should().Be(12);
        ((string)second["Title"]!).Should().Be("chat");

        var link = await org.Post($"{V}/sobjects/ContentDocumentLink", new { ContentDocumentId = (string)second["ContentDocumentId"]!, LinkedEntityId = org.Emulator.Insert("Account", new { Name = "A" }), ShareType = "V" });
        link.Status.Should().Be(201);
        ((string)link.Json!["id"]!).Should().StartWith("06A");
    }
}
