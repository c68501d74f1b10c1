using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public class SalesforceObjectDescriptionTests
{
    [Fact]
    public void FromJson_DescribeBody_ReadsFieldsAndActivePicklistValues()
    {
        var json = JsonNode.Parse("""
            {
              "name": "Lead", "keyPrefix": "00Q",
              "fields": [
                { "name": "LastName", "type": "string", "length": 80, "nillable": false, "createable": true, "updateable": true, "defaultedOnCreate": false },
                { "name": "LeadSource", "type": "picklist", "length": 40, "nillable": true, "createable": true, "updateable": true, "restrictedPicklist": true,
                  "picklistValues": [ { "value": "Web", "active": true }, { "value": "Old", "active": false }, { "value": "Chat" } ] },
                { "name": "Visitor_Key__c", "type": "string", "length": 80, "idLookup": true, "unique": true },
                { "name": "Email", "type": "email", "idLookup": true },
                { "name": "OwnerId", "type": "reference", "referenceTo": [ "Group", "User" ] },
                { "type": "string" }
              ]
            }
            """)!;

        var description = DescribeWire.FromJson(json);

        description.Name.Should().Be("Lead");
        description.KeyPrefix.Should().Be("00Q");
        description.Fields.Should().HaveCount(5);
        description.FindField("lastname")!.IsRequiredOnCreate.Should().BeTrue();
        var leadSource = description.FindField("LeadSource")!;
        leadSource.IsRestrictedPicklist.Should().BeTrue();
        leadSource.PicklistValues.Should().Equal("Web", "Chat");
        description.FindField("Visitor_Key__c")!.Should().Match<SalesforceFieldDescription>(f => f.IsExternalId && f.IsUnique);
        description.FindField("Email")!.IsExternalId.Should().BeFalse("idLookup on a standard field does not make it an external id");
        description.FindField("OwnerId")!.ReferenceTo.Should().Equal("Group", "User");
        description.FindField("Missing__c").Should().BeNull();
    }

    [Fact]
    public void FromJson_NotADescribe_ThrowsFormatException()
    {
        FluentActions.Invoking(() => DescribeWire.FromJson(new JsonObject { ["name"] = "Lead" })).Should().Throw<FormatException>();
        FluentActions.Invoking(() => DescribeWire.FromJson(new JsonArray())).Should().Throw<FormatException>();
    }

    [Fact]
    public void IsRequiredOnCreate_BooleanOrDefaultedFields_AreNotRequired()
    {
        new SalesforceFieldDescription("IsActive", "boolean", 0, false, true, true, false, false, false, []).IsRequiredOnCreate.Should().BeFalse();
        new SalesforceFieldDescription("Status", "picklist", 40, false, true, true, true, false, false, []).IsRequiredOnCreate.Should().BeFalse();
        new SalesforceFieldDescription("Name", "string", 80, false, false, false, false, false, false, []).IsRequiredOnCreate.Should().BeFalse();
    }
}
