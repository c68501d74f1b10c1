using ChatToSalesforce.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tests.DependencyInjection;

/// <summary>Issue 11 item 14: configuration errors in the configuration's terms (nearest key, valid values), never .NET type names.</summary>
public sealed class SectionOptionsBinderMessagesTests
{
    private static IReadOnlyList<string> Failures(Dictionary<string, string?> values)
    {
        values.TryAdd("InstanceUrl", "https://acme.my.salesforce.com");
        values.TryAdd("Authentication:Flow", "AccessToken");
        values.TryAdd("Authentication:AccessToken", "token");
        var section = new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(p => "Salesforce:" + p.Key, p => p.Value)).Build().GetSection("Salesforce");
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(section);
        using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value;
        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        string.Join('\n', failures).Should().NotContain("ChatToSalesforce.").And.NotContain("System.").And.NotContain("ErrorOnUnknownConfiguration");
        return failures;
    }

    [Fact]
    public void UnknownKey_NamesTheNearestKnownKey()
    {
        Failures(new() { ["Mood"] = "LeadAndTask" }).Should().Contain("Mood: is not a known setting; did you mean 'Mode'?");
    }

    [Fact]
    public void UnknownNestedKeyInAList_NamesItsPathAndTheNearestKey()
    {
        Failures(new() { ["FieldMappings:0:Source"] = "visitor.email", ["FieldMappings:0:Targte"] = "Contact.Email" })
            .Should().Contain("FieldMappings[0].Targte: is not a known setting; did you mean 'FieldMappings[0].Target'?");
    }

    [Fact]
    public void UnknownKeyWithNoNearOne_ListsTheKnownKeys()
    {
        Failures(new() { ["Authentication:Xyzzy"] = "1" }).Single().Should().StartWith("Authentication.Xyzzy: is not a known setting of Authentication; the settings here are Flow, LoginUrl, TokenUrl, ClientId");
    }

    [Fact]
    public void BadEnumValue_ListsTheValidValues()
    {
        Failures(new() { ["Mode"] = "ContactTask" }).Should().Contain(
            "Mode: 'ContactTask' is not a valid value; the valid values are ContactAndTask, LeadAndTask, ContactAndCase, LeadAndCase, ContactAndEvent, LeadAndEvent, Record (did you mean 'ContactAndTask'?).");
    }

    [Fact]
    public void BadEnumValueInAList_NamesTheItem()
    {
        Failures(new() { ["OwnerStrategies:1"] = "Nobody" }).Single().Should().StartWith("OwnerStrategies[1]: 'Nobody' is not a valid value; the valid values are ");
    }

    [Theory]
    [InlineData("MaxConcurrency", "four", "MaxConcurrency: 'four' is not a valid value; expected a whole number")]
    [InlineData("AllowTestEndpoint", "yes", "AllowTestEndpoint: 'yes' is not a valid value; expected true or false")]
    [InlineData("MetadataCacheDuration", "1 hour", "MetadataCacheDuration: '1 hour' is not a valid value; expected a duration")]
    [InlineData("ApiBudget", "most", "ApiBudget: 'most' is not a valid value; expected a number")]
    public void BadScalar_SaysWhatIsExpected(string key, string value, string expected)
    {
        Failures(new() { [key] = value }).Single().Should().StartWith(expected);
    }

    [Theory]
    [InlineData("Mood", "Mode")]
    [InlineData("ClinetId", "ClientId")]
    [InlineData("instanceurl", "InstanceUrl")]
    public void Nearest_FindsTypos(string typo, string expected)
    {
        SectionOptionsBinder.Nearest(typo, ["Mode", "ClientId", "InstanceUrl", "Filters"]).Should().Be(expected);
    }

    [Fact]
    public void Nearest_IsNullWhenNothingIsClose()
    {
        SectionOptionsBinder.Nearest("Xyzzy", ["Mode", "ClientId", "InstanceUrl"]).Should().BeNull();
    }
}
