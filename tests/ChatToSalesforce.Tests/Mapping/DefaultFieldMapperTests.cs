using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Mapping;

public class DefaultFieldMapperTests
{
    private readonly FakeSalesforceReader _reader = new FakeSalesforceReader().Describe(
        TestData.Contact(TestData.Field("Notes__c", "textarea", 32_768), TestData.Field("Student_Status__c", "picklist", 40, restricted: true, picklist: ["Future Student", "Alumni"])),
        TestData.Lead(),
        TestData.Task(),
        TestData.Case(),
        new ChatToSalesforce.Salesforce.SalesforceObjectDescription("CampaignMember", [TestData.Field("Chat_Topic__c")]),
        new ChatToSalesforce.Salesforce.SalesforceObjectDescription("Chat_Lead__c", [TestData.Field("Email__c", "email", 80), TestData.Field("Visitor_Key__c", externalId: true)]));

    private async Task<FieldMap> MapAsync(Conversation conversation, SalesforceChatExportOptions options) =>
        await new DefaultFieldMapper().MapAsync(new FieldMappingContext
        {
            Conversation = conversation,
            Options = options,
            PersonObject = PersonFields.PersonObject(options),
            ActivityObject = PersonFields.ActivityObject(options.Mode),
            Salesforce = _reader,
        }, CancellationToken.None);

    [Fact]
    public async Task MapAsync_ContactMode_MapsTheStandardPersonFields()
    {
        var map = await MapAsync(TestData.Conversation(email: " ada@example.com ", phone: "+44 20 7946 0958"), TestData.Options());

        var contact = map.For("Contact");
        contact.GetString("FirstName").Should().Be("Ada");
        contact.GetString("LastName").Should().Be("Lovelace");
        contact.GetString("Email").Should().Be("ada@example.com");
        contact.GetString("Phone").Should().Be("+44 20 7946 0958");
        contact.ContainsField("Company").Should().BeFalse();
        map.Objects.Should().Equal("Contact");
        map.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task MapAsync_FullNameOnly_SplitsIt()
    {
        var map = await MapAsync(TestData.Conversation(firstName: null, lastName: null, name: "Ada King Lovelace"), TestData.Options());

        map.For("Contact").GetString("FirstName").Should().Be("Ada King");
        map.For("Contact").GetString("LastName").Should().Be("Lovelace");
    }

    [Fact]
    public async Task MapAsync_LeadWithoutCompany_WritesThePlaceholder()
    {
        var map = await MapAsync(TestData.Conversation(), TestData.Options(o => o.Mode = ExportMode.LeadAndTask));

        map.For("Lead").GetString("Company").Should().Be("[not provided]");
    }

    [Fact]
    public async Task MapAsync_LeadWithCompany_WritesTheCompany()
    {
        var map = await MapAsync(TestData.Conversation(company: "Analytical Engines"), TestData.Options(o =>
        {
            o.Mode = ExportMode.LeadAndCase;
            o.LeadCompanyPlaceholder = "Unknown";
        }));

        map.For("Lead").GetString("Company").Should().Be("Analytical Engines");
    }

    [Fact]
    public async Task MapAsync_ContactThenLead_MapsBothPersonObjects()
    {
        var map = await MapAsync(TestData.Conversation(), TestData.Options(o => o.Identity.Precedence = PersonPrecedence.ContactThenLead));

        map.For("Contact").GetString("Email").Should().Be("ada@example.com");
        map.For("Lead").GetString("Email").Should().Be("ada@example.com");
        map.For("Lead").GetString("Company").Should().Be("[not provided]");
    }

    [Fact]
    public async Task MapAsync_MappingsWithSourceAndValue_SetTheirTargetsWithTheDescribedFieldName()
    {
        var options = TestData.Options(o => o.FieldMappings =
        [
            new FieldMapping { Source = "custom:Student Type", Target = "Contact.mongoose_student_type__c" },
            new FieldMapping { Value = "Chat", Target = "Task.Type" },
            new FieldMapping { Source = "conversation.wrapUp", Target = "Task.Subject" },
        ]);
        var conversation = TestData.Conversation(custom: new Dictionary<string, string?> { ["student type"] = "Future Student" });

        var map = await MapAsync(conversation, options);

        map.For("Contact").GetString("Mongoose_Student_Type__c").Should().Be("Future Student");
        map.For("Task").GetString("Type").Should().Be("Chat");
        map.For("Task").ContainsField("Subject").Should().BeFalse("the conversation has no wrap-up");
    }

    [Fact]
    public async Task MapAsync_UnknownCustomKey_MapsNothing()
    {
        var options = TestData.Options(o => o.FieldMappings = [new FieldMapping { Source = "custom:Nope", Target = "Contact.Mongoose_Student_Type__c" }]);

        var map = await MapAsync(TestData.Conversation(), options);

        map.For("Contact").ContainsField("Mongoose_Student_Type__c").Should().BeFalse();
        map.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task MapAsync_UnknownField_ThrowsNamingTheMappingAndTheField()
    {
        var options = TestData.Options(o => o.FieldMappings =
        [
            new FieldMapping { Value = "Chat", Target = "Task.Type" },
            new FieldMapping { Source = "custom:Student Type", Target = "Contact.Mongoose_Student_Typo__c" },
        ]);
        var conversation = TestData.Conversation(custom: new Dictionary<string, string?> { ["Student Type"] = "Future Student" });

        var act = () => MapAsync(conversation, options);

        var error = (await act.Should().ThrowAsync<ExportConfigurationException>()).Which;
        error.Setting.Should().Be("FieldMappings[1].Target");
        error.Message.Should().Contain("Contact.Mongoose_Student_Typo__c").And.NotContain("Future Student");
    }

    [Fact]
    public async Task MapAsync_NonWritableField_Throws()
    {
        var options = TestData.Options(o => o.FieldMappings = [new FieldMapping { Source = "visitor.name", Target = "Contact.Full_Name__c" }]);

        var act = () => MapAsync(TestData.Conversation(), options);

        var error = (await act.Should().ThrowAsync<ExportConfigurationException>()).Which;
        error.Setting.Should().Be("FieldMappings[0].Target");
        error.Message.Should().Contain("Contact.Full_Name__c cannot be written");
    }

    [Fact]
    public async Task MapAsync_ObjectNotWrittenInTheMode_Throws()
    {
        var options = TestData.Options(o => o.FieldMappings = [new FieldMapping { Value = "Web", Target = "Lead.LeadSource" }]);

        var act = () => MapAsync(TestData.Conversation(), options);

        var error = (await act.Should().ThrowAsync<ExportConfigurationException>()).Which;
        error.Setting.Should().Be("FieldMappings[0].Target");
        error.Message.Should().Contain("'Lead' is not written in mode ContactAndTask").And.Contain("Contact").And.Contain("Task");
    }

    [Fact]
    public async Task MapAsync_ObjectNotWrittenEvenWithoutAValue_Throws()
    {
        var options = TestData.Options(o => o.FieldMappings = [new FieldMapping { Source = "custom:absent", Target = "Case.Subject" }]);

        var act = () => MapAsync(TestData.Conversation(), options);

        await act.Should().ThrowAsync<ExportConfigurationException>().Where(e => e.Setting == "FieldMappings[0].Target");
    }

    [Fact]
    public async Task MapAsync_CaseMode_AllowsCaseTargets()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.ContactAndCase;
            o.FieldMappings = [new FieldMapping { Value = "Web", Target = "Case.Origin" }];
        });

