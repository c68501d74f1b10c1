using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Recipes;

/// <summary>docs/recipes.md, "Idempotent and cheapest": person key upsert plus ConversationIdField.</summary>
public sealed class IdempotentCheapestRecipeTests
{
    private static EmulatorHost Host() => EmulatorHost.Create(
        o =>
        {
            o.Mode = ExportMode.ContactAndTask;
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.PersonKeySource = "visitor.email";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        },
        e =>
        {
            e.DefineField("Contact", new EmulatorField { Name = "Chat_Visitor_Key__c", ExternalId = true, Unique = true });
            e.DefineField("Task", new EmulatorField { Name = "Chat_Conversation_Id__c", ExternalId = true, Unique = true });
        });

    [Fact]
    public async Task ColdTwoCalls_ThenOneCallPerConversation_AndAReplayConverges()
    {
        await using var host = Host();

        var first = await host.Exporter.ExportAsync(Chats.New(id: "c-1"));
        var afterFirst = host.Emulator.ApiCallsUsed;
        var second = await host.Exporter.ExportAsync(Chats.New(id: "c-2"));
        var replay = await host.Exporter.ExportAsync(Chats.New(id: "c-2", messages: 4));

        first.ApiCalls.Should().Be(2);
        afterFirst.Should().Be(2);
        second.ApiCalls.Should().Be(1);
        replay.ApiCalls.Should().Be(1);
        host.Emulator.ApiCallsUsed.Should().Be(4);
        first.Person!.Change.Should().Be(RecordChange.Created);
        second.Person!.Id.Should().Be(first.Person.Id);
        replay.Activity.Should().Be(second.Activity! with { Change = RecordChange.Updated });
        var contact = host.Emulator.Records("Contact").Should().ContainSingle().Subject;
        contact.Text("Chat_Visitor_Key__c").Should().Be("ada@example.com");
        host.Emulator.Records("Task").Should().HaveCount(2).And.OnlyContain(t => t.Text("WhoId") == contact.Text("Id"));
        host.Emulator.Records("Task").Select(t => t.Text("Chat_Conversation_Id__c")).Should().BeEquivalentTo("c-1", "c-2");
    }
}
