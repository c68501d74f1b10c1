using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Person Accounts (issue 12 item 2): the Account/Contact pair, PersonEmail, __pc fields and Task WhoId/WhatId.</summary>
public sealed class PersonAccountTests
{
    [Fact]
    public async Task Without_the_feature_person_fields_do_not_exist()
    {
        using var org = new Org();
        var reply = await org.Query("SELECT Id FROM Account WHERE IsPersonAccount = true");
        reply.ErrorCode.Should().Be("INVALID_FIELD");
    }

    [Fact]
    public async Task A_person_account_is_an_account_and_a_contact_kept_in_step()
    {
        using var org = new Org();
        var e = org.Emulator;
        e.DefineField("Contact", new EmulatorField { Name = "Visitor_Id__c", ExternalId = true, Unique = true });
        e.EnablePersonAccounts();
        e.DefineField("Contact", new EmulatorField { Name = "Chat_Count__c", Type = EmulatorFieldType.Number });

        var created = await org.Post("/services/data/v62.0/sobjects/Account", new Dictionary<string, object?>
        {
            ["FirstName"] = "Ann", ["LastName"] = "Lee", ["PersonEmail"] = "ann@example.com", ["Visitor_Id__pc"] = "v-1", ["Chat_Count__pc"] = 2,
        });
        created.Status.Should().Be(201, created.Text);
        var accountId = (string)created.Json!["id"]!;
        var account = e.Find("Account", accountId)!;
        ((bool)account["IsPersonAccount"]!).Should().BeTrue();
        ((string)account["Name"]!).Should().Be("Ann Lee");
        var contactId = (string)account["PersonContactId"]!;
        var contact = e.Find("Contact", contactId)!;
        ((bool)contact["IsPersonAccount"]!).Should().BeTrue();
        ((string)contact["AccountId"]!).Should().Be(accountId);
        ((string)contact["Email"]!).Should().Be("ann@example.com");
        ((string)contact["Visitor_Id__c"]!).Should().Be("v-1");
        ((double)contact["Chat_Count__c"]!).Should().Be(2);

        // the SDK's Person Account identification query
        var match = await org.Query("SELECT Id, PersonContactId, CreatedDate, LastModifiedDate FROM Account WHERE IsPersonAccount = true AND PersonEmail = 'ANN@example.com' ORDER BY LastModifiedDate DESC LIMIT 5");
        match.Status.Should().Be(200, match.Text);
        ((string)match.Json!["records"]![0]!["PersonContactId"]!).Should().Be(contactId);
        var contacts = await org.Query("SELECT Id, IsPersonAccount, Account.Name FROM Contact WHERE Email = 'ann@example.com'");
        ((bool)contacts.Json!["records"]![0]!["IsPersonAccount"]!).Should().BeTrue();

        // an update to the account reaches the contact
        (await org.Patch($"/services/data/v62.0/sobjects/Account/{accountId}", new { PersonEmail = "ann.lee@example.com", LastName = "Lee-Smith" })).Status.Should().Be(204);
        ((string)e.Find("Contact", contactId)!["Email"]!).Should().Be("ann.lee@example.com");
        ((string)e.Find("Contact", contactId)!["Name"]!).Should().Be("Ann Lee-Smith");
        ((string)e.Find("Account", accountId)!["Name"]!).Should().Be("Ann Lee-Smith");

        // Tasks: WhoId is the person contact, WhatId the account; an Account id is not a valid WhoId
        var task = await org.Post("/services/data/v62.0/sobjects/Task", new { Subject = "Chat", WhoId = contactId });
        task.Status.Should().Be(201, task.Text);
        ((string)e.Find("Task", (string)task.Json!["id"]!)!["AccountId"]!).Should().Be(accountId);
        (await org.Post("/services/data/v62.0/sobjects/Task", new { Subject = "Chat", WhoId = contactId, WhatId = accountId })).Status.Should().Be(201);
        var wrongWho = await org.Post("/services/data/v62.0/sobjects/Task", new { Subject = "Chat", WhoId = accountId });
        wrongWho.Status.Should().Be(400);
        wrongWho.ErrorCode.Should().Be("FIELD_INTEGRITY_EXCEPTION");

        // business accounts are unchanged: Name stays required, IsPersonAccount false, no contact
        var business = await org.Post("/services/data/v62.0/sobjects/Account", new { Name = "Acme" });
        ((bool)e.Find("Account", (string)business.Json!["id"]!)!["IsPersonAccount"]!).Should().BeFalse();
        (await org.Post("/services/data/v62.0/sobjects/Account", new { Phone = "1" })).ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        e.Records("Contact").Should().ContainSingle();
        var readOnly = await org.Post("/services/data/v62.0/sobjects/Account", new { LastName = "X", IsPersonAccount = true });
        readOnly.ErrorCode.Should().Be("INVALID_FIELD_FOR_INSERT_UPDATE");
        e.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public void The_seed_setting_turns_person_accounts_on()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pa-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "settings": { "personAccounts": true }, "records": { "Account": [ { "FirstName": "Bo", "LastName": "Chen", "PersonEmail": "bo@example.com" } ] } }""");
        try
        {
            using var e = SalesforceEmulator.FromSeedFile(path);
            var account = e.Records("Account").Single();
            ((bool)account["IsPersonAccount"]!).Should().BeTrue();
            ((string)e.Find("Contact", (string)account["PersonContactId"]!)!["Email"]!).Should().Be("bo@example.com");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
