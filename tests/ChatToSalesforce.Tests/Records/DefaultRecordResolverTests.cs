using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Records.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Records;

public class DefaultRecordResolverTests
{
    private static readonly ResolvedOwner AgentOwner = new(TestData.AgentUserId, OwnerStrategy.AgentUser)
    {
        Fallbacks = [new ResolvedOwner(TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner), ResolvedOwner.ConnectingUser],
    };

    private readonly FakeSalesforceReader _reader = new FakeSalesforceReader().Describe(
        TestData.Contact(TestData.Field("Created_Only__c", updateable: false), TestData.Field("Chat_Visitor_Key__c", externalId: true)),
        TestData.Lead());

    private static FieldMap Mapped(string objectType, SalesforceFieldValues values)
    {
        var map = new FieldMap();
        foreach (var (field, value) in values)
        {
            map.Set(objectType, field, value);
        }

        return map;
    }

    private static SalesforceFieldValues AdaValues() => new()
    {
        ["FirstName"] = "Ada",
        ["LastName"] = "Lovelace",
        ["Email"] = "ada@example.com",
        ["Phone"] = "+44 20 7946 0958",
    };

    private async Task<ResolvedRecord> ResolveAsync(IdentityMatch match, FieldMap fields, SalesforceChatExportOptions? options = null, ResolvedOwner? owner = null, Conversation? conversation = null)
    {
        options ??= TestData.Options();
        return await new DefaultRecordResolver().ResolveAsync(new RecordResolutionContext
        {
            Conversation = conversation ?? TestData.Conversation(),
            Options = options,
            PersonObject = options.Mode is ExportMode.LeadAndTask or ExportMode.LeadAndCase ? "Lead" : "Contact",
            Match = match,
            Fields = fields,
            Owner = owner ?? AgentOwner,
            Salesforce = _reader,
        }, CancellationToken.None);
    }

    [Fact]
    public async Task ResolveAsync_NewPerson_CreatesWithTheMappedFieldsAndTheOwner()
    {
        var record = await ResolveAsync(IdentityMatch.None, Mapped("Contact", AdaValues()));

        record.Action.Should().Be(RecordAction.Create);
        record.ObjectType.Should().Be("Contact");
        record.Id.Should().BeNull();
        record.Fields.Should().Equal(new SalesforceFieldValues
        {
            ["FirstName"] = "Ada",
            ["LastName"] = "Lovelace",
            ["Email"] = "ada@example.com",
            ["Phone"] = "+44 20 7946 0958",
            ["OwnerId"] = TestData.AgentUserId,
        });
        record.SetsOwner.Should().BeTrue();
    }

    [Theory]
    [InlineData(ExportMode.ContactAndTask, "Contact")]
    [InlineData(ExportMode.LeadAndCase, "Lead")]
    public async Task ResolveAsync_NewPersonWithoutALastName_IsSkippedNamingTheSourcesNotTheValues(ExportMode mode, string person)
    {
        var values = AdaValues();
        values.Remove("LastName");
        var options = TestData.Options(o => o.Mode = mode);

        var record = await ResolveAsync(IdentityMatch.None, Mapped(person, values), options);

        record.Action.Should().Be(RecordAction.Skip);
        record.ObjectType.Should().Be(person);
        record.SkipReason.Should().Be($"No {person} matches the visitor and a new one needs a last name (visitor.lastName or visitor.name is missing); nothing was written.");
        record.SkipReason.Should().NotContain("Ada").And.NotContain("ada@example.com");
        record.ToString().Should().Be($"Skip {person}");
    }

