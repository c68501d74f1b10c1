using System.Text.Json.Nodes;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Identity;

public class DefaultIdentityMatcherTests
{
    private readonly FakeSalesforceReader _reader = new();

    private async Task<IdentityMatch> MatchAsync(Conversation conversation, SalesforceChatExportOptions options) =>
        await new DefaultIdentityMatcher().MatchAsync(Context(conversation, options), CancellationToken.None);

    private IdentityMatchContext Context(Conversation conversation, SalesforceChatExportOptions options) => new()
    {
        Conversation = conversation,
        Options = options,
        PersonObject = PersonFields.PersonObject(options),
        Salesforce = _reader,
    };

    private static JsonObject Record(string id, string? email = null, string? modified = "2026-01-01T00:00:00.000+0000", string? created = "2025-01-01T00:00:00.000+0000") => new()
    {
        ["Id"] = id,
        ["Email"] = email,
        ["LastName"] = "Lovelace",
        ["OwnerId"] = "005000000000099AAA",
        ["CreatedDate"] = created,
        ["LastModifiedDate"] = modified,
    };

    [Fact]
    public async Task MatchAsync_EmailWithQuote_QueriesWithTheEscapedLiteral()
    {
        await MatchAsync(TestData.Conversation(email: "o'brien@x.com"), TestData.Options());

        _reader.Queries.Should().ContainSingle().Which.Should().Contain(@"WHERE Email = 'o\'brien@x.com'").And.Contain("FROM Contact");
    }

    [Fact]
    public async Task MatchAsync_EmailWithSurroundingSpaces_QueriesTheTrimmedEmail()
    {
        await MatchAsync(TestData.Conversation(email: "  ada@example.com \u00A0"), TestData.Options());

        _reader.Queries.Should().ContainSingle().Which.Should().Contain("WHERE Email = 'ada@example.com' ORDER BY");
    }

    [Fact]
    public async Task MatchAsync_EmailQuery_SelectsTheStandardAndMappedFields()
    {
        var options = TestData.Options(o => o.FieldMappings = [new FieldMapping { Source = "custom:Student Type", Target = "Contact.Mongoose_Student_Type__c" }]);

        await MatchAsync(TestData.Conversation(), options);

        _reader.Queries.Single().Should().StartWith("SELECT Id, CreatedDate, LastModifiedDate, OwnerId, FirstName, LastName, Email, Phone, Mongoose_Student_Type__c FROM Contact");
    }

    [Fact]
    public async Task MatchAsync_OneContactFound_ReturnsItWithTheFieldsRead()
    {
        _reader.Answer("FROM Contact", Record(TestData.ContactId, "ada@example.com"));

        var match = await MatchAsync(TestData.Conversation(), TestData.Options());

        match.IsFound.Should().BeTrue();
        match.ObjectType.Should().Be("Contact");
        match.Id.Should().Be(TestData.ContactId);
        match.Fields.GetString("Email").Should().Be("ada@example.com");
        match.IsReadOnly.Should().BeFalse();
        match.Rule.Should().Contain("rule 0").And.NotContain("ada@example.com");
    }

    [Fact]
    public async Task MatchAsync_NothingFound_ReturnsNone()
    {
        var match = await MatchAsync(TestData.Conversation(), TestData.Options());

        match.Should().BeSameAs(IdentityMatch.None);
    }

    [Fact]
    public async Task MatchAsync_NoEmail_MakesNoEmailQuery()
    {
        var match = await MatchAsync(TestData.Conversation(email: " "), TestData.Options());

        _reader.Queries.Should().BeEmpty();
        match.IsFound.Should().BeFalse();
    }

