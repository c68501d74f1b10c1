using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Filtering;
using ChatToSalesforce.Filtering.Internal;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Ownership.Internal;
using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Records;
using ChatToSalesforce.Records.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tests.Infrastructure;
using ChatToSalesforce.Transcripts;
using ChatToSalesforce.Transcripts.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tests.DependencyInjection;

public class SalesforceChatExportServiceCollectionExtensionsTests
{
    private static void Valid(SalesforceChatExportOptions o)
    {
        o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
        o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
        o.Authentication.AccessToken = "token";
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(p => "Salesforce:" + p.Key, p => p.Value)).Build().GetSection("Salesforce");

    private static Dictionary<string, string?> ValidKeys() => new()
    {
        ["InstanceUrl"] = "https://acme.my.salesforce.com",
        ["Authentication:Flow"] = "AccessToken",
        ["Authentication:AccessToken"] = "token",
    };

    private static SalesforceChatExportOptions Bind(IConfiguration section)
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(section);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
    }

    [Fact]
    public void AddSalesforceChatExport_Defaults_ResolveTheDefaultStages()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(Valid);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IConversationExporter>().Should().BeOfType<ConversationExporter>();
        provider.GetRequiredService<IIdentityMatcher>().Should().BeOfType<DefaultIdentityMatcher>();
        provider.GetRequiredService<IRecordResolver>().Should().BeOfType<DefaultRecordResolver>();
        provider.GetRequiredService<IFieldMapper>().Should().BeOfType<DefaultFieldMapper>();
        provider.GetRequiredService<IOwnerResolver>().Should().BeOfType<DefaultOwnerResolver>();
        provider.GetRequiredService<ITranscriptWriter>().Should().BeOfType<DefaultTranscriptWriter>();
        provider.GetRequiredService<ITranscriptFormatter>().Should().BeOfType<PlainTextTranscriptFormatter>();
        provider.GetServices<IExportFilter>().Should().ContainSingle().Which.Should().BeOfType<ConditionExportFilter>();
        provider.GetRequiredService<IConversationExporter>().Should().BeSameAs(provider.GetRequiredService<IConversationExporter>());
    }

    [Fact]
    public void AddSalesforceChatExport_NullArguments_Throw()
    {
        var services = new ServiceCollection();

        FluentActions.Invoking(() => ((IServiceCollection)null!).AddSalesforceChatExport(Valid)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => services.AddSalesforceChatExport((Action<SalesforceChatExportOptions>)null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => services.AddSalesforceChatExport((IConfiguration)null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void AddSalesforceChatExport_CalledTwice_RegistersOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(Valid);
        services.AddSalesforceChatExport(o => o.Mode = ExportMode.LeadAndTask);

        foreach (var type in new[] { typeof(IConversationExporter), typeof(IIdentityMatcher), typeof(IRecordResolver), typeof(IFieldMapper), typeof(IOwnerResolver), typeof(ITranscriptWriter), typeof(ITranscriptFormatter), typeof(ISalesforceClient), typeof(IExportFilter), typeof(OrgMetadataCache) })
        {
            services.Count(d => d.ServiceType == type).Should().Be(1, type.Name);
        }

        services.Count(d => d.ImplementationType == typeof(SalesforceChatExportOptionsValidator)).Should().Be(1);
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        options.InstanceUrl.Should().Be(new Uri("https://acme.my.salesforce.com"));
        options.Mode.Should().Be(ExportMode.LeadAndTask);
    }

    [Fact]
    public void UseStages_AfterAdd_ReplaceTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(Valid)
            .UseIdentityMatcher<CustomMatcher>()
            .UseRecordResolver<CustomRecordResolver>()
            .UseFieldMapper<CustomFieldMapper>()
            .UseOwnerResolver<CustomOwnerResolver>()
            .UseTranscriptWriter<CustomTranscriptWriter>()
            .UseSalesforceClient<CustomClient>();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IIdentityMatcher>().Should().BeOfType<CustomMatcher>();
        provider.GetRequiredService<IRecordResolver>().Should().BeOfType<CustomRecordResolver>();
        provider.GetRequiredService<IFieldMapper>().Should().BeOfType<CustomFieldMapper>();
        provider.GetRequiredService<IOwnerResolver>().Should().BeOfType<CustomOwnerResolver>();
        provider.GetRequiredService<ITranscriptWriter>().Should().BeOfType<CustomTranscriptWriter>();
        provider.GetRequiredService<ISalesforceClient>().Should().BeOfType<CustomClient>();
        services.Count(d => d.ServiceType == typeof(IOwnerResolver)).Should().Be(1);
        provider.GetRequiredService<IConversationExporter>().Should().NotBeNull();
    }

    [Fact]
    public void UseOwnerResolver_AfterAHostRegistration_Wins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IOwnerResolver, OtherOwnerResolver>();
        services.AddSalesforceChatExport(Valid).UseOwnerResolver<CustomOwnerResolver>();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOwnerResolver>().Should().BeOfType<CustomOwnerResolver>();
    }

    [Fact]
    public void AddSalesforceChatExport_HostRegistrationMadeBefore_Wins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IOwnerResolver, CustomOwnerResolver>();
        services.AddSingleton<ISalesforceClient, CustomClient>();
        services.AddSingleton<ITranscriptFormatter, CustomFormatter>();
        services.AddSalesforceChatExport(Valid);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOwnerResolver>().Should().BeOfType<CustomOwnerResolver>();
        provider.GetRequiredService<ISalesforceClient>().Should().BeOfType<CustomClient>();
        provider.GetRequiredService<ITranscriptFormatter>().Should().BeOfType<CustomFormatter>();
        services.Count(d => d.ServiceType == typeof(IOwnerResolver)).Should().Be(1);
    }

    [Fact]
    public void AddExportFilter_AfterAdd_RunsAfterTheDefaultAndIsAddedOnce()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(Valid).AddExportFilter<CustomFilter>().AddExportFilter<CustomFilter>();
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IExportFilter>().Select(f => f.GetType()).Should().Equal(typeof(ConditionExportFilter), typeof(CustomFilter));
    }

    [Fact]
    public void HttpClient_Builder_IsExposedAndNamed()
    {
        var services = new ServiceCollection();

        var builder = services.AddSalesforceChatExport(Valid);

        ReferenceEquals(builder.Services, services).Should().BeTrue();
        builder.HttpClient.Name.Should().Be("ChatToSalesforce").And.Be(SalesforceChatExportServiceCollectionExtensions.HttpClientName);
        builder.HttpClient.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(42));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IHttpClientFactory>().CreateClient("ChatToSalesforce").Timeout.Should().Be(TimeSpan.FromSeconds(42));
    }

    [Fact]
    public void AddSalesforceChatExport_FromConfiguration_BindsWithThePropertyNames()
    {
        var keys = ValidKeys();
        keys["Mode"] = "LeadAndTask";
        keys["UpdatePolicy"] = "Overwrite";
        keys["DefaultOwnerId"] = TestData.DefaultOwnerId;
        keys["MetadataCacheDuration"] = "00:05:00";
        keys["FieldMappings:0:Source"] = "custom:Student Type";
        keys["FieldMappings:0:Target"] = "Lead.Mongoose_Student_Type__c";
        keys["FieldMappings:1:Value"] = "Chat";
        keys["FieldMappings:1:Target"] = "Lead.LeadSource";
        keys["Filters:0:Source"] = "custom:Student Type";
        keys["Filters:0:Equals"] = "Future Student";
        keys["Filters:1:Source"] = "conversation.channel";
        keys["Filters:1:In:0"] = "web";
        keys["Filters:1:In:1"] = "whatsapp";
        keys["Identity:Precedence"] = "ContactThenLead";
        keys["Transcript:TaskStatus"] = "Closed";
        keys["Record:ObjectType"] = "Chat_Lead__c";

        var options = Bind(Section(keys));

        options.Mode.Should().Be(ExportMode.LeadAndTask);
        options.UpdatePolicy.Should().Be(UpdatePolicy.Overwrite);
        options.DefaultOwnerId.Should().Be(TestData.DefaultOwnerId);
        options.MetadataCacheDuration.Should().Be(TimeSpan.FromMinutes(5));
        options.Authentication.Flow.Should().Be(SalesforceAuthFlow.AccessToken);
        options.FieldMappings.Select(m => (m.Source, m.Value, m.Target)).Should().Equal(
            ("custom:Student Type", null, "Lead.Mongoose_Student_Type__c"),
            (null, "Chat", "Lead.LeadSource"));
        options.Filters[0].Equals.Should().Be("Future Student");
        options.Filters[1].In.Should().Equal("web", "whatsapp");
        options.Identity.Precedence.Should().Be(PersonPrecedence.ContactThenLead);
        options.Transcript.TaskStatus.Should().Be("Closed");
        options.Record.ObjectType.Should().Be("Chat_Lead__c");
    }

    [Fact]
    public void AddSalesforceChatExport_FromJson_BindsTheDesignExample()
    {
        const string json = """
            {
              "Salesforce": {
                "InstanceUrl": "https://acme.my.salesforce.com",
                "Authentication": { "Flow": "JwtBearer", "ClientId": "3MVG9", "Username": "integration@acme.com", "PrivateKeyPem": "-----BEGIN PRIVATE KEY-----" },
                "Mode": "LeadAndTask",
                "FieldMappings": [ { "Source": "custom:Student Type", "Target": "Contact.Mongoose_Student_Type__c" } ],
                "ProtectedFields": [ "Email" ],
                "OwnerStrategies": [ "DefaultOwner" ],
                "Identity": { "Rules": [ { "Kind": "Phone", "Field": "MobilePhone" } ], "RequiredSources": [ "visitor.email" ] }
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

        var options = Bind(configuration.GetSection("Salesforce"));

        options.Mode.Should().Be(ExportMode.LeadAndTask);
        options.Authentication.Username.Should().Be("integration@acme.com");
        options.FieldMappings.Should().ContainSingle().Which.Target.Should().Be("Contact.Mongoose_Student_Type__c");
        options.ProtectedFields.Should().Equal("Email");
        options.OwnerStrategies.Should().Equal(OwnerStrategy.DefaultOwner);
        options.Identity.Rules.Should().ContainSingle().Which.Should().Match<IdentificationRule>(r => r.Kind == IdentificationRuleKind.Phone && r.Field == "MobilePhone");
        options.Identity.RequiredSources.Should().Equal("visitor.email");
    }

    [Fact]
    public void AddSalesforceChatExport_ListsAbsentFromConfiguration_KeepTheirDefaults()
    {
        var options = Bind(Section(ValidKeys()));

        options.ProtectedFields.Should().Equal("OwnerId", "Status", "LeadSource");
        options.OwnerStrategies.Should().Equal(OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner, OwnerStrategy.ConnectingUser);
        options.Identity.Rules.Should().ContainSingle().Which.Kind.Should().Be(IdentificationRuleKind.Email);
    }

    [Fact]
    public void AddSalesforceChatExport_UnknownKey_FailsNamingTheKey()
    {
        var keys = ValidKeys();
        keys["Modee"] = "LeadAndTask";

        var act = () => Bind(Section(keys));

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Modee");
    }

    [Fact]
    public void AddSalesforceChatExport_UnknownNestedKey_FailsNamingTheKey()
    {
        var keys = ValidKeys();
        keys["Authentication:ClientSecrett"] = "x";

        var act = () => Bind(Section(keys));

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("ClientSecrett");
    }

    [Fact]
    public void AddSalesforceChatExport_MissingSection_FailsNamingIt()
    {
        var section = new ConfigurationBuilder().Build().GetSection("Salesforce");

        var act = () => Bind(section);

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("'Salesforce' is empty or missing");
    }

    [Fact]
    public void AddSalesforceChatExport_InvalidBoundValues_FailValidation()
    {
        var keys = ValidKeys();
        keys["InstanceUrl"] = "https://login.salesforce.com";

        var act = () => Bind(Section(keys));

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith("InstanceUrl: 'login.salesforce.com' is a login host", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateOnStart_InvalidOptionsInAGenericHost_FailsAtStart()
    {
        using var host = new HostBuilder().ConfigureServices(s => s.AddSalesforceChatExport(o => o.Authentication.Flow = SalesforceAuthFlow.AccessToken)).Build();

        var act = () => host.StartAsync();

        var error = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Failures.Should().Contain(f => f.StartsWith("InstanceUrl: is required", StringComparison.Ordinal));
        error.Failures.Should().Contain(f => f.StartsWith("Authentication.AccessToken: is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateOnStart_ValidOptionsInAGenericHost_Starts()
    {
        using var host = new HostBuilder().ConfigureServices(s => s.AddSalesforceChatExport(Valid)).Build();

        await host.StartAsync();
        await host.StopAsync();

        host.Services.GetRequiredService<IConversationExporter>().Should().NotBeNull();
    }

    private sealed class CustomMatcher : IIdentityMatcher
    {
        public ValueTask<IdentityMatch> MatchAsync(IdentityMatchContext context, CancellationToken cancellationToken) => ValueTask.FromResult(IdentityMatch.None);
    }

    private sealed class CustomRecordResolver : IRecordResolver
    {
        public ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ResolvedRecord { Action = RecordAction.Create, ObjectType = context.PersonObject });
    }

    private sealed class CustomFieldMapper : IFieldMapper
    {
        public ValueTask<FieldMap> MapAsync(FieldMappingContext context, CancellationToken cancellationToken) => ValueTask.FromResult(new FieldMap());
    }

    private sealed class CustomOwnerResolver : IOwnerResolver
    {
        public ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken) => ValueTask.FromResult(ResolvedOwner.ConnectingUser);
    }

    private sealed class OtherOwnerResolver : IOwnerResolver
    {
        public ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken) => ValueTask.FromResult(ResolvedOwner.ConnectingUser);
    }

    private sealed class CustomTranscriptWriter : ITranscriptWriter
    {
        public ValueTask<TranscriptActivity> WriteAsync(TranscriptWriteContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new TranscriptActivity { ObjectType = context.ActivityObject });
    }

    private sealed class CustomFormatter : ITranscriptFormatter
    {
        public string Format(Conversation conversation) => conversation.Id;
    }

    private sealed class CustomFilter : IExportFilter
    {
        public ValueTask<ExportFilterResult> EvaluateAsync(ExportFilterContext context, CancellationToken cancellationToken) => ValueTask.FromResult(ExportFilterResult.Export);
    }

    private sealed class CustomClient : ISalesforceClient
    {
        public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
