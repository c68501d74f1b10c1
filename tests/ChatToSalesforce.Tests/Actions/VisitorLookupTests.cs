using ChatToSalesforce.Actions;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Export;
using Microsoft.Extensions.Time.Testing;

namespace ChatToSalesforce.Tests.Actions;

/// <summary>Issue 15 item 1: the agent console's lookup uses the export's identification, costs 1 call cold and 0 while cached.</summary>
public sealed class VisitorLookupTests
{
    [Fact]
    public async Task Finds_the_Contact_with_its_Account_owner_and_requested_fields_in_one_call_then_none_while_cached()
    {
        using var host = new ActionsHost();
        var owner = host.Org.SeedUser("owner@acme.example");
        var account = host.Org.Insert("Account", new { Name = "Acme Corp" });
        var contact = host.Org.Insert("Contact", new { LastName = "Lovelace", FirstName = "Ada", Email = "ada@acme.example", Title = "CTO", AccountId = account, OwnerId = owner });
        var mark = host.Org.ApiCallsUsed;

        var cold = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "  ADA@acme.example ", Fields = ["Contact.Title"] });

        cold.Match.Should().NotBeNull();
        cold.Match!.ObjectType.Should().Be("Contact");
        cold.Match.Id.Should().Be(contact);
        cold.Match.ContactId.Should().Be(contact);
        cold.Match.AccountId.Should().Be(account);
        cold.Match.AccountName.Should().Be("Acme Corp");
        cold.Match.OwnerId.Should().Be(owner);
        cold.Match.OwnerName.Should().NotBeNullOrEmpty();
        cold.Match.Fields["Title"].Should().Be("CTO");
        cold.Match.Fields["Email"].Should().Be("ada@acme.example");
        cold.ApiCalls.Should().Be(1);
        host.CallsSince(ref mark).Should().Be(1, "one API call when nothing is cached");

        var warm = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "ada@ACME.example", Fields = ["Contact.Title"] });

        warm.FromCache.Should().BeTrue();
        warm.ApiCalls.Should().Be(0);
        warm.Match!.Id.Should().Be(contact);
        host.CallsSince(ref mark).Should().Be(0, "a console refresh within the cache window costs nothing");
    }

    [Fact]
    public async Task The_cache_is_short_and_configurable()
    {
        using var host = new ActionsHost(o => o.Actions.CacheDuration = TimeSpan.FromSeconds(10));
        host.Org.Insert("Contact", new { LastName = "Lee", Email = "ann@example.com" });
        var mark = host.Org.ApiCallsUsed;

        await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "ann@example.com" });
        host.Clock.Advance(TimeSpan.FromSeconds(9));
        (await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "ann@example.com" })).FromCache.Should().BeTrue();
        host.Clock.Advance(TimeSpan.FromSeconds(2));
        var expired = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "ann@example.com" });

        expired.FromCache.Should().BeFalse();
        host.CallsSince(ref mark).Should().Be(2);
    }

    [Fact]
    public async Task A_zero_cache_duration_turns_the_cache_off()
    {
        using var host = new ActionsHost(o => o.Actions.CacheDuration = TimeSpan.Zero);
        var mark = host.Org.ApiCallsUsed;

        await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "nobody@example.com" });
        var again = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "nobody@example.com" });

        again.FromCache.Should().BeFalse();
        again.IsFound.Should().BeFalse();
        host.CallsSince(ref mark).Should().Be(2);
    }

    [Fact]
    public async Task Contacts_then_Leads_precedence_searches_both_in_one_call_and_prefers_the_Contact()
    {
        using var host = new ActionsHost(o => o.Identity.Precedence = PersonPrecedence.ContactThenLead);
        var contact = host.Org.Insert("Contact", new { LastName = "Both", Email = "both@example.com" });
        host.Org.Insert("Lead", new { LastName = "Both", Company = "Both Ltd", Email = "both@example.com" });
        var lead = host.Org.Insert("Lead", new { LastName = "Only", Company = "Only Ltd", Email = "only-lead@example.com" });
        var mark = host.Org.ApiCallsUsed;

        var both = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "both@example.com" });
        var onlyLead = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "only-lead@example.com", Fields = ["Lead.Status"] });

        both.Match!.Id.Should().Be(contact);
        onlyLead.Match!.ObjectType.Should().Be("Lead");
        onlyLead.Match.Id.Should().Be(lead);
        onlyLead.Match.AccountName.Should().Be("Only Ltd", "a Lead's company stands for its Account");
        onlyLead.Match.ContactId.Should().BeNull();
        onlyLead.Match.Fields["Status"].Should().NotBeNullOrEmpty();
        host.CallsSince(ref mark).Should().Be(2, "each lookup reads Contacts and Leads in one call");
    }

    [Fact]
    public async Task Several_matches_follow_the_export_policy()
    {
        using var skip = new ActionsHost(o => o.Identity.MultipleMatches = MultipleMatchPolicy.Skip);
        skip.Org.Insert("Contact", new { LastName = "One", Email = "twin@example.com" });
        skip.Org.Insert("Contact", new { LastName = "Two", Email = "twin@example.com" });

        var skipped = await skip.Lookup.LookupAsync(new VisitorLookupRequest { Email = "twin@example.com" });

        skipped.Match.Should().BeNull("the export would not choose either");
        skipped.SkipReason.Should().Contain("MultipleMatches is Skip");
        skipped.Records.Should().HaveCount(2, "the console still sees who matched");

        var orgClock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var org = new SalesforceEmulator(new SalesforceEmulatorOptions { TimeProvider = orgClock });
        org.Insert("Contact", new { LastName = "Old", Email = "twin@example.com" });
        orgClock.Advance(TimeSpan.FromMinutes(1));
        var newer = org.Insert("Contact", new { LastName = "New", Email = "twin@example.com" });
        using var recent = new ActionsHost(emulator: org);

        var chosen = await recent.Lookup.LookupAsync(new VisitorLookupRequest { Email = "twin@example.com" });

        chosen.Match!.Id.Should().Be(newer);
        chosen.Records.Should().HaveCount(2);
        chosen.Records[0].Should().BeSameAs(chosen.Match);
    }

    [Fact]
    public async Task A_converted_Lead_is_followed_to_its_Contact()
    {
        using var host = new ActionsHost(o => o.Identity.Precedence = PersonPrecedence.LeadThenContact);
        var contact = host.Org.Insert("Contact", new { LastName = "Moved", Email = "other@example.com" });
        host.Org.Insert("Lead", new { LastName = "Moved", Company = "X", Email = "moved@example.com", IsConverted = true, ConvertedContactId = contact });

        var result = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "moved@example.com" });

        result.Match!.ObjectType.Should().Be("Contact");
        result.Match.Id.Should().Be(contact);
        result.Records.Should().Contain(r => r.ObjectType == "Lead");
    }

    [Fact]
    public async Task Finds_a_Person_Account_as_the_export_does()
    {
        using var host = new ActionsHost(o => o.Identity.MatchPersonAccounts = true);
        host.Org.EnablePersonAccounts();
        var account = host.Org.Insert("Account", new Dictionary<string, object?> { ["FirstName"] = "Ann", ["LastName"] = "Lee", ["PersonEmail"] = "ann@example.com" });
        var personContact = host.Org.Find("Account", account)!.Text("PersonContactId");

        var result = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "ann@example.com" });

        // The export relates activities to the Person Account's contact; the console sees the account behind it.
        result.Match!.ContactId.Should().Be(personContact);
        result.Match.AccountId.Should().Be(account);
    }

    [Fact]
    public async Task Phone_rule_compares_digits_like_the_export()
    {
        using var host = new ActionsHost(o => o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Phone }]);
        var contact = host.Org.Insert("Contact", new { LastName = "Phone", Phone = "+1 (415) 555-0134" });
        host.Org.Insert("Contact", new { LastName = "Other", Phone = "+1 (212) 555-0134" });

        var result = await host.Lookup.LookupAsync(new VisitorLookupRequest { Phone = "415.555.0134" });

        result.Match!.Id.Should().Be(contact);
        result.Records.Should().ContainSingle("the other number only shares its last digits");
    }

    [Fact]
    public async Task Nobody_found_is_a_normal_result_and_bad_field_names_are_refused_before_any_call()
    {
        using var host = new ActionsHost();
        var mark = host.Org.ApiCallsUsed;

        var none = await host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "nobody@example.com" });
        none.IsFound.Should().BeFalse();
        none.Match.Should().BeNull();
        none.SkipReason.Should().BeNull();

        var bad = () => host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "x@example.com", Fields = ["Title"] });
        await bad.Should().ThrowAsync<ArgumentException>().WithMessage("*Object.Field*");
        var injected = () => host.Lookup.LookupAsync(new VisitorLookupRequest { Email = "x@example.com", Fields = ["Contact.Id FROM User --"] });
        await injected.Should().ThrowAsync<ArgumentException>();
        host.CallsSince(ref mark).Should().Be(1);
    }

    [Fact]
    public async Task Values_whose_names_differ_only_in_case_are_refused_naming_both_without_their_values()
    {
        // Regression: "custom:Id" and "custom:id" threw the case-insensitive dictionary's raw "same key" ArgumentException.
        using var host = new ActionsHost();
        var mark = host.Org.ApiCallsUsed;

        var act = () => host.Lookup.LookupAsync(new VisitorLookupRequest
        {
            Email = "x@example.com",
            Values = new Dictionary<string, string?> { ["custom:Id"] = "secret-1", ["custom:id"] = "secret-2" },
        });

        var message = (await act.Should().ThrowAsync<ArgumentException>()).Which.Message;
        message.Should().StartWith("Values: ").And.Contain("'custom:Id'").And.Contain("'custom:id'").And.Contain("case")
            .And.NotContain("secret-").And.NotContain("same key");
        host.CallsSince(ref mark).Should().Be(0);
    }
}