    [Fact]
    public async Task MatchAsync_RulesInOrder_FirstRuleWithAMatchWins()
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Field = "Visitor_Key__c", Source = "custom:visitorId" },
            new IdentificationRule { Kind = IdentificationRuleKind.Email },
        ]);
        _reader.Answer("Visitor_Key__c = 'v-1'", Record(TestData.OtherContactId));
        _reader.Answer("Email = ", Record(TestData.ContactId));

        var match = await MatchAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["visitorId"] = "v-1" }), options);

        _reader.Queries.Should().HaveCount(2);
        _reader.Queries[0].Should().Contain("WHERE Visitor_Key__c = 'v-1'");
        _reader.Queries[1].Should().Contain("WHERE Email = 'ada@example.com'");
        match.Id.Should().Be(TestData.OtherContactId);
        match.Rule.Should().Contain("rule 0 (ExternalId)");
    }

    [Fact]
    public async Task MatchAsync_FirstRuleFindsNothing_NextRuleWins()
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Field = "Visitor_Key__c", Source = "custom:visitorId" },
            new IdentificationRule { Kind = IdentificationRuleKind.Email },
        ]);
        _reader.Answer("Email = ", Record(TestData.ContactId));

        var match = await MatchAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["visitorId"] = "v-1" }), options);

        match.Id.Should().Be(TestData.ContactId);
        match.Rule.Should().Contain("rule 1 (Email)");
    }

    [Fact]
    public async Task MatchAsync_ExternalIdRuleWithoutValue_MakesNoQueryForIt()
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Field = "Visitor_Key__c", Source = "custom:visitorId" },
        ]);

        var match = await MatchAsync(TestData.Conversation(), options);

        _reader.Queries.Should().BeEmpty();
        match.IsFound.Should().BeFalse();
    }

    [Fact]
    public async Task MatchAsync_ExternalIdValueWithQuote_IsEscaped()
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Field = "Visitor_Key__c", Source = "custom:visitorId" },
        ]);

        await MatchAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["visitorId"] = @"a'b\c" }), options);

        _reader.Queries.Single().Should().Contain(@"WHERE Visitor_Key__c = 'a\'b\\c'");
    }

    [Fact]
    public async Task MatchAsync_PhoneRule_QueriesTheLastFourDigitsAndComparesNormalisedNumbers()
    {
        var options = TestData.Options(o => o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Phone }]);
        _reader.Answer("Phone LIKE", new JsonObject { ["Id"] = TestData.OtherContactId, ["Phone"] = "(999) 000-4567" }, new JsonObject { ["Id"] = TestData.ContactId, ["Phone"] = "555.123.4567" });

        var match = await MatchAsync(TestData.Conversation(phone: "+1 (555) 123-4567"), options);

        _reader.Queries.Single().Should().Contain("WHERE Phone LIKE '%1%2%3%4%5%6%7'");
        match.Id.Should().Be(TestData.ContactId);
    }

    [Fact]
    public async Task MatchAsync_PhoneRuleWithCustomField_UsesIt()
    {
        var options = TestData.Options(o => o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Phone, Field = "MobilePhone" }]);
        _reader.Answer("MobilePhone LIKE", new JsonObject { ["Id"] = TestData.ContactId, ["MobilePhone"] = "0044 20 7946 0958" });

        var match = await MatchAsync(TestData.Conversation(phone: "+44 20 7946 0958"), options);

        _reader.Queries.Single().Should().Contain("WHERE MobilePhone LIKE '%9%4%6%0%9%5%8'");
        match.Id.Should().Be(TestData.ContactId);
    }

    [Fact]
    public async Task MatchAsync_PhoneWithFewerThanFourDigits_MakesNoQuery()
    {
        var options = TestData.Options(o => o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Phone }]);

        var match = await MatchAsync(TestData.Conversation(phone: "12-3"), options);

        _reader.Queries.Should().BeEmpty();
        match.IsFound.Should().BeFalse();
    }

    [Theory]
    [InlineData("5551234567", "5551234567", true)]
    [InlineData("15551234567", "5551234567", true)]
    [InlineData("5551234567", "0015551234567", true)]
    [InlineData("1234567", "991234567", true)]
    [InlineData("234567", "91234567", false)]
    [InlineData("9990004567", "5551234567", false)]
    [InlineData("", "5551234567", false)]
    [InlineData("", "", false)]
    public void SamePhone_Digits_ComparesTails(string a, string b, bool expected)
    {
        DefaultIdentityMatcher.SamePhone(a, b).Should().Be(expected);
    }

    [Fact]
    public void Digits_FormattedNumber_KeepsAsciiDigitsOnly()
    {
        DefaultIdentityMatcher.Digits("+1 (555) 123-4567 ext. ٣").Should().Be("15551234567");
        DefaultIdentityMatcher.Digits(null).Should().BeEmpty();
    }

    [Fact]
    public async Task MatchAsync_SoqlRule_BindsPlaceholdersAsEscapedLiterals()
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Id, LastName FROM Contact WHERE Email = {!visitor.email} AND Student_Type__c = {!custom:Student Type} LIMIT 5" },
        ]);
        var conversation = TestData.Conversation(email: "o'brien@x.com", custom: new Dictionary<string, string?> { ["Student Type"] = "' OR Name != '" });

        await MatchAsync(conversation, options);

        _reader.Queries.Single().Should().Be(@"SELECT Id, LastName FROM Contact WHERE Email = 'o\'brien@x.com' AND Student_Type__c = '\' OR Name != \'' LIMIT 5");
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Email = {!visitor.email}", "SELECT Id FROM Contact WHERE Email = 'ada@example.com' LIMIT 50")]
    [InlineData("SELECT Id FROM Contact WHERE Email = {!visitor.email} ORDER BY CreatedDate OFFSET 10", "SELECT Id FROM Contact WHERE Email = 'ada@example.com' ORDER BY CreatedDate LIMIT 50 OFFSET 10")]
    [InlineData("SELECT Id FROM Contact WHERE Email = {!visitor.email} LIMIT 5000", "SELECT Id FROM Contact WHERE Email = 'ada@example.com' LIMIT 50")]
    [InlineData("SELECT Id FROM Contact WHERE Email = {!visitor.email} limit  7", "SELECT Id FROM Contact WHERE Email = 'ada@example.com' limit  7")]
    [InlineData("SELECT Id, (SELECT Id FROM Cases LIMIT 500) FROM Contact WHERE Email = {!visitor.email}", "SELECT Id, (SELECT Id FROM Cases LIMIT 500) FROM Contact WHERE Email = 'ada@example.com' LIMIT 50")]
    public async Task MatchAsync_SoqlRule_ReadsAtMostTheCandidateLimit(string template, string expected)
    {
        // Regression: a Soql rule ran as written, without a LIMIT, so a broad rule read every row it matched, page after
        // page; its own LIMIT, however large, was kept too. A LIMIT no larger than the other rules' is now added or lowered.
        var options = TestData.Options(o => o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = template }]);

        await MatchAsync(TestData.Conversation(), options);

        _reader.Queries.Should().ContainSingle().Which.Should().Be(expected);
    }

    [Fact]
    public async Task MatchAsync_SoqlRuleWithAChildSubquery_RunsOnTheOuterObject()
    {
        // Regression: the rule's object was read from the first FROM, which is the subquery's.
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Id, (SELECT Id FROM Cases) FROM Contact WHERE Email = {!visitor.email}" },
        ]);
        _reader.Answer("FROM Contact WHERE", new JsonObject { ["Id"] = TestData.ContactId });

        var match = await MatchAsync(TestData.Conversation(), options);

        _reader.Queries.Should().ContainSingle().Which.Should().StartWith("SELECT Id, (SELECT Id FROM Cases) FROM Contact WHERE Email = ");
        match.Id.Should().Be(TestData.ContactId);
    }

    [Fact]
    public async Task MatchAsync_SoqlRuleWithSeveralRows_TakesTheFirstRow()
    {
        var options = TestData.Options(o =>
        {
            o.Identity.MultipleMatches = MultipleMatchPolicy.Skip;
            o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Id FROM Contact WHERE Email = {!visitor.email} ORDER BY CreatedDate" }];
        });
        _reader.Answer("FROM Contact", new JsonObject { ["Id"] = TestData.OtherContactId }, new JsonObject { ["Id"] = TestData.ContactId });

        var match = await MatchAsync(TestData.Conversation(), options);

        match.Id.Should().Be(TestData.OtherContactId);
    }

    [Fact]
    public async Task MatchAsync_SoqlRulePlaceholderWithoutValue_MakesNoQuery()
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Id FROM Contact WHERE Phone = {!visitor.phone}" },
        ]);

        var match = await MatchAsync(TestData.Conversation(phone: null), options);

        _reader.Queries.Should().BeEmpty();
        match.IsFound.Should().BeFalse();
    }

    [Fact]
    public async Task MatchAsync_SoqlRuleOnAnObjectNotSearched_MakesNoQuery()
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Id FROM Lead WHERE Email = {!visitor.email}" },
        ]);

        await MatchAsync(TestData.Conversation(), options);

        _reader.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task MatchAsync_ContactThenLead_QueriesBothAndPrefersTheContact()
    {
        var options = TestData.Options(o => o.Identity.Precedence = PersonPrecedence.ContactThenLead);
        _reader.Answer("FROM Lead", Record(TestData.LeadId));
        _reader.Answer("FROM Contact", Record(TestData.ContactId));

        var match = await MatchAsync(TestData.Conversation(), options);

        _reader.Queries.Should().HaveCount(2);
        _reader.Queries[0].Should().Contain("FROM Contact");
        _reader.Queries[1].Should().Contain("FROM Lead").And.Contain("IsConverted, ConvertedContactId");
        match.ObjectType.Should().Be("Contact");
        match.Id.Should().Be(TestData.ContactId);
    }

    [Fact]
    public async Task MatchAsync_ContactThenLeadWithOnlyALead_ReturnsTheLead()
    {
        var options = TestData.Options(o => o.Identity.Precedence = PersonPrecedence.ContactThenLead);
        _reader.Answer("FROM Lead", Record(TestData.LeadId));

        var match = await MatchAsync(TestData.Conversation(), options);

        match.ObjectType.Should().Be("Lead");
        match.Id.Should().Be(TestData.LeadId);
    }

    [Fact]
    public async Task MatchAsync_LeadThenContact_PrefersTheLead()
    {
        var options = TestData.Options(o => o.Identity.Precedence = PersonPrecedence.LeadThenContact);
        _reader.Answer("FROM Lead", Record(TestData.LeadId));
        _reader.Answer("FROM Contact", Record(TestData.ContactId));

        var match = await MatchAsync(TestData.Conversation(), options);

        _reader.Queries[0].Should().Contain("FROM Lead");
        match.ObjectType.Should().Be("Lead");
        match.Id.Should().Be(TestData.LeadId);
    }

    [Fact]
    public async Task MatchAsync_ConvertedLead_FollowsConvertedContactIdAndNeverUpdatesTheLead()
    {
        var options = TestData.Options(o => o.Mode = ExportMode.LeadAndTask);
        var lead = Record(TestData.LeadId);
        lead["IsConverted"] = true;
        lead["ConvertedContactId"] = TestData.ContactId;
        _reader.Answer("FROM Lead", lead);

        var match = await MatchAsync(TestData.Conversation(), options);

        match.ObjectType.Should().Be("Contact");
        match.Id.Should().Be(TestData.ContactId);
        match.ConvertedLeadId.Should().Be(TestData.LeadId);
        match.Rule.Should().Contain("converted Lead");
    }

    [Fact]
    public async Task MatchAsync_ConvertedLeadWithoutContact_IsReadOnly()
    {
        var options = TestData.Options(o => o.Mode = ExportMode.LeadAndTask);
        var lead = Record(TestData.LeadId);
        lead["IsConverted"] = true;
        lead["ConvertedContactId"] = null;
        _reader.Answer("FROM Lead", lead);

        var match = await MatchAsync(TestData.Conversation(), options);

        match.ObjectType.Should().Be("Lead");
        match.Id.Should().Be(TestData.LeadId);
        match.IsReadOnly.Should().BeTrue();
    }

    [Fact]
    public async Task MatchAsync_SeveralMatchesMostRecentlyModified_PicksTheLatestModified()
    {
        _reader.Answer("FROM Contact",
            Record("003000000000003AAA", modified: "2026-03-01T00:00:00.000+0000"),
            Record(TestData.ContactId, modified: "2026-06-01T00:00:00.000+0000"),
            Record(TestData.OtherContactId, modified: "2026-01-01T00:00:00.000+0000"));

        var match = await MatchAsync(TestData.Conversation(), TestData.Options());

        match.Id.Should().Be(TestData.ContactId);
        match.Rule.Should().Contain("3 matches").And.Contain("MostRecentlyModified");
    }

    [Fact]
    public async Task MatchAsync_SeveralMatchesOldest_PicksTheFirstCreated()
    {
        var options = TestData.Options(o => o.Identity.MultipleMatches = MultipleMatchPolicy.Oldest);
        _reader.Answer("FROM Contact",
            Record(TestData.ContactId, modified: "2026-06-01T00:00:00.000+0000", created: "2024-05-01T00:00:00.000+0000"),
            Record(TestData.OtherContactId, modified: "2026-01-01T00:00:00.000+0000", created: "2023-05-01T00:00:00.000+0000"));

        var match = await MatchAsync(TestData.Conversation(), options);

        match.Id.Should().Be(TestData.OtherContactId);
    }

    [Fact]
    public async Task MatchAsync_SeveralMatchesSkip_SkipsWithAReasonWithoutPersonalData()
    {
        var options = TestData.Options(o => o.Identity.MultipleMatches = MultipleMatchPolicy.Skip);
        _reader.Answer("FROM Contact", Record(TestData.ContactId, "ada@example.com"), Record(TestData.OtherContactId, "ada@example.com"));

        var match = await MatchAsync(TestData.Conversation(), options);

        match.IsFound.Should().BeFalse();
        match.SkipReason.Should().Contain("2 Contact records").And.Contain("Skip").And.NotContain("ada@example.com");
    }

    [Fact]
    public async Task MatchAsync_PersonKeyField_MakesNoQueryAtAll()
    {
        var options = TestData.Options(o => o.PersonKeyField = "Chat_Visitor_Key__c");

        var match = await MatchAsync(TestData.Conversation(), options);

        match.Should().BeSameAs(IdentityMatch.None);
        _reader.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task MatchAsync_PersonAccounts_MatchesPersonEmailAndReturnsThePersonContactReadOnly()
    {
        var options = TestData.Options(o => o.Identity.MatchPersonAccounts = true);
        _reader.Answer("FROM Account", new JsonObject { ["Id"] = "001000000000001AAA", ["PersonContactId"] = TestData.ContactId });

        var match = await MatchAsync(TestData.Conversation(email: "o'brien@x.com"), options);

        _reader.Queries.Should().Contain(q => q.Contains(@"PersonEmail = 'o\'brien@x.com'") && q.Contains("IsPersonAccount = true"));
        match.ObjectType.Should().Be("Contact");
        match.Id.Should().Be(TestData.ContactId);
        match.IsReadOnly.Should().BeTrue();
    }

    [Fact]
    public async Task MatchAsync_RecordModeWithoutKeyField_AlwaysCreates()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.FieldMappings = [new FieldMapping { Source = "visitor.email", Target = "Chat_Lead__c.Email__c" }];
        });

        var match = await MatchAsync(TestData.Conversation(), options);

        match.Should().BeSameAs(IdentityMatch.None);
        _reader.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task MatchAsync_RecordModeWithKeyField_QueriesTheKeyAndReturnsTheRecord()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.Record.KeyField = "Visitor_Key__c";
            o.FieldMappings = [new FieldMapping { Source = "custom:visitorId", Target = "Chat_Lead__c.Visitor_Key__c" }];
        });
        _reader.Answer("FROM Chat_Lead__c", new JsonObject { ["Id"] = "a01000000000001AAA", ["Visitor_Key__c"] = "v'1" });

        var match = await MatchAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["visitorId"] = "v'1" }), options);

        _reader.Queries.Single().Should().Contain(@"FROM Chat_Lead__c WHERE Visitor_Key__c = 'v\'1'");
        match.ObjectType.Should().Be("Chat_Lead__c");
        match.Id.Should().Be("a01000000000001AAA");
    }

    [Fact]
    public async Task MatchAsync_RecordModeKeyWithoutValue_Skips()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.Record.KeyField = "Visitor_Key__c";
            o.FieldMappings = [new FieldMapping { Source = "custom:visitorId", Target = "Chat_Lead__c.Visitor_Key__c" }];
        });

        var match = await MatchAsync(TestData.Conversation(), options);

        match.SkipReason.Should().Contain("Chat_Lead__c.Visitor_Key__c");
        _reader.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task MatchAsync_SeveralRulesAndObjects_StartsEveryQueryBeforeAwaitingAny()
    {
        var options = TestData.Options(o =>
        {
            o.Identity.Precedence = PersonPrecedence.ContactThenLead;
            o.Identity.Rules = [new IdentificationRule { Kind = IdentificationRuleKind.Email }, new IdentificationRule { Kind = IdentificationRuleKind.Phone }];
        });
        _reader.HoldQueries = true;
        _reader.Answer(q => q.Contains("FROM Lead") && q.Contains("Phone LIKE"), new JsonObject { ["Id"] = TestData.LeadId, ["Phone"] = "555 123 4567" });

        var pending = new DefaultIdentityMatcher().MatchAsync(Context(TestData.Conversation(phone: "5551234567"), options), CancellationToken.None).AsTask();

        pending.IsCompleted.Should().BeFalse();
        _reader.Queries.Should().HaveCount(4);
        _reader.ReleaseAll();
        var match = await pending;
        match.ObjectType.Should().Be("Lead");
        match.Id.Should().Be(TestData.LeadId);
        _reader.Queries.Should().HaveCount(4);
    }
}
