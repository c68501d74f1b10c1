using ChatToSalesforce.Actions;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Actions;
using ChatToSalesforce.Tests.Export;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/chatbot-actions.md run against the emulator.</summary>
public sealed class ChatbotActionsSnippets
{
    #region Snippet:chatbot-actions-1
    private sealed class CreateLeadStep(IChatbotActions actions)
    {
        public async Task<string?> RunAsync(string email, string lastName, string company, CancellationToken cancellationToken)
        {
            BotActionResult result = await actions.CreateRecordAsync(
                new CreateRecordRequest
                {
                    ObjectType = "Lead",
                    Fields = new Dictionary<string, string?>
                    {
                        ["Email"] = email,
                        ["LastName"] = lastName,
                        ["Company"] = company,
                        ["LeadSource"] = "Chat",
                    },
                    KeyField = "Email",   // update the Lead with this email instead of creating a second one
                },
                cancellationToken);

            return result.Outcome is BotActionOutcome.Created or BotActionOutcome.Updated ? result.RecordId : null;
        }
    }
    #endregion

    #region Snippet:chatbot-actions-2
    private sealed class FindOrderStep(IChatbotActions actions)
    {
        public async Task<IReadOnlyDictionary<string, string?>?> RunAsync(string orderNumber, CancellationToken cancellationToken)
        {
            BotActionResult result = await actions.FindRecordAsync(
                new FindRecordRequest { ObjectType = "Order__c", Field = "Order_Number__c", Value = orderNumber, ReturnFields = ["Status__c", "Account__r.Name"] },
                cancellationToken);

            return result.Outcome == BotActionOutcome.Found ? result.Values : null;   // NotFound: the "no match" branch
        }
    }
    #endregion

    #region Snippet:chatbot-actions-3
    private sealed class SoqlStep(IChatbotActions actions)
    {
        // Parse once, when the bot action is configured: an unsafe or invalid template throws here, naming the position.
        private readonly BotSoqlTemplate _template = BotSoqlTemplate.Parse(
            "SELECT Id, Name, Account.Name FROM Contact WHERE Email = {!Visitor.Email} AND Member_Level__c IN ({!custom:level}, 'Gold')");

        public Task<BotActionResult> RunAsync(Conversation conversation, CancellationToken cancellationToken) =>
            actions.FindRecordBySoqlAsync(new SoqlFindRequest { Template = _template, Conversation = conversation }, cancellationToken);
    }
    #endregion

    [Fact]
    public async Task The_create_step_creates_once_and_updates_the_second_time()
    {
        using var host = new ActionsHost();
        var step = new CreateLeadStep(host.Bot);

        var first = await step.RunAsync("bot@acme.example", "Bot", "Acme", CancellationToken.None);
        var second = await step.RunAsync("BOT@acme.example", "Bot", "Acme Inc", CancellationToken.None);

        first.Should().NotBeNull();
        second.Should().Be(first);
        host.Org.Records("Lead").Should().ContainSingle().Which.Text("Company").Should().Be("Acme Inc");
    }

    [Fact]
    public async Task The_find_step_reads_a_custom_object_and_its_parent()
    {
        var org = new SalesforceEmulator();
        org.DefineObject("Order__c", new EmulatorField { Name = "Order_Number__c" }, new EmulatorField { Name = "Status__c" },
            new EmulatorField { Name = "Account__c", Type = EmulatorFieldType.Reference, ReferenceTo = ["Account"] });
        using var host = new ActionsHost(emulator: org);
        var account = org.Insert("Account", new { Name = "Acme Corp" });
        org.Insert("Order__c", new { Order_Number__c = "A-1", Status__c = "Shipped", Account__c = account });
        var step = new FindOrderStep(host.Bot);

        var found = await step.RunAsync("a-1", CancellationToken.None);
        var missing = await step.RunAsync("B-2", CancellationToken.None);

        found!["Status__c"].Should().Be("Shipped");
        found["Account__r.Name"].Should().Be("Acme Corp");
        missing.Should().BeNull();
    }

    [Fact]
    public async Task The_soql_step_binds_the_conversation_and_a_custom_value()
    {
        var org = new SalesforceEmulator();
        org.DefineField("Contact", new EmulatorField { Name = "Member_Level__c" });
        using var host = new ActionsHost(emulator: org);
        var contact = org.Insert("Contact", new { LastName = "Lovelace", Email = "ada@acme.example", Member_Level__c = "Silver" });
        var conversation = new Conversation
        {
            Id = "chat-1",
            Visitor = new ChatVisitor { Email = "ada@acme.example" },
            CustomFields = new Dictionary<string, string?> { ["level"] = "Silver" },
        };

        var result = await new SoqlStep(host.Bot).RunAsync(conversation, CancellationToken.None);

        result.Outcome.Should().Be(BotActionOutcome.Found, result.ToString());
        result.RecordId.Should().Be(contact);
        result.Values.Keys.Should().BeEquivalentTo(["Id", "Name", "Account.Name"]);
    }
}
