using ChatToSalesforce.Actions;
using ChatToSalesforce.Tests.Actions;
using ChatToSalesforce.Tests.Export;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# block of docs/agent-console.md runs against the emulator and says what the page says it shows.</summary>
public sealed class AgentConsoleSnippets
{
    #region Snippet:agent-console-1
    private sealed class SalesforcePanel(IVisitorLookup lookup)
    {
        public async Task<string> DescribeAsync(string? visitorEmail, string? visitorPhone, CancellationToken cancellationToken)
        {
            VisitorLookupResult result = await lookup.LookupAsync(
                new VisitorLookupRequest
                {
                    Email = visitorEmail,
                    Phone = visitorPhone,
                    Fields = ["Contact.Title", "Lead.Status"],   // extra fields, as Object.Field
                },
                cancellationToken);

            if (result.Match is not { } person)
            {
                return result.SkipReason ?? "New visitor: the export will create the person.";
            }

            return $"{person.ObjectType} {person.Fields["Name"]} at {person.AccountName}, owned by {person.OwnerName}"
                + (result.Records.Count > 1 ? $" ({result.Records.Count} records match)" : string.Empty);
        }
    }
    #endregion

    [Fact]
    public async Task The_panel_shows_the_person_the_Account_and_the_owner()
    {
        using var host = new ActionsHost();
        var owner = host.Org.SeedUser("owner@acme.example");
        var account = host.Org.Insert("Account", new { Name = "Acme Corp" });
        host.Org.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@acme.example", AccountId = account, OwnerId = owner });
        var panel = new SalesforcePanel(host.Lookup);

        var known = await panel.DescribeAsync("ada@acme.example", null, CancellationToken.None);
        var unknown = await panel.DescribeAsync("new@example.com", null, CancellationToken.None);

        known.Should().StartWith("Contact Ada Lovelace at Acme Corp, owned by ");
        unknown.Should().Be("New visitor: the export will create the person.");
    }
}
