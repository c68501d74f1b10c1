using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Tests.Identity;

/// <summary>Hostile values bound through every placeholder position reach only the record that holds exactly that value, in the emulator.</summary>
public sealed class SoqlTemplateEmulatorTests
{
    public static readonly TheoryData<string> Positions = new()
    {
        "SELECT Id FROM Contact WHERE Member_Id__c = {!custom:memberId}",
        "SELECT Id FROM Contact WHERE Member_Id__c IN ({!custom:memberId})",
        "SELECT Id FROM Contact WHERE Member_Id__c IN ('no such id', {!custom:memberId})",
        "SELECT Id FROM Contact WHERE Member_Id__c LIKE {!custom:memberId}",
        "SELECT Id FROM Contact WHERE LastName = 'Target' AND Member_Id__c = {!custom:memberId}",
        "SELECT Id FROM Contact WHERE (Member_Id__c = {!custom:memberId} OR Member_Id__c LIKE {!custom:memberId}) ORDER BY LastName LIMIT 10",
    };

    public static TheoryData<string, string> PositionsAndValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var template in Positions)
        {
            foreach (var value in SoqlTemplateTests.HostileValues)
            {
                data.Add(template, value);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PositionsAndValues))]
    public async Task Query_HostileValue_ReachesOnlyTheRecordHoldingThatValue(string template, string value)
    {
        await using var emulator = new SalesforceEmulator();
        var target = Seed(emulator, value);
        await using var provider = Services(emulator);
        var bound = SoqlTemplate.Parse(template).Template!.Bind(_ => value)!;

        var result = await provider.GetRequiredService<ISalesforceClient>().QueryAsync(bound);

        result.Records.Select(r => r.GetString("Id")).Should().Equal([target], "the bound query was {0}", bound);
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task Query_ValueHeldByNoRecord_ReachesNone(string template)
    {
        await using var emulator = new SalesforceEmulator();
        Seed(emulator, "M-100");
        await using var provider = Services(emulator);

        foreach (var value in new[] { "%", "_____", "' OR Name != '", "M-1%", "m-10_" })
        {
            var bound = SoqlTemplate.Parse(template).Template!.Bind(_ => value)!;

            var result = await provider.GetRequiredService<ISalesforceClient>().QueryAsync(bound);

            result.Records.Should().BeEmpty("no record holds {0}; the bound query was {1}", value, bound);
        }
    }

    [Theory]
    [MemberData(nameof(SoqlTemplateTests.HostileValues), MemberType = typeof(SoqlTemplateTests))]
    public async Task Export_SoqlRuleWithHostileValue_MatchesOnlyTheRecordHoldingThatValue(string value)
    {
        await using var emulator = new SalesforceEmulator();
        var target = Seed(emulator, value);
        await using var provider = Services(emulator, o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Id FROM Contact WHERE Member_Id__c = {!custom:memberId}" },
        ]);
        var contactsBefore = emulator.Records("Contact").Count;

        var result = await provider.GetRequiredService<IConversationExporter>().ExportAsync(
            TestData.Conversation(email: "nobody@example.com", custom: new Dictionary<string, string?> { ["memberId"] = value }));

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person!.Id.Should().Be(target);
        emulator.Records("Contact").Should().HaveCount(contactsBefore);
    }

    [Fact]
    public async Task Export_SoqlRuleMatchingThousandsOfRecords_ReadsOnePageOnly()
    {
        // Regression: the rule ran without a LIMIT, so 2,500 matching Contacts (two pages of 2,000) were all read, the
        // first page twice and the second through queryMore, although the first row decides.
        await using var emulator = new SalesforceEmulator();
        for (var i = 0; i < 2_500; i++)
        {
            emulator.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Lovelace", ["Email"] = $"member{i}@example.com" });
        }

        await using var provider = Services(emulator, o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = "SELECT Id FROM Contact WHERE LastName = {!visitor.lastName}" },
        ]);
        var contactsBefore = emulator.Records("Contact").Count;

        var result = await provider.GetRequiredService<IConversationExporter>().ExportAsync(TestData.Conversation(email: "nobody@example.com"));

        using var scope = new FluentAssertions.Execution.AssertionScope();
        result.Status.Should().Be(ExportStatus.Exported);
        emulator.Records("Contact").Should().HaveCount(contactsBefore, "a Contact the rule found is the person");
        emulator.RequestLog.Select(r => r.Path).Should().NotContain(p => p.Contains("/query/", StringComparison.Ordinal), "no next page is read");
        emulator.ApiCallsUsed.Should().Be(2, "one read round and one write");
    }

    // One Contact holds the value; the others hold what a wildcard or a broken-out literal would reach.
    private static string Seed(SalesforceEmulator emulator, string value)
    {
        emulator.DefineField("Contact", new EmulatorField { Name = "Member_Id__c", Length = 255 });
        var target = emulator.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Target", ["Member_Id__c"] = value });
        foreach (var other in new[] { "M-100", "x", "X1", "decoy", "", "a\\b", "Zoe", "line1", "line2", "'" + value + "'" })
        {
            if (!string.Equals(other, value, StringComparison.OrdinalIgnoreCase))
            {
                emulator.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Other", ["Member_Id__c"] = other.Length == 0 ? null : other });
            }
        }

        return target;
    }

    private static ServiceProvider Services(SalesforceEmulator emulator, Action<SalesforceChatExportOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(options =>
            {
                options.InstanceUrl = emulator.InstanceUrl;
                options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                options.Authentication.AccessToken = emulator.IssueAccessToken();
                configure?.Invoke(options);
            })
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        return services.BuildServiceProvider();
    }
}
