using ChatToSalesforce.Actions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace ChatToSalesforce.Tests.Actions;

/// <summary>The <c>Actions</c> settings bind from configuration and are validated at start-up; the services are registered.</summary>
public sealed class ActionOptionsTests
{
    private static IServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Salesforce:InstanceUrl"] = "https://acme.my.salesforce.com",
            ["Salesforce:Authentication:Flow"] = "AccessToken",
            ["Salesforce:Authentication:AccessToken"] = "00D!token",
        };
        foreach (var (key, value) in settings)
        {
            values["Salesforce:" + key] = value;
        }

        var services = new ServiceCollection();
        services.AddSalesforceChatExport(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Salesforce"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Binds_the_cache_settings_and_registers_the_actions()
    {
        var services = Build(("Actions:CacheDuration", "00:00:10"), ("Actions:MaxCachedResults", "50"));

        var options = services.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;

        options.Actions.CacheDuration.Should().Be(TimeSpan.FromSeconds(10));
        options.Actions.MaxCachedResults.Should().Be(50);
        services.GetService<IVisitorLookup>().Should().NotBeNull();
        services.GetService<IChatbotActions>().Should().NotBeNull();
    }

    [Fact]
    public void Defaults_to_a_thirty_second_cache()
    {
        new SalesforceChatExportOptions().Actions.CacheDuration.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("Actions:CacheDuration", "02:00:00")]
    [InlineData("Actions:CacheDuration", "-00:00:01")]
    [InlineData("Actions:MaxCachedResults", "-1")]
    public void An_out_of_range_setting_is_named(string key, string value)
    {
        var services = Build((key, value));

        var act = () => services.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Actions").And.Contain("CacheDuration");
    }

    [Fact]
    public void An_unknown_key_is_named()
    {
        var services = Build(("Actions:CacheDurtion", "00:00:10"));

        var act = () => services.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("CacheDuration");
    }
}

/// <summary>G18: a host can build every result of the actions in its own tests (and mock the interfaces).</summary>
public sealed class ActionResultConstructionTests
{
    [Fact]
    public async Task Results_ConstructedByAHost_CanBeReturnedFromAMock()
    {
        var actions = NSubstitute.Substitute.For<IChatbotActions>();
        actions.FindRecordAsync(NSubstitute.Arg.Any<FindRecordRequest>(), NSubstitute.Arg.Any<CancellationToken>())
            .Returns(new BotActionResult(BotActionOutcome.Found, "Contact", "003000000000001AAA", new Dictionary<string, string?> { ["Title"] = "CTO" }));
        var lookup = new VisitorLookupResult(new VisitorRecord("Lead", "00Q000000000001AAA", new Dictionary<string, string?> { ["Company"] = "Acme", ["Owner.Name"] = "Sam" }), []);
        var failed = new BotActionResult(BotActionOutcome.Failed, "Lead", failure: new BotActionFailure(BotActionFailureKind.Transient, "down", "SERVER_UNAVAILABLE", []));

        var found = await actions.FindRecordAsync(new FindRecordRequest { ObjectType = "Contact", Field = "Email", Value = "a@b.example" });

        found.Values["Title"].Should().Be("CTO");
        lookup.Match!.AccountName.Should().Be("Acme");
        lookup.Match.OwnerName.Should().Be("Sam");
        failed.ToString().Should().Be("Failed (Transient SERVER_UNAVAILABLE)");
        new CreatableFields("Lead", [], []).ToString().Should().Be("Lead: 0 required, 0 optional field(s)");
    }
}
