using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Parent-child subqueries, aggregates and relative date literals (issue 12 item 2), against fixtures 20-22 and the SOQL reference.</summary>
public sealed class SoqlFidelityTests
{
    private static int Total(Reply reply) => reply.Json!["totalSize"]!.GetValue<int>();

    private static string[] Field(Reply reply, string name) =>
        reply.Json!["records"]!.AsArray().Select(r => (string)r![name]!).ToArray();

    [Fact]
    public async Task Child_subqueries_come_back_as_nested_query_results_or_null()
    {
        using var org = new Org();
        var e = org.Emulator;
        var acme = e.Insert("Account", new { Name = "Acme" });
        e.Insert("Account", new { Name = "Empty" });
        e.Insert("Contact", new { LastName = "Zed", AccountId = acme });
        var ann = e.Insert("Contact", new { LastName = "Ann", AccountId = acme, Email = "ann@example.com" });
        e.Insert("Contact", new { LastName = "Bob", AccountId = acme });
        e.Insert("Task", new { Subject = "Chat", WhoId = ann, WhatId = acme });

        var reply = await org.Query("SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'Bob' ORDER BY LastName LIMIT 5), (SELECT Subject, Who.Name FROM Tasks) FROM Account ORDER BY Name");

        reply.Status.Should().Be(200, reply.Text);
        var records = reply.Json!["records"]!.AsArray();
        var contacts = records[0]!["Contacts"]!;
        ((int)contacts["totalSize"]!).Should().Be(2);
        ((bool)contacts["done"]!).Should().BeTrue();
        contacts["records"]!.AsArray().Select(c => (string)c!["LastName"]!).Should().Equal("Ann", "Zed");
        ((string)contacts["records"]![0]!["attributes"]!["type"]!).Should().Be("Contact");
        ((string)records[0]!["Tasks"]!["records"]![0]!["Who"]!["Name"]!).Should().Be("Ann");
        records[1]!.AsObject().ContainsKey("Contacts").Should().BeTrue();
        records[1]!["Contacts"].Should().BeNull("Salesforce answers null for a child relationship without rows");

        var custom = new Org();
        using (custom)
        {
            custom.Emulator.DefineObject("Whizbang__c", new EmulatorField { Name = "Text_Label__c" });
            custom.Emulator.DefineField("Whizbang__c", new EmulatorField { Name = "ParentWhizbang__c", Type = EmulatorFieldType.Reference, ReferenceTo = ["Whizbang__c"] });
            var parent = custom.Emulator.Insert("Whizbang__c", new Dictionary<string, object?> { ["Name"] = "Parent" });
            custom.Emulator.Insert("Whizbang__c", new Dictionary<string, object?> { ["Name"] = "Child", ["ParentWhizbang__c"] = parent });
            var nested = await custom.Query("SELECT Name, ParentWhizbang__r.Name, (SELECT Name FROM Whizbangs__r) FROM Whizbang__c WHERE Name = 'Parent'");
            nested.Status.Should().Be(200, nested.Text);
            ((string)nested.Json!["records"]![0]!["Whizbangs__r"]!["records"]![0]!["Name"]!).Should().Be("Child");
        }

        var describe = await org.Get("/services/data/v62.0/sobjects/Account/describe");
        var relationship = describe.Json!["childRelationships"]!.AsArray().Single(r => (string)r!["relationshipName"]! == "Contacts")!;
        ((string)relationship["childSObject"]!).Should().Be("Contact");
        ((string)relationship["field"]!).Should().Be("AccountId");

        var nestedTwice = await org.Query("SELECT Id, (SELECT Id, (SELECT Id FROM Tasks) FROM Contacts) FROM Account");
        nestedTwice.ErrorCode.Should().Be("MALFORMED_QUERY");
        var unknown = await org.Query("SELECT Id, (SELECT Id FROM Whatever) FROM Account");
        unknown.ErrorCode.Should().Be("INVALID_TYPE");
        unknown.Message.Should().Contain("Didn't understand relationship 'Whatever'");
    }

