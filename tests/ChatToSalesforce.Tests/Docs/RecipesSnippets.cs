using ChatToSalesforce.Identity;
using ChatToSalesforce.Ownership;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/recipes.md, compiled (G22); every recipe's options pass validation.</summary>
public sealed class RecipesSnippets
{
    internal static void Mongoose(IHostApplicationBuilder builder)
    {
        #region Snippet:recipes-1
        builder.Services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://university.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.JwtBearer;
            o.Authentication.ClientId = "3MVG9...";
            o.Authentication.Username = "mongoose-integration@university.edu";
            o.Authentication.PrivateKeyPath = "/run/secrets/salesforce-jwt.key";
            o.Mode = ExportMode.ContactAndTask;
            o.Identity.RequiredSources = ["visitor.firstName", "visitor.lastName", "visitor.email"];
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Student Type", Target = "Contact.Mongoose_Student_Type__c" });
            o.Filters.Add(new ExportCondition { Source = "custom:Student Type", Equals = "Future Student" });
            o.OwnerStrategies = [OwnerStrategy.DefaultOwner];
            o.DefaultOwnerId = "005000000000001AAA";
        });
        #endregion
    }

    internal static void Qualified(IHostApplicationBuilder builder)
    {
        #region Snippet:recipes-2
        builder.Services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme--uat.sandbox.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.JwtBearer;
            o.Authentication.LoginUrl = new Uri("https://test.salesforce.com");
            o.Authentication.ClientId = "3MVG9...";
            o.Authentication.Username = "qualified-integration@acme.com.uat";
            o.Authentication.PrivateKeyPath = "/run/secrets/salesforce-jwt.key";
            o.Mode = ExportMode.LeadAndTask;
            o.Identity.Precedence = PersonPrecedence.LeadThenContact;
            o.UpdatePolicy = UpdatePolicy.FillBlanks;
            o.CampaignId = "701000000000001AAA";
            o.CampaignMemberStatus = "Responded";
            o.FieldMappings.Add(new FieldMapping { Value = "Chat", Target = "Lead.LeadSource" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.requestPage", Target = "Lead.Website_Chat_Page__c" });
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });
        #endregion
    }

    internal static void Comm100(IHostApplicationBuilder builder)
    {
        #region Snippet:recipes-3
        builder.Services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "3MVG9...";
            o.Authentication.ClientSecret = builder.Configuration["SalesforceClientSecret"];
            o.Mode = ExportMode.LeadAndTask;
            o.UpdatePolicy = UpdatePolicy.Never;
            o.OwnerStrategies = [OwnerStrategy.AgentUser, OwnerStrategy.ConnectingUser];
            o.Identity.Rules =
            [
                new IdentificationRule { Kind = IdentificationRuleKind.Email },
                new IdentificationRule { Kind = IdentificationRuleKind.Phone },
            ];
            o.Identity.RequiredSources = ["visitor.lastName"];
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.id", Target = "Task.Comm100_Chat_Id__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.notes", Target = "Task.Chat_Notes__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.wrapUp", Target = "Task.Chat_Wrap_Up__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.startedAt", Target = "Task.Chat_Start__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.endedAt", Target = "Task.Chat_End__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.requestPage", Target = "Task.Chat_Request_Page__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Product Interest", Target = "Lead.Product_Interest__c" });
        });
        #endregion
    }

    internal static void SupportCases(IHostApplicationBuilder builder)
    {
        #region Snippet:recipes-4
        builder.Services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "3MVG9...";
            o.Authentication.ClientSecret = builder.Configuration["SalesforceClientSecret"];
            o.Mode = ExportMode.ContactAndCase;
            o.UpdatePolicy = UpdatePolicy.Overwrite;
            o.ProtectedFields = ["OwnerId", "Email"];
            o.OwnerStrategies = [OwnerStrategy.AgentUser, OwnerStrategy.ConnectingUser];
            o.ConversationIdField = "Chat_Conversation_Id__c";
            o.Identity.Rules =
            [
                new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Field = "Customer_Number__c", Source = "custom:customerNumber" },
                new IdentificationRule
                {
                    Kind = IdentificationRuleKind.Soql,
                    Soql = "SELECT Id, OwnerId, Email FROM Contact WHERE Email = {!visitor.email} OR Secondary_Email__c = {!visitor.email} ORDER BY LastModifiedDate DESC LIMIT 1",
                },
                new IdentificationRule { Kind = IdentificationRuleKind.Phone, Field = "Phone" },
            ];
            o.Identity.MultipleMatches = MultipleMatchPolicy.Skip;
            o.Transcript.CaseOrigin = "Chat";
            o.Transcript.SubjectTemplate = "{channel} support chat with {visitor}";
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.wrapUp", Target = "Case.Reason" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.requestPage", Target = "Case.Chat_Request_Page__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Order Number", Target = "Case.Order_Number__c" });
        });
        #endregion
    }

    internal static void ChatbotLeads(IHostApplicationBuilder builder)
    {
        #region Snippet:recipes-5
        builder.Services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
            o.Authentication.ClientId = "3MVG9...";
            o.Authentication.ClientSecret = builder.Configuration["SalesforceClientSecret"];
            o.Authentication.RefreshToken = builder.Configuration["SalesforceRefreshToken"];
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chatbot_Lead__c";
            o.Record.KeyField = "Email__c";          // remove to always create a new record
            o.UpdatePolicy = UpdatePolicy.Overwrite;
            o.OwnerStrategies = [OwnerStrategy.ConnectingUser];
            o.FieldMappings.Add(new FieldMapping { Source = "visitor.email", Target = "Chatbot_Lead__c.Email__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "visitor.name", Target = "Chatbot_Lead__c.Name" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:zip", Target = "Chatbot_Lead__c.Postal_Code__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:newsletter", Target = "Chatbot_Lead__c.Newsletter_Opt_In__c" });
            o.FieldMappings.Add(new FieldMapping { Source = "conversation.id", Target = "Chatbot_Lead__c.Last_Chat_Id__c" });
        });
        #endregion
    }

    internal static void PersonKey(IServiceCollection services)
    {
        #region Snippet:recipes-6
        services.AddSalesforceChatExport(o =>
        {
            o.Mode = ExportMode.ContactAndTask;
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.PersonKeySource = "visitor.email";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });
        #endregion
    }

    public static TheoryData<string> Recipes => ["recipes-1", "recipes-2", "recipes-3", "recipes-4", "recipes-5", "recipes-6"];

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Recipe_WithItsSecrets_PassesValidation(string recipe)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SalesforceClientSecret"] = "secret",
            ["SalesforceRefreshToken"] = "5Aep861-refresh",
        });
        Action<IHostApplicationBuilder> register = recipe switch
        {
            "recipes-1" => Mongoose,
            "recipes-2" => Qualified,
            "recipes-3" => Comm100,
            "recipes-4" => SupportCases,
            "recipes-5" => ChatbotLeads,
            _ => b => PersonKey(b.Services),
        };
        register(builder);
        // recipes-6 shows only the person-key settings; the connection comes from elsewhere.
        builder.Services.AddSalesforceChatExport(o => o.InstanceUrl ??= new Uri("https://acme.my.salesforce.com"));
        if (recipe == "recipes-6")
        {
            builder.Services.Configure<SalesforceChatExportOptions>(o =>
            {
                o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                o.Authentication.AccessToken = "00D!token";
            });
        }

        // The JWT recipes point at /run/secrets/salesforce-jwt.key, which validation requires to exist: use a real key file.
        var keyFile = Path.GetTempFileName();
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            File.WriteAllText(keyFile, rsa.ExportRSAPrivateKeyPem());
        }

        builder.Services.PostConfigure<SalesforceChatExportOptions>(o =>
        {
            if (o.Authentication.PrivateKeyPath == "/run/secrets/salesforce-jwt.key")
            {
                o.Authentication.PrivateKeyPath = keyFile;
            }
        });

        try
        {
            using var provider = builder.Services.BuildServiceProvider();
            var options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;

            options.InstanceUrl.Should().NotBeNull();
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
}
