using System.Text;
using ChatToSalesforce.Resilience.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tests.DependencyInjection;

/// <summary>Regression tests: configuration that passed start-up and then failed mid-export, or crashed the validator.</summary>
public sealed class ConfigurationRegressionTests
{
    private static IConfigurationSection Json(string salesforceBody) =>
        new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("{ \"Salesforce\": { \"InstanceUrl\": \"https://acme.my.salesforce.com\", " + salesforceBody + " } }")))
            .Build()
            .GetSection("Salesforce");

    private static ServiceProvider Provider(IConfiguration section)
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(section);
        return services.BuildServiceProvider();
    }

    private static ServiceProvider Provider(Action<SalesforceChatExportOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "token";
            configure(o);
        });
        return services.BuildServiceProvider();
    }

    private const string AccessToken = "\"Authentication\": { \"Flow\": \"AccessToken\", \"AccessToken\": \"token\" }";

    [Fact]
    public void RelativeLoginUrl_JwtBearer_FailsNamingTheSetting()
    {
        using var provider = Provider(Json("\"Authentication\": { \"Flow\": \"JwtBearer\", \"ClientId\": \"id\", \"Username\": \"u@acme.com\", \"PrivateKeyPem\": \"-----BEGIN PRIVATE KEY-----x-----END PRIVATE KEY-----\", \"LoginUrl\": \"test.salesforce.com\" }"));
        var act = () => provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith("Authentication.LoginUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void RelativeTokenUrl_ClientCredentials_FailsNamingTheSetting()
    {
        using var provider = Provider(Json("\"Authentication\": { \"Flow\": \"ClientCredentials\", \"ClientId\": \"id\", \"ClientSecret\": \"s\", \"TokenUrl\": \"acme.my.salesforce.com\" }"));
        var act = () => provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith("Authentication.TokenUrl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("00:00:00.005", "00:05:00")]
    [InlineData("00:01:40", "2.00:00:00")]
    public void TimeoutsPollyRejects_FailAtStartupNotWhenTheTransportIsBuilt(string attempt, string total)
    {
        using var provider = Provider(o =>
        {
            o.Resilience.AttemptTimeout = TimeSpan.Parse(attempt, System.Globalization.CultureInfo.InvariantCulture);
            o.Resilience.TotalTimeout = TimeSpan.Parse(total, System.Globalization.CultureInfo.InvariantCulture);
        });

        // The rule: invalid configuration fails at start-up (options validation) naming the setting; if the options are
        // valid, the transport's pipelines must build.
        SalesforceChatExportOptions? options = null;
        var validation = () => options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        var rejected = false;
        try { validation(); } catch (OptionsValidationException ex) { rejected = ex.Failures.Any(f => f.StartsWith("Resilience.", StringComparison.Ordinal)); }
        if (!rejected)
        {
            var build = () => provider.GetRequiredService<SalesforceResiliencePipelines>();
            build.Should().NotThrow("options that pass start-up validation must not fail when the first export builds the transport");
        }
    }

    [Theory]
    [InlineData(2d, 3d)]
    [InlineData(0.5d, 2d)]
    public void DelaysAboveOneDay_FailAtStartupNotWhenTheTransportIsBuilt(double baseDays, double maxDays)
    {
        using var provider = Provider(o =>
        {
            o.Resilience.BaseDelay = TimeSpan.FromDays(baseDays);
            o.Resilience.MaxDelay = TimeSpan.FromDays(maxDays);
        });
        var rejected = false;
        try { _ = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value; }
        catch (OptionsValidationException ex) { rejected = ex.Failures.Any(f => f.StartsWith("Resilience.", StringComparison.Ordinal)); }
        if (!rejected)
        {
            var build = () => provider.GetRequiredService<SalesforceResiliencePipelines>();
            build.Should().NotThrow();
        }
    }

    [Fact]
    public void ScalarGivenForANestedSection_IsAnError()
    {
        using var provider = Provider(Json(AccessToken + ", \"Identity\": \"Email\""));
        var act = () => provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith("Identity", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyLeadCompanyPlaceholder_InLeadMode_IsRejected()
    {
        using var provider = Provider(o => { o.Mode = ExportMode.LeadAndTask; o.LeadCompanyPlaceholder = " "; });
        var act = () => provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        act.Should().Throw<OptionsValidationException>();
    }

    [Fact]
    public void ScalarGivenForAList_IsAnError_NotAnEmptyList()
    {
        // Salesforce__ProtectedFields=OwnerId (an environment variable) or "ProtectedFields": "OwnerId" (not an array).
        using var provider = Provider(Json(AccessToken + ", \"ProtectedFields\": \"OwnerId\""));
        SalesforceChatExportOptions? options = null;
        var act = () => options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        try { act(); } catch (OptionsValidationException ex) { ex.Failures.Should().Contain(f => f.StartsWith("ProtectedFields", StringComparison.Ordinal)); return; }
        options!.ProtectedFields.Should().Equal(["OwnerId"], "the value given must not silently become 'no protected fields'");
    }

    [Fact]
    public void ScalarGivenForIdentityRules_IsAnError_NotNoRules()
    {
        using var provider = Provider(Json(AccessToken + ", \"Identity\": { \"Rules\": \"Phone\" }"));
        SalesforceChatExportOptions? options = null;
        var act = () => options = provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        try { act(); } catch (OptionsValidationException ex) { ex.Failures.Should().Contain(f => f.StartsWith("Identity.Rules", StringComparison.Ordinal)); return; }
        options!.Identity.Rules.Should().NotBeEmpty("a misshapen Rules value must not silently remove every identification rule");
    }

    [Fact]
    public async Task AttemptTimeoutBelowPollyMinimum_FailsAtStartupNotAtTheFirstExport()
    {
        using var org = new ChatToSalesforce.Testing.SalesforceEmulator();
        ChatToSalesforce.Tests.Export.EmulatorExport host;
        try { host = ChatToSalesforce.Tests.Export.EmulatorExport.Create(org, o => o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(5)); }
        catch (OptionsValidationException ex) { ex.Failures.Should().Contain(f => f.StartsWith("Resilience.AttemptTimeout", StringComparison.Ordinal)); return; }
        using var _ = host;
        var export = async () => await host.Exporter.ExportAsync(ChatToSalesforce.Tests.Infrastructure.TestData.Conversation());
        await export.Should().NotThrowAsync("options that passed start-up validation must not fail the export with a Polly ValidationException");
    }

    [Fact]
    public async Task EmptyLeadCompanyPlaceholder_FailsAtStartupNotAtTheFirstLead()
    {
        using var org = new ChatToSalesforce.Testing.SalesforceEmulator();
        ChatToSalesforce.Tests.Export.EmulatorExport host;
        try { host = ChatToSalesforce.Tests.Export.EmulatorExport.Create(org, o => { o.Mode = ExportMode.LeadAndTask; o.LeadCompanyPlaceholder = ""; }); }
        catch (OptionsValidationException ex) { ex.Failures.Should().Contain(f => f.StartsWith("LeadCompanyPlaceholder", StringComparison.Ordinal)); return; }
        using var _ = host;
        var result = await host.Exporter.ExportAsync(ChatToSalesforce.Tests.Infrastructure.TestData.Conversation(company: null));
        result.Status.Should().Be(ExportStatus.Exported, result.Error?.Message);
    }
}