    [Fact]
    public async Task Aggregates_group_count_sum_and_order_like_salesforce()
    {
        using var org = new Org();
        var e = org.Emulator;
        var spring = e.Insert("Campaign", new { Name = "Spring" });
        var fall = e.Insert("Campaign", new { Name = "Fall" });
        foreach (var (campaign, amount) in new (string?, decimal?)[] { (spring, 100m), (spring, 200m), (fall, 100m), (null, 400m), (null, null) })
        {
            e.Insert("Opportunity", new Dictionary<string, object?> { ["Name"] = "Deal", ["StageName"] = "Prospecting", ["CloseDate"] = "2026-02-01", ["Amount"] = amount, ["CampaignId"] = campaign });
        }

        // fixture 21's query
        var grouped = await org.Query("SELECT CampaignId, SUM(Amount) FROM Opportunity GROUP BY CampaignId ORDER BY SUM(Amount) DESC NULLS LAST");
        grouped.Status.Should().Be(200, grouped.Text);
        Total(grouped).Should().Be(3);
        var rows = grouped.Json!["records"]!.AsArray();
        rows.Select(r => (double)r!["expr0"]!).Should().Equal(400, 300, 100);
        rows[0]!["CampaignId"].Should().BeNull();
        ((string)rows[1]!["CampaignId"]!).Should().Be(spring);
        ((string)rows[0]!["attributes"]!["type"]!).Should().Be("AggregateResult");
        rows[0]!["attributes"]!.AsObject().ContainsKey("url").Should().BeFalse();

        var counts = await org.Query("SELECT Campaign.Name, COUNT(Id) deals, COUNT(Amount), MAX(Amount) top, AVG(Amount) FROM Opportunity WHERE CampaignId != null GROUP BY Campaign.Name ORDER BY Campaign.Name");
        counts.Status.Should().Be(200, counts.Text);
        var fallRow = counts.Json!["records"]![0]!;
        ((string)fallRow["Name"]!).Should().Be("Fall");
        ((int)fallRow["deals"]!).Should().Be(1);
        ((int)fallRow["expr0"]!).Should().Be(1);
        ((double)counts.Json!["records"]![1]!["top"]!).Should().Be(200);
        ((double)counts.Json!["records"]![1]!["expr1"]!).Should().Be(150);

        var whole = await org.Query("SELECT COUNT(Id), COUNT(Amount), COUNT_DISTINCT(CampaignId), SUM(Amount) FROM Opportunity");
        var single = whole.Json!["records"]![0]!;
        ((int)single["expr0"]!).Should().Be(5);
        ((int)single["expr1"]!).Should().Be(4);
        ((int)single["expr2"]!).Should().Be(2);
        ((double)single["expr3"]!).Should().Be(800);

        var none = await org.Query("SELECT COUNT(Id), SUM(Amount) FROM Opportunity WHERE Name = 'nothing'");
        ((int)none.Json!["records"]![0]!["expr0"]!).Should().Be(0);
        none.Json!["records"]![0]!["expr1"].Should().BeNull();

        var groups = await org.Query("SELECT COUNT() FROM Opportunity GROUP BY CampaignId");
        Total(groups).Should().Be(3);

        (await org.Query("SELECT Name, COUNT(Id) FROM Opportunity")).Message.Should().Contain("Field must be grouped or aggregated: Name");
        (await org.Query("SELECT SUM(Name) FROM Opportunity")).Message.Should().Contain("does not support aggregate operator SUM");
        org.Emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task Date_literals_follow_the_emulator_clock()
    {
        var clock = new ManualClock(); // Thursday 2026-01-15 10:00 UTC; the week began on Sunday 2026-01-11
        using var org = new Org(new SalesforceEmulatorOptions { TimeProvider = clock });
        var e = org.Emulator;
        clock.Advance(TimeSpan.FromDays(-45)); // 2025-12-01
        e.Insert("Contact", new { LastName = "december" });
        clock.Advance(TimeSpan.FromDays(35)); // 2026-01-05
        e.Insert("Contact", new { LastName = "tenDaysAgo" });
        clock.Advance(TimeSpan.FromDays(9)); // 2026-01-14
        e.Insert("Contact", new { LastName = "yesterday" });
        clock.Advance(TimeSpan.FromDays(1)); // 2026-01-15
        e.Insert("Contact", new { LastName = "today" });
        e.Insert("Opportunity", new { Name = "soon", StageName = "Prospecting", CloseDate = "2026-01-20" });
        e.Insert("Opportunity", new { Name = "now", StageName = "Prospecting", CloseDate = "2026-01-15" });

        async Task<string[]> Names(string where) => Field(await org.Query("SELECT LastName FROM Contact WHERE " + where + " ORDER BY CreatedDate"), "LastName");

        (await Names("CreatedDate = TODAY")).Should().Equal("today");
        (await Names("CreatedDate = YESTERDAY")).Should().Equal("yesterday");
        (await Names("CreatedDate = LAST_N_DAYS:1")).Should().Equal("yesterday", "today");
        (await Names("CreatedDate = LAST_N_DAYS:10")).Should().Equal("tenDaysAgo", "yesterday", "today");
        (await Names("CreatedDate < LAST_N_DAYS:10")).Should().Equal("december");
        (await Names("CreatedDate = N_DAYS_AGO:10")).Should().Equal("tenDaysAgo");
        (await Names("CreatedDate = LAST_MONTH")).Should().Equal("december");
        (await Names("CreatedDate = THIS_WEEK")).Should().Equal("yesterday", "today");
        (await Names("CreatedDate = LAST_WEEK")).Should().Equal("tenDaysAgo");
        (await Names("CreatedDate > YESTERDAY")).Should().Equal("today");
        (await Names("CreatedDate IN (TODAY, LAST_MONTH)")).Should().Equal("december", "today");
        (await Names("CreatedDate = THIS_YEAR AND CreatedDate != TODAY")).Should().Equal("tenDaysAgo", "yesterday");

        Field(await org.Query("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:7"), "Name").Should().Equal("soon");
        Field(await org.Query("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_WEEK"), "Name").Should().Equal("soon");
        Field(await org.Query("SELECT Name FROM Opportunity WHERE CloseDate <= TODAY"), "Name").Should().Equal("now");

        var wrongType = await org.Query("SELECT Id FROM Contact WHERE LastName = TODAY");
        wrongType.ErrorCode.Should().Be("INVALID_QUERY_FILTER_OPERATOR");
        var fiscal = await org.Query("SELECT Id FROM Contact WHERE CreatedDate = THIS_FISCAL_QUARTER");
        fiscal.ErrorCode.Should().Be("MALFORMED_QUERY");
    }

    [Fact]
    public async Task Order_by_nulls_first_or_last_and_offset_page_through_results()
    {
        using var org = new Org();
        foreach (var (last, first) in new[] { ("a", "x"), ("b", (string?)null), ("c", "y"), ("d", null) })
        {
            org.Emulator.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = last, ["FirstName"] = first });
        }

        Field(await org.Query("SELECT LastName FROM Contact ORDER BY FirstName NULLS LAST, LastName"), "LastName").Should().Equal("a", "c", "b", "d");
        Field(await org.Query("SELECT LastName FROM Contact ORDER BY FirstName DESC NULLS FIRST, LastName"), "LastName").Should().Equal("b", "d", "c", "a");
        Field(await org.Query("SELECT LastName FROM Contact ORDER BY FirstName ASC, LastName DESC"), "LastName").Should().Equal("d", "b", "a", "c");
        Field(await org.Query("SELECT LastName FROM Contact ORDER BY LastName LIMIT 2 OFFSET 2"), "LastName").Should().Equal("c", "d");
    }
}