        var map = await MapAsync(TestData.Conversation(), options);

        map.For("Case").GetString("Origin").Should().Be("Web");
    }

    [Fact]
    public async Task MapAsync_CampaignMemberTarget_IsWrittenOnlyWithACampaign()
    {
        var mapping = new FieldMapping { Source = "conversation.channel", Target = "CampaignMember.Chat_Topic__c" };

        var withoutCampaign = () => MapAsync(TestData.Conversation(), TestData.Options(o => o.FieldMappings = [mapping]));
        var map = await MapAsync(TestData.Conversation(), TestData.Options(o =>
        {
            o.CampaignId = TestData.CampaignId;
            o.FieldMappings = [mapping];
        }));

        await withoutCampaign.Should().ThrowAsync<ExportConfigurationException>();
        map.For("CampaignMember").GetString("Chat_Topic__c").Should().Be("web");
    }

    [Fact]
    public async Task MapAsync_HugeCustomValue_IsTruncatedWithAWarningWithoutValueText()
    {
        var huge = string.Concat(Enumerable.Repeat("secret-", 100 * 1024 / 7 + 1));
        var options = TestData.Options(o => o.FieldMappings = [new FieldMapping { Source = "custom:notes", Target = "Contact.Notes__c" }]);

        var map = await MapAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["notes"] = huge }), options);

        map.For("Contact").GetString("Notes__c").Should().HaveLength(32_768);
        map.Warnings.Should().ContainSingle().Which.Should().Contain("Contact.Notes__c").And.Contain("32768").And.NotContain("secret");
    }

    [Fact]
    public async Task MapAsync_RestrictedPicklistDrop_LeavesTheFieldOutWithAWarning()
    {
        var options = TestData.Options(o => o.FieldMappings = [new FieldMapping { Source = "custom:status", Target = "Contact.Student_Status__c" }]);

        var map = await MapAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["status"] = "Dropout" }), options);

        map.For("Contact").ContainsField("Student_Status__c").Should().BeFalse();
        map.Warnings.Should().ContainSingle().Which.Should().Contain("Contact.Student_Status__c").And.NotContain("Dropout");
    }

    [Fact]
    public async Task MapAsync_RestrictedPicklistFail_Throws()
    {
        var options = TestData.Options(o =>
        {
            o.RestrictedPicklistPolicy = PicklistPolicy.Fail;
            o.FieldMappings = [new FieldMapping { Source = "custom:status", Target = "Contact.Student_Status__c" }];
        });

        var act = () => MapAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["status"] = "Dropout" }), options);

        await act.Should().ThrowAsync<ExportConfigurationException>().Where(e => e.Setting == "RestrictedPicklistPolicy");
    }

    [Fact]
    public async Task MapAsync_RecordMode_MapsOnlyTheMappings()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.FieldMappings = [new FieldMapping { Source = "visitor.email", Target = "Chat_Lead__c.Email__c" }];
        });

        var map = await MapAsync(TestData.Conversation(), options);

        map.Objects.Should().Equal("Chat_Lead__c");
        map.For("Chat_Lead__c").Select(p => p.Key).Should().Equal("Email__c");
    }

    [Fact]
    public async Task MapAsync_RecordModeTargetingContact_Throws()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.FieldMappings = [new FieldMapping { Source = "visitor.email", Target = "Contact.Email" }];
        });

        var act = () => MapAsync(TestData.Conversation(), options);

        await act.Should().ThrowAsync<ExportConfigurationException>().Where(e => e.Message.Contains("not written in mode Record"));
    }
}
