using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.DependencyInjection;

public class SalesforceChatExportOptionsValidatorTests
{
    private static IReadOnlyList<string> Errors(Action<SalesforceChatExportOptions> configure)
    {
        var result = new SalesforceChatExportOptionsValidator().Validate(null, TestData.Options(configure));
        return result.Failed ? result.Failures.ToList() : [];
    }

    private static void Jwt(SalesforceChatExportOptions o)
    {
        o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.JwtBearer,
            ClientId = "3MVG9",
            Username = "integration@acme.com",
            PrivateKeyPem = "-----BEGIN PRIVATE KEY-----",
        };
    }

    [Fact]
    public void Ctor_Defaults()
    {
        var o = new SalesforceChatExportOptions();

        o.InstanceUrl.Should().BeNull();
        o.ApiVersion.Should().Be("62.0");
        o.AllowTestEndpoint.Should().BeFalse();
        o.Authentication.Flow.Should().Be(SalesforceAuthFlow.JwtBearer);
        o.Authentication.LoginUrl.Should().Be(new Uri("https://login.salesforce.com"));
        o.Authentication.TokenUrl.Should().BeNull();
        o.Resilience.MaxRetryAttempts.Should().Be(3);
        o.Resilience.BaseDelay.Should().Be(TimeSpan.FromMilliseconds(500));
        o.Resilience.MaxDelay.Should().Be(TimeSpan.FromSeconds(30));
        o.Resilience.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(100));
        o.Resilience.TotalTimeout.Should().Be(TimeSpan.FromMinutes(5));
        o.Resilience.RequestLimitBreakDuration.Should().Be(TimeSpan.FromMinutes(15));
        o.Mode.Should().Be(ExportMode.ContactAndTask);
        o.UpdatePolicy.Should().Be(UpdatePolicy.FillBlanks);
        o.ProtectedFields.Should().Equal("OwnerId", "Status", "LeadSource");
        o.DefaultOwnerId.Should().BeNull();
        o.OwnerStrategies.Should().Equal(OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner, OwnerStrategy.ConnectingUser);
        o.SuppressAssignmentRules.Should().BeTrue();
        o.ConversationIdField.Should().BeNull();
        o.PersonKeyField.Should().BeNull();
        o.PersonKeySource.Should().Be("visitor.email");
        o.FieldMappings.Should().BeEmpty();
        o.Filters.Should().BeEmpty();
        o.Identity.Rules.Should().ContainSingle().Which.Kind.Should().Be(IdentificationRuleKind.Email);
        o.Identity.Precedence.Should().Be(PersonPrecedence.ModeObjectOnly);
        o.Identity.MultipleMatches.Should().Be(MultipleMatchPolicy.MostRecentlyModified);
        o.Identity.RequiredSources.Should().BeNull();
        o.Identity.MatchPersonAccounts.Should().BeFalse();
        o.Transcript.SubjectTemplate.Should().Be("Chat with {visitor} – {channel}");
        o.Transcript.TaskStatus.Should().Be("Completed");
        o.Transcript.CaseOrigin.Should().Be("Chat");
        o.Transcript.AttachFullTranscriptWhenTruncated.Should().BeTrue();
        o.Transcript.UploadAttachments.Should().BeTrue();
        o.LeadCompanyPlaceholder.Should().Be("[not provided]");
        o.CampaignId.Should().BeNull();
        o.CampaignMemberStatus.Should().BeNull();
        o.Record.ObjectType.Should().BeNull();
        o.Record.KeyField.Should().BeNull();
        o.RestrictedPicklistPolicy.Should().Be(PicklistPolicy.Drop);
        o.DuplicateRuleHeader.Should().BeNull();
        o.MaxConcurrency.Should().Be(4);
        o.MetadataCacheDuration.Should().Be(TimeSpan.FromHours(1));
        o.ApiBudget.Should().BeNull();
        o.Transcript.ReopenWindow.Should().BeNull();
        o.Actions.FollowPushedExports.Should().BeFalse();
    }

    [Fact]
    public void Validate_Defaults_ReportMissingInstanceUrlAndJwtCredentials()
    {
        var result = new SalesforceChatExportOptionsValidator().Validate(null, new SalesforceChatExportOptions());

        result.Failures.Should().Equal(
            "InstanceUrl: is required; set it to your org's My Domain URL, for example https://acme.my.salesforce.com (Setup → My Domain).",
            "Authentication.ClientId: is required for the JwtBearer flow; set it to the External Client App's consumer key.",
            "Authentication.Username: is required for the JwtBearer flow; set it to the Salesforce username to act as.",
            "Authentication.PrivateKeyPem: the JwtBearer flow needs the RSA private key; set PrivateKeyPem (PEM text) or PrivateKeyPath (a PEM file).");
    }

    [Fact]
    public void Validate_ValidOptions_Succeeds()
    {
        Errors(_ => { }).Should().BeEmpty();
        Errors(Jwt).Should().BeEmpty();
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com")]
    [InlineData("https://na1.salesforce.com/")]
    public void Validate_MyDomainInstanceUrls_AreAccepted(string url)
    {
        Errors(o => o.InstanceUrl = new Uri(url)).Should().BeEmpty();
    }

    [Fact]
    public void Validate_HttpInstanceUrl_SaysUseHttps()
    {
        Errors(o => o.InstanceUrl = new Uri("http://acme.my.salesforce.com")).Should().Equal(
            "InstanceUrl: 'http://acme.my.salesforce.com/' must use https; Salesforce only serves the API over https (set AllowTestEndpoint only for a local emulator).");
    }

    [Theory]
    [InlineData("https://login.salesforce.com", "login.salesforce.com")]
    [InlineData("https://TEST.salesforce.com/", "TEST.salesforce.com")]
    public void Validate_LoginHostAsInstanceUrl_SaysItIsALoginHost(string url, string host)
    {
        Errors(o => o.InstanceUrl = new Uri(url)).Should().ContainSingle().Which.Should().Be(
            $"InstanceUrl: '{host.ToLowerInvariant()}' is a login host, not an instance URL; use your org's My Domain URL (for example https://acme.my.salesforce.com, or https://acme--uat.sandbox.my.salesforce.com for a sandbox).");
    }

    [Fact]
    public void Validate_NonSalesforceHostWithoutAllowTestEndpoint_SaysSo()
    {
        Errors(o => o.InstanceUrl = new Uri("https://salesforce.example.com")).Should().Equal(
            "InstanceUrl: 'salesforce.example.com' is not a Salesforce My Domain host; use your org's My Domain URL ending in .my.salesforce.com (set AllowTestEndpoint to use a local emulator).");
    }

    [Fact]
    public void Validate_InstanceUrlWithAPath_SaysSo()
    {
        Errors(o => o.InstanceUrl = new Uri("https://acme.my.salesforce.com/services/data")).Should().ContainSingle().Which.Should().Contain("has a path");
    }

    [Fact]
    public void Validate_LoopbackWithAllowTestEndpoint_IsAccepted()
    {
        Errors(o =>
        {
            o.InstanceUrl = new Uri("http://127.0.0.1:5055");
            o.AllowTestEndpoint = true;
        }).Should().BeEmpty();
    }

    [Fact]
    public void Validate_JwtBearerWithoutCredentials_NamesEachMissingOne()
    {
        Errors(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.JwtBearer }).Should().Equal(
            "Authentication.ClientId: is required for the JwtBearer flow; set it to the External Client App's consumer key.",
            "Authentication.Username: is required for the JwtBearer flow; set it to the Salesforce username to act as.",
            "Authentication.PrivateKeyPem: the JwtBearer flow needs the RSA private key; set PrivateKeyPem (PEM text) or PrivateKeyPath (a PEM file).");
    }

    [Fact]
    public void Validate_JwtBearerWithAMissingKeyFile_SaysTheFileDoesNotExist()
    {
        Errors(o =>
        {
            Jwt(o);
            o.Authentication.PrivateKeyPem = null;
            o.Authentication.PrivateKeyPath = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "key.pem");
        }).Should().Equal("Authentication.PrivateKeyPath: the file does not exist; point it at the PEM file holding the RSA private key.");
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("http://login.salesforce.com")]
    public void Validate_JwtBearerWithAnotherAudience_SaysUseTheLoginHost(string loginUrl)
    {
        Errors(o =>
        {
            Jwt(o);
            o.Authentication.LoginUrl = new Uri(loginUrl);
        }).Should().Equal("Authentication.LoginUrl: the JWT audience must be https://login.salesforce.com (production) or https://test.salesforce.com (sandbox).");
    }

    [Fact]
    public void Validate_ClientCredentialsWithoutSecretAndWithTheLoginTokenUrl_ReportsBoth()
    {
        Errors(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.ClientCredentials,
            ClientId = "3MVG9",
            TokenUrl = new Uri("https://login.salesforce.com"),
        }).Should().Equal(
            "Authentication.ClientSecret: is required for the ClientCredentials flow; set it to the External Client App's consumer secret.",
            "Authentication.TokenUrl: the ClientCredentials flow only works on the org's My Domain token URL (login/test hosts answer 'request not supported on this domain'); remove TokenUrl to use InstanceUrl.");
    }

    [Fact]
    public void Validate_ClientCredentialsComplete_IsAccepted()
    {
        Errors(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.ClientCredentials, ClientId = "3MVG9", ClientSecret = "secret" })
            .Should().BeEmpty();
    }

    [Fact]
    public void Validate_RefreshTokenWithoutCredentials_NamesEachMissingOne()
    {
        Errors(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.RefreshToken, RefreshToken = "  " }).Should().Equal(
            "Authentication.ClientId: is required for the RefreshToken flow; set it to the External Client App's consumer key.",
            "Authentication.RefreshToken: is required for the RefreshToken flow; set it to the refresh token obtained when the user authorized the app.");
    }

    [Fact]
    public void Validate_AccessTokenFlowWithoutToken_SaysSo()
    {
        Errors(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.AccessToken }).Should().Equal(
            "Authentication.AccessToken: is required for the AccessToken flow; set it to an access token your application manages.");
    }

    [Fact]
    public void Validate_Messages_NeverContainSecrets()
    {
        var errors = Errors(o =>
        {
            o.InstanceUrl = new Uri("http://acme.my.salesforce.com");
            o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.ClientCredentials, ClientId = "3MVG9", ClientSecret = "s3cr3t-value", TokenUrl = new Uri("https://login.salesforce.com") };
        });

        errors.Should().NotBeEmpty().And.OnlyContain(e => !e.Contains("s3cr3t-value", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00Q000000000001")]
    [InlineData("0050000000001")]
    [InlineData("005000000000001AA")]
    [InlineData("005000000000001AAAA")]
    [InlineData("005 00000000001")]
    public void Validate_MalformedDefaultOwnerId_SaysUseAUserId(string ownerId)
    {
        Errors(o => o.DefaultOwnerId = ownerId).Should().Equal(
            $"DefaultOwnerId: '{ownerId}' is not a Salesforce User id; use the 15- or 18-character id that starts with 005 (Setup → Users → the user's URL).");
    }

    [Theory]
    [InlineData("005000000000001")]
    [InlineData("005000000000001AAA")]
    public void Validate_UserIdOf15Or18Characters_IsAccepted(string ownerId)
    {
        Errors(o => o.DefaultOwnerId = ownerId).Should().BeEmpty();
    }

    [Theory]
    [InlineData("allowSave=true\r\nX-Injected: 1")]
    [InlineData("allowSave=true\n")]
    [InlineData("allowSave=tr\u00fce")]
    [InlineData("allowSave=true\u0000")]
    public void Validate_DuplicateRuleHeaderAnHttpHeaderCannotCarry_IsRefusedAtStartUpNamingTheSetting(string header)
    {
        // Regression: a line break in DuplicateRuleHeader passed validation and only failed at the first write.
        Errors(o => o.DuplicateRuleHeader = header).Should().ContainSingle().Which.Should()
            .StartWith("DuplicateRuleHeader: ").And.Contain("allowSave=true").And.NotContain("X-Injected").And.NotContain("\n");
    }

    [Theory]
    [InlineData("allowSave=true")]
    [InlineData("allowSave=true, includeRecordDetails=true, runAsCurrentUser=true")]
    public void Validate_DuplicateRuleHeaderOfPlainText_IsAccepted(string header)
    {
        Errors(o => o.DuplicateRuleHeader = header).Should().BeEmpty();
    }

    [Fact]
    public void Validate_UnknownMappingSource_NamesTheMapping()
    {
        Errors(o => o.FieldMappings = [new FieldMapping { Source = "custom:Student Type", Target = "Contact.A__c" }, new FieldMapping { Source = "visitor.age", Target = "Contact.Age__c" }])
            .Should().ContainSingle().Which.Should().StartWith("FieldMappings[1].Source: 'visitor.age' is not a known source; use one of visitor.firstName");
    }

    [Theory]
    [InlineData("Contact")]
    [InlineData("Contact.")]
    [InlineData(".Email")]
    [InlineData("Contact.Account.Name")]
    [InlineData("Contact.Bad Field")]
    [InlineData("")]
    public void Validate_UnparsableMappingTarget_NamesTheMapping(string target)
    {
        Errors(o => o.FieldMappings = [new FieldMapping { Source = "visitor.email", Target = target }]).Should().Equal(
            $"FieldMappings[0].Target: '{target}' is not '<Object>.<Field>'; write for example 'Contact.Mongoose_Student_Type__c' or 'Task.Type'.");
    }

    [Fact]
    public void Validate_MappingWithBothOrNeitherSourceAndValue_SaysSetExactlyOne()
    {
        Errors(o => o.FieldMappings =
        [
            new FieldMapping { Source = "visitor.email", Value = "x", Target = "Contact.Email" },
            new FieldMapping { Target = "Contact.Email" },
        ]).Should().Equal(
            "FieldMappings[0]: set exactly one of Source (a conversation value) and Value (a constant).",
            "FieldMappings[1]: set exactly one of Source (a conversation value) and Value (a constant).");
    }

    [Fact]
    public void Validate_FilterWithZeroOperators_SaysSetExactlyOne()
    {
        Errors(o => o.Filters = [new ExportCondition { Source = "custom:Student Type" }]).Should().Equal(
            "Filters[0]: set exactly one of Equals, NotEquals, In or Exists (found 0).");
    }

    [Fact]
    public void Validate_FilterWithTwoOperators_SaysSetExactlyOne()
    {
        Errors(o => o.Filters = [new ExportCondition { Source = "visitor.email", Exists = true }, new ExportCondition { Source = "custom:Student Type", Equals = "A", In = ["B"] }]).Should().Equal(
            "Filters[1]: set exactly one of Equals, NotEquals, In or Exists (found 2).");
    }

    [Fact]
    public void Validate_FilterWithBadSource_NamesIt()
    {
        Errors(o => o.Filters = [new ExportCondition { Source = "custom:", Exists = true }]).Should().Equal(
            "Filters[0].Source: names no custom key; write 'custom:<key>', for example 'custom:Student Type'.");
    }

    [Fact]
    public void Validate_RecordModeWithoutObjectType_SaysNameTheSObject()
    {
        Errors(o => o.Mode = ExportMode.Record).Should().Equal(
            "Record.ObjectType: the Record mode needs the sObject to write, for example 'Chat_Lead__c'.");
    }

    [Fact]
    public void Validate_RecordModeKeyFieldNotMapped_SaysMapIt()
    {
        Errors(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.Record.KeyField = "Visitor_Key__c";
            o.FieldMappings = [new FieldMapping { Source = "visitor.email", Target = "Chat_Lead__c.Email__c" }];
        }).Should().Equal(
            "Record.KeyField: 'Visitor_Key__c' is not one of the mapped targets of Chat_Lead__c; map a value to 'Chat_Lead__c.Visitor_Key__c' or remove KeyField to always create.");
    }

    [Fact]
    public void Validate_RecordModeComplete_IsAccepted()
    {
        Errors(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.Record.KeyField = "visitor_key__c";
            o.FieldMappings = [new FieldMapping { Source = "custom:visitorId", Target = "Chat_Lead__c.Visitor_Key__c" }];
        }).Should().BeEmpty();
    }

    [Fact]
    public void Validate_IdentityRules_AreChecked()
    {
        Errors(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Source = "custom:visitorId" },
            new IdentificationRule { Kind = IdentificationRuleKind.Phone, Field = "Mobile Phone" },
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Name FROM Contact" },
            new IdentificationRule { Kind = IdentificationRuleKind.ExternalId, Field = "Key__c", Source = "visitor.age" },
        ]).Should().Equal(
            "Identity.Rules[0].Field: is required; give a Salesforce field API name.",
            "Identity.Rules[1].Field: 'Mobile Phone' is not a Salesforce field API name (letters, digits and underscores, for example Chat_Conversation_Id__c).",
            "Identity.Rules[2].Soql: must be a SELECT that selects Id, for example \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\".",
            "Identity.Rules[3].Source: 'visitor.age' is not a known source; use one of " + string.Join(", ", ChatToSalesforce.Conversations.Internal.ConversationValues.Sources) + " or 'custom:<key>'.");
    }

    [Fact]
    public void Validate_InvalidValues_ReportsAllErrors()
    {
        var errors = Errors(o =>
        {
            o.InstanceUrl = new Uri("https://login.salesforce.com");
            o.ApiVersion = "latest";
            o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.RefreshToken };
            o.Resilience.MaxRetryAttempts = 11;
            o.Resilience.BaseDelay = TimeSpan.FromMinutes(2);
            o.Resilience.AttemptTimeout = TimeSpan.Zero;
            o.Resilience.RequestLimitBreakDuration = TimeSpan.Zero;
            o.ApiBudget = 1.5;
            o.MaxConcurrency = 0;
            o.MetadataCacheDuration = TimeSpan.Zero;
            o.DefaultOwnerId = "00Q000000000001";
            o.CampaignId = "7010";
            o.ConversationIdField = "Chat Conversation";
            o.PersonKeyField = "Key__c";
            o.PersonKeySource = "visitor.shoeSize";
            o.ProtectedFields = ["OwnerId", "Bad.Field"];
            o.FieldMappings = [new FieldMapping { Source = "visitor.age", Target = "Contact" }];
            o.Filters = [new ExportCondition { Source = "custom:x" }];
            o.Identity.RequiredSources = ["visitor.email", "visitor.age"];
            o.Transcript.SubjectTemplate = " ";
        });

        errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]).Should().BeEquivalentTo(new[] {
            "InstanceUrl",
            "ApiVersion",
            "Resilience.MaxRetryAttempts",
            "Resilience.BaseDelay/MaxDelay",
            "Resilience.AttemptTimeout",
            "Resilience.RequestLimitBreakDuration",
            "ApiBudget",
            "MaxConcurrency",
            "MetadataCacheDuration",
            "Authentication.ClientId",
            "Authentication.RefreshToken",
            "DefaultOwnerId",
            "CampaignId",
            "ConversationIdField",
            "PersonKeySource",
            "ProtectedFields['Bad.Field']",
            "FieldMappings[0].Source",
            "FieldMappings[0].Target",
            "Filters[0]",
            "Identity.RequiredSources['visitor.age']",
            "Transcript.SubjectTemplate" });
    }

    [Fact]
    public void Validate_RangeAndRequiredRules_ComeFromTheAttributesWithTheUsersWords()
    {
        var errors = Errors(o =>
        {
            o.MaxConcurrency = 26;
            o.ApiBudget = double.NaN;
            o.ApiBudgets.Live = 0;
            o.Resilience.MaxRetryAttempts = -1;
            o.Resilience.RequestLimitBreakDuration = TimeSpan.FromMilliseconds(999);
            o.Actions.CacheDuration = TimeSpan.FromHours(2);
            o.Actions.MaxCachedResults = -1;
            o.MetadataCacheDuration = TimeSpan.FromSeconds(-1);
            o.Transcript.SubjectTemplate = "";
        });

        errors.Should().BeEquivalentTo(new[]
        {
            "MaxConcurrency: must be between 1 and 25 (Salesforce allows 25 concurrent long-running requests per org).",
            "MetadataCacheDuration: must be positive.",
            "ApiBudget: must be a share of the daily allocation in (0, 1], for example 0.8; or leave it unset.",
            "ApiBudgets.Live: must be a share of the daily allocation in (0, 1], for example 0.8; or leave it unset.",
            "Resilience.MaxRetryAttempts: must be between 0 and 10.",
            "Resilience.RequestLimitBreakDuration: must be at least 1 second.",
            "Actions.CacheDuration: must be between 00:00:00 (no cache) and 01:00:00.",
            "Actions.MaxCachedResults: must not be negative (it caps how many answers CacheDuration keeps).",
            "Transcript.SubjectTemplate: must not be empty; for example 'Chat with {visitor} – {channel}'.",
        });
        errors.Should().NotContain(e => e.Contains("Options", StringComparison.Ordinal) || e.Contains("The field", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]
    public void Validate_RangeEnds_AreAccepted(int concurrency)
    {
        Errors(o =>
        {
            o.MaxConcurrency = concurrency;
            o.ApiBudget = 1;
            o.Actions.CacheDuration = TimeSpan.Zero;
            o.Resilience.MaxRetryAttempts = 0;
            o.Resilience.RequestLimitBreakDuration = TimeSpan.FromSeconds(1);
        }).Should().BeEmpty();
    }

    [Fact]
    public void Validate_ATenantsSettings_RunTheSameAttributeRulesNamingTheTenant()
    {
        var options = TestData.Options(o => o.MaxConcurrency = 0);

        var act = () => ChatToSalesforce.Tenancy.Internal.TenantOptions.Validate("acme", options, [new SalesforceChatExportOptionsValidator()]);

        act.Should().Throw<Exception>().Which.Message.Should().Contain("acme").And.Contain("MaxConcurrency: must be between 1 and 25");
    }
}
