using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Recipes;

/// <summary>docs/recipes.md, "LoyJoy": Record mode on a custom object, with and without a key field.</summary>
public sealed class LoyJoyRecipeTests
{
    private const string ObjectType = "Chatbot_Lead__c";

    private static EmulatorHost Host(string? keyField) => EmulatorHost.Create(
        o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = ObjectType;
            o.Record.KeyField = keyField;
            o.UpdatePolicy = UpdatePolicy.Overwrite;
            o.OwnerStrategies = [OwnerStrategy.ConnectingUser];
            o.FieldMappings.Add(new FieldMapping { Source = "visitor.email", Target = "Chatbot_Lead__c.Email__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "visitor.name", Target = "Chatbot_Lead__c.Name" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:zip", Target = "Chatbot_Lead__c.Postal_Code__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:newsletter", Target = "Chatbot_Lead__c.Newsletter_Opt_In__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.id", Target = "Chatbot_Lead__c.Last_Chat_Id__c" });
        },
        e => e.DefineObject(ObjectType,
            new EmulatorField { Name = "Email__c", Type = EmulatorFieldType.Email },
            new EmulatorField { Name = "Postal_Code__c", Length = 10 },
            new EmulatorField { Name = "Newsletter_Opt_In__c", Type = EmulatorFieldType.Boolean, DefaultValue = false },
            new EmulatorField { Name = "Last_Chat_Id__c" }));

    private static Conversation Bot(string id, string zip, string newsletter, string? email = "ada@example.com") =>
        Chats.New(id: id, email: email, custom: new Dictionary<string, string?> { ["zip"] = zip, ["newsletter"] = newsletter });

    [Fact]
    public async Task WithKeyField_FirstExportCreates_SecondUpdatesTheSameRecord_TwoCallsEach()
    {
        await using var host = Host("Email__c");

        var first = await host.Exporter.ExportAsync(Bot("bot-1", "10115", "no"));
        var afterFirst = host.Emulator.ApiCallsUsed;
        var second = await host.Exporter.ExportAsync(Bot("bot-2", "80331", "yes"));

        first.Status.Should().Be(ExportStatus.Exported, first.SkipReason);
        first.Person.Should().Be(new SalesforceRecordRef(ObjectType, first.Person!.Id, RecordChange.Created));
        second.Person.Should().Be(first.Person with { Change = RecordChange.Updated });
        first.Activity.Should().BeNull();
        first.ApiCalls.Should().Be(2);
        second.ApiCalls.Should().Be(2);
        afterFirst.Should().Be(2);
        (host.Emulator.ApiCallsUsed - afterFirst).Should().Be(2);
        var record = host.Emulator.Records(ObjectType).Should().ContainSingle().Subject;
        record.Text("Name").Should().Be("Ada Lovelace");
        record.Text("Email__c").Should().Be("ada@example.com");
        record.Text("Postal_Code__c").Should().Be("80331");
        record["Newsletter_Opt_In__c"]!.GetValue<bool>().Should().BeTrue();
        record.Text("Last_Chat_Id__c").Should().Be("bot-2");
        record.Text("OwnerId").Should().Be(host.Emulator.IntegrationUserId);
        host.Emulator.Records("Contact").Should().BeEmpty();
        host.Emulator.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task WithKeyField_NoKeyValue_IsSkipped()
    {
        await using var host = Host("Email__c");

        var result = await host.Exporter.ExportAsync(Bot("bot-1", "10115", "no", email: null));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("Chatbot_Lead__c.Email__c");
        host.Emulator.Records(ObjectType).Should().BeEmpty();
    }

    [Fact]
    public async Task WithoutKeyField_EveryExportCreates_TwoCallsColdThenOne()
    {
        await using var host = Host(keyField: null);

        var first = await host.Exporter.ExportAsync(Bot("bot-1", "10115", "no"));
        var second = await host.Exporter.ExportAsync(Bot("bot-1", "10115", "checked"));

        first.Person!.Change.Should().Be(RecordChange.Created);
        second.Person!.Change.Should().Be(RecordChange.Created);
        second.Person.Id.Should().NotBe(first.Person.Id);
        first.ApiCalls.Should().Be(2);
        second.ApiCalls.Should().Be(1);
        host.Emulator.ApiCallsUsed.Should().Be(3);
        host.Emulator.Records(ObjectType).Should().HaveCount(2);
        host.Emulator.Get(ObjectType, first.Person.Id)["Newsletter_Opt_In__c"]!.GetValue<bool>().Should().BeFalse();
        host.Emulator.Get(ObjectType, second.Person.Id)["Newsletter_Opt_In__c"]!.GetValue<bool>().Should().BeTrue();
    }
}