    [Fact]
    public async Task ResolveAsync_ExistingPersonWithoutALastName_IsUpdatedNotSkipped()
    {
        var values = AdaValues();
        values.Remove("LastName");

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, new SalesforceFieldValues { ["Phone"] = null }), Mapped("Contact", values));

        record.Action.Should().Be(RecordAction.Update);
    }

    [Fact]
    public async Task ResolveAsync_RecordModeWithoutALastName_Creates()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
        });
        var map = new FieldMap();
        map.Set("Chat_Lead__c", "Topic__c", "pricing");

        var record = await new DefaultRecordResolver().ResolveAsync(new RecordResolutionContext
        {
            Conversation = TestData.Conversation(), Options = options, PersonObject = "Chat_Lead__c", Match = IdentityMatch.None, Fields = map, Owner = AgentOwner, Salesforce = _reader,
        }, CancellationToken.None);

        record.Action.Should().Be(RecordAction.Create);
    }

    [Fact]
    public async Task ResolveAsync_NewPersonOwnedByTheConnectingUser_SetsNoOwner()
    {
        var record = await ResolveAsync(IdentityMatch.None, Mapped("Contact", AdaValues()), owner: ResolvedOwner.ConnectingUser);

        record.Action.Should().Be(RecordAction.Create);
        record.SetsOwner.Should().BeFalse();
    }

    [Fact]
    public async Task ResolveAsync_NewPerson_DoesNotShareTheMappedValues()
    {
        var map = Mapped("Contact", AdaValues());

        var record = await ResolveAsync(IdentityMatch.None, map);
        record.Fields["LastName"] = "Changed";

        map.For("Contact").GetString("LastName").Should().Be("Lovelace");
    }

    [Fact]
    public async Task ResolveAsync_FillBlanks_WritesOnlyFieldsTheMatchReadAsBlank()
    {
        var current = new SalesforceFieldValues
        {
            ["Id"] = TestData.ContactId,
            ["OwnerId"] = TestData.DefaultOwnerId,
            ["FirstName"] = "  ",
            ["LastName"] = "Byron",
            ["Email"] = "ada@example.com",
            ["Phone"] = null,
        };
        var values = AdaValues();
        values["Mongoose_Student_Type__c"] = "Future Student";
        var match = IdentityMatch.Found("Contact", TestData.ContactId, current);

        var record = await ResolveAsync(match, Mapped("Contact", values));

        record.Action.Should().Be(RecordAction.Update);
        record.Id.Should().Be(TestData.ContactId);
        record.Fields.Select(p => p.Key).Should().BeEquivalentTo(["FirstName", "Phone"], "LastName has a value, and Mongoose_Student_Type__c was not read so it is not known to be blank");
        record.Fields.GetString("FirstName").Should().Be("Ada");
    }

    [Fact]
    public async Task ResolveAsync_FillBlanksWithNothingBlank_Keeps()
    {
        var current = new SalesforceFieldValues { ["OwnerId"] = TestData.DefaultOwnerId, ["FirstName"] = "A", ["LastName"] = "B", ["Email"] = "c@d.com", ["Phone"] = "1" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", AdaValues()));

        record.Action.Should().Be(RecordAction.Keep);
        record.Id.Should().Be(TestData.ContactId);
        record.Fields.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveAsync_Overwrite_WritesChangedFieldsButNotProtectedOnes()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.LeadAndTask;
            o.UpdatePolicy = UpdatePolicy.Overwrite;
        });
        var current = new SalesforceFieldValues
        {
            ["OwnerId"] = TestData.DefaultOwnerId,
            ["FirstName"] = "Ada",
            ["LastName"] = "Byron",
            ["Email"] = "ada@example.com",
            ["Phone"] = null,
            ["Status"] = "Working",
            ["LeadSource"] = "Web",
        };
        var values = AdaValues();
        values["Status"] = "Open";
        values["LeadSource"] = "Chat";
        values["OwnerId"] = TestData.AgentUserId;

        var record = await ResolveAsync(IdentityMatch.Found("Lead", TestData.LeadId, current), Mapped("Lead", values), options);

        record.Action.Should().Be(RecordAction.Update);
        record.ObjectType.Should().Be("Lead");
        record.Fields.Should().Equal(new SalesforceFieldValues { ["LastName"] = "Lovelace", ["Phone"] = "+44 20 7946 0958" });
    }

    [Fact]
    public async Task ResolveAsync_OverwriteWithoutProtectedOwner_MovesTheOwner()
    {
        var options = TestData.Options(o =>
        {
            o.UpdatePolicy = UpdatePolicy.Overwrite;
            o.ProtectedFields = [];
        });
        var current = new SalesforceFieldValues { ["OwnerId"] = TestData.DefaultOwnerId, ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["Email"] = "ada@example.com", ["Phone"] = "+44 20 7946 0958" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", AdaValues()), options);

        record.Action.Should().Be(RecordAction.Update);
        record.Fields.Should().Equal(new SalesforceFieldValues { ["OwnerId"] = TestData.AgentUserId });
    }

    [Fact]
    public async Task ResolveAsync_OwnerConfiguredWith15Characters_IsTheSameOwnerAsSalesforces18()
    {
        // Regression: the owner was compared as text, so an owner configured with its 15-character id was "changed" on
        // every export of a person it already owned.
        var options = TestData.Options(o =>
        {
            o.UpdatePolicy = UpdatePolicy.Overwrite;
            o.ProtectedFields = [];
        });
        var owner = new ResolvedOwner(TestData.AgentUserId[..15], OwnerStrategy.AgentUser);
        var current = new SalesforceFieldValues { ["OwnerId"] = TestData.AgentUserId, ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["Email"] = "ada@example.com", ["Phone"] = "+44 20 7946 0958" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", AdaValues()), options, owner);

        record.Action.Should().Be(RecordAction.Keep);
    }

    [Fact]
    public async Task ResolveAsync_OverwriteNothingChanged_Keeps()
    {
        var options = TestData.Options(o => o.UpdatePolicy = UpdatePolicy.Overwrite);
        var current = new SalesforceFieldValues { ["OwnerId"] = TestData.DefaultOwnerId, ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["Email"] = "ada@example.com", ["Phone"] = "+44 20 7946 0958" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", AdaValues()), options);

        record.Action.Should().Be(RecordAction.Keep);
    }

    [Theory]
    [InlineData("2026-11-21T14:09:00Z", RecordAction.Keep)]
    [InlineData("2026-11-21T15:09:00+01:00", RecordAction.Keep)]
    [InlineData("2026-11-21T14:10:00Z", RecordAction.Update)]
    public async Task ResolveAsync_OverwriteDateTime_ComparesTheInstantNotTheText(string mapped, RecordAction expected)
    {
        // Regression: Salesforce answers 2026-11-21T14:09:00.000+0000 and the mapped value is 2026-11-21T14:09:00Z, so
        // the texts never matched and every export updated the person (a write, triggers, LastModifiedDate).
        _reader.Describe(TestData.Contact(TestData.Field("Booked_At__c", "datetime", 0)));
        var options = TestData.Options(o => o.UpdatePolicy = UpdatePolicy.Overwrite);
        var current = new SalesforceFieldValues { ["OwnerId"] = TestData.DefaultOwnerId, ["Booked_At__c"] = "2026-11-21T14:09:00.000+0000" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", new SalesforceFieldValues { ["Booked_At__c"] = mapped }), options);

        record.Action.Should().Be(expected);
    }

    [Fact]
    public async Task ResolveAsync_OverwriteTextThatLooksLikeADateTime_ComparesTheText()
    {
        _reader.Describe(TestData.Contact(TestData.Field("Note__c", "string", 100)));
        var options = TestData.Options(o => o.UpdatePolicy = UpdatePolicy.Overwrite);
        var current = new SalesforceFieldValues { ["OwnerId"] = TestData.DefaultOwnerId, ["Note__c"] = "2026-11-21T14:09:00.000+0000" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", new SalesforceFieldValues { ["Note__c"] = "2026-11-21T14:09:00Z" }), options);

        record.Action.Should().Be(RecordAction.Update);
    }

    [Fact]
    public async Task ResolveAsync_OverwriteNonUpdateableField_LeavesItOut()
    {
        var options = TestData.Options(o => o.UpdatePolicy = UpdatePolicy.Overwrite);
        var values = AdaValues();
        values["Created_Only__c"] = "x";
        var current = new SalesforceFieldValues { ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["Email"] = "ada@example.com", ["Phone"] = "+44 20 7946 0958" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", values), options);

        record.Action.Should().Be(RecordAction.Keep);
    }

    [Fact]
    public async Task ResolveAsync_Never_Keeps()
    {
        var options = TestData.Options(o => o.UpdatePolicy = UpdatePolicy.Never);

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, new SalesforceFieldValues { ["FirstName"] = null }), Mapped("Contact", AdaValues()), options);

        record.Action.Should().Be(RecordAction.Keep);
        record.Id.Should().Be(TestData.ContactId);
        _reader.Describes.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveAsync_ReadOnlyMatch_Keeps()
    {
        var match = IdentityMatch.Found("Lead", TestData.LeadId, new SalesforceFieldValues { ["FirstName"] = null }) with { IsReadOnly = true };

        var record = await ResolveAsync(match, Mapped("Lead", AdaValues()), TestData.Options(o => o.UpdatePolicy = UpdatePolicy.Overwrite));

        record.Action.Should().Be(RecordAction.Keep);
        record.ObjectType.Should().Be("Lead");
        record.Id.Should().Be(TestData.LeadId);
    }

    [Fact]
    public async Task ResolveAsync_ContactReachedThroughAConvertedLead_UpdatesTheContactNotTheLead()
    {
        var match = IdentityMatch.Found("Contact", TestData.ContactId, new SalesforceFieldValues { ["Phone"] = null }) with { ConvertedLeadId = TestData.LeadId };

        var record = await ResolveAsync(match, Mapped("Contact", AdaValues()), TestData.Options(o => o.Mode = ExportMode.LeadAndTask));

        record.ObjectType.Should().Be("Contact");
        record.Id.Should().Be(TestData.ContactId);
        record.Fields.Select(p => p.Key).Should().Equal("Phone");
    }

    [Fact]
    public async Task ResolveAsync_PersonKeyField_UpsertsWithoutTheKeyOrProtectedFieldsInTheBody()
    {
        var options = TestData.Options(o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ProtectedFields = ["OwnerId", "Phone"];
        });
        var values = AdaValues();
        values["Chat_Visitor_Key__c"] = "ada@example.com";

        var record = await ResolveAsync(IdentityMatch.None, Mapped("Contact", values), options);

        record.Action.Should().Be(RecordAction.Upsert);
        record.ObjectType.Should().Be("Contact");
        record.ExternalIdField.Should().Be("Chat_Visitor_Key__c");
        record.ExternalIdValue.Should().Be("ada@example.com");
        // Protected fields, OwnerId included, are never sent on an upsert: it may update an existing person.
        record.Fields.Select(p => p.Key).Should().BeEquivalentTo(["FirstName", "LastName", "Email"]);
    }

    [Fact]
    public async Task ResolveAsync_PersonKeyFromACustomSource_UsesItsValue()
    {
        var options = TestData.Options(o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.PersonKeySource = "custom:visitorId";
        });

        var record = await ResolveAsync(IdentityMatch.None, Mapped("Contact", AdaValues()), options, conversation: TestData.Conversation(custom: new Dictionary<string, string?> { ["visitorId"] = "v/1" }));

        record.Action.Should().Be(RecordAction.Upsert);
        record.ExternalIdValue.Should().Be("v/1");
    }

    [Fact]
    public async Task ResolveAsync_PersonKeyWithoutValue_Creates()
    {
        var options = TestData.Options(o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.PersonKeySource = "custom:visitorId";
        });

        var record = await ResolveAsync(IdentityMatch.None, Mapped("Contact", AdaValues()), options);

        record.Action.Should().Be(RecordAction.Create);
    }

    [Fact]
    public async Task ResolveAsync_RecordOwnerOnAnExistingPerson_KeepsItsOwner()
    {
        var options = TestData.Options(o =>
        {
            o.UpdatePolicy = UpdatePolicy.Overwrite;
            o.ProtectedFields = [];
        });
        var owner = new ResolvedOwner("005000000000099AAA", OwnerStrategy.RecordOwner) { Fallbacks = [new ResolvedOwner(TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner)] };
        var current = new SalesforceFieldValues { ["OwnerId"] = "005000000000099AAA", ["FirstName"] = "Ada", ["LastName"] = "Byron" };

        var record = await ResolveAsync(IdentityMatch.Found("Contact", TestData.ContactId, current), Mapped("Contact", AdaValues()), options, owner);

        record.Fields.ContainsField("OwnerId").Should().BeFalse();
        record.Fields.GetString("LastName").Should().Be("Lovelace");
    }

    [Fact]
    public async Task ResolveAsync_RecordOwnerOnANewPerson_UsesTheNextFallback()
    {
        var owner = new ResolvedOwner(null, OwnerStrategy.RecordOwner)
        {
            Fallbacks = [new ResolvedOwner(TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner), ResolvedOwner.ConnectingUser],
        };

        var record = await ResolveAsync(IdentityMatch.None, Mapped("Contact", AdaValues()), owner: owner);

        record.Fields.GetString("OwnerId").Should().Be(TestData.DefaultOwnerId);
    }

    [Theory]
    [InlineData(OwnerStrategy.AgentUser, true, TestData.AgentUserId)]
    [InlineData(OwnerStrategy.AgentUser, false, TestData.AgentUserId)]
    [InlineData(OwnerStrategy.RecordOwner, true, null)]
    [InlineData(OwnerStrategy.RecordOwner, false, TestData.DefaultOwnerId)]
    public void OwnerFor_Strategy_ReturnsTheOwnerToWrite(OwnerStrategy strategy, bool existing, string? expected)
    {
        var owner = new ResolvedOwner(strategy == OwnerStrategy.AgentUser ? TestData.AgentUserId : null, strategy)
        {
            Fallbacks = [new ResolvedOwner(null, OwnerStrategy.RecordOwner), new ResolvedOwner(TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner)],
        };

        DefaultRecordResolver.OwnerFor(owner, existing).Should().Be(expected);
    }
}
