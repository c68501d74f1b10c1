using ChatToSalesforce.Identity;
using ChatToSalesforce.Ownership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/configuration.md, compiled (G22); the options they set pass validation.</summary>
public sealed class ConfigurationSnippets
{
    internal static void ConfigureInCode(IServiceCollection services, string clientId, string clientSecret)
    {
        #region Snippet:configuration-1
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = clientId;
            o.Authentication.ClientSecret = clientSecret;
            o.Mode = ExportMode.ContactAndTask;
            o.UpdatePolicy = UpdatePolicy.FillBlanks;
            o.ProtectedFields = ["OwnerId", "LeadSource"];
            o.OwnerStrategies = [OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner];
            o.DefaultOwnerId = "005000000000001AAA";
            o.ConversationIdField = "Chat_Conversation_Id__c";
            o.Identity.Rules =
            [
                new IdentificationRule { Kind = IdentificationRuleKind.Email },
                new IdentificationRule { Kind = IdentificationRuleKind.Phone },
            ];
            o.Identity.Precedence = PersonPrecedence.ContactThenLead;
            o.Identity.MultipleMatches = MultipleMatchPolicy.Skip;
            o.Identity.RequiredSources = ["visitor.lastName"];
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Student Type", Target = "Contact.Mongoose_Student_Type__c" });
            o.Transcript.SubjectTemplate = "Chat {conversationId} with {visitor} ({date})";
            o.Resilience.MaxRetryAttempts = 5;
            o.ApiBudget = 0.8;
        });
        #endregion
    }

    [Fact]
    public void ConfigureInCode_PassesValidation()
    {
        var services = new ServiceCollection();
        ConfigureInCode(services, "3MVG9-client", "secret");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;

        options.Identity.Precedence.Should().Be(PersonPrecedence.ContactThenLead);
        options.OwnerStrategies.Should().Equal(OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner);
    }
}
