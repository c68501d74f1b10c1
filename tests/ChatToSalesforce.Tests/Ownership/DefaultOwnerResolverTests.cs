using System.Text.Json.Nodes;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Ownership.Internal;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Ownership;

public class DefaultOwnerResolverTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeSalesforceReader _reader = new();
    private readonly DefaultOwnerResolver _resolver;

    public DefaultOwnerResolverTests()
    {
        _resolver = new DefaultOwnerResolver(new OrgMetadataCache(_time));
    }

    private async Task<ResolvedOwner> ResolveAsync(ChatAgent? agent, SalesforceChatExportOptions? options = null) =>
        await _resolver.ResolveOwnerAsync(new OwnerResolutionContext
        {
            Conversation = TestData.Conversation(agent: agent),
            Options = options ?? TestData.Options(o => o.DefaultOwnerId = TestData.DefaultOwnerId),
            Salesforce = _reader,
        }, CancellationToken.None);

    private void AnswerAgentUser() => _reader.Answer("FROM User", new JsonObject { ["Id"] = TestData.AgentUserId });

    [Fact]
    public async Task ResolveOwnerAsync_AgentWithAUser_OwnsWithDefaultOwnerAndConnectingUserAsFallbacks()
    {
        AnswerAgentUser();

        var owner = await ResolveAsync(new ChatAgent { Name = "Grace", Email = "grace@example.com" });

        owner.OwnerId.Should().Be(TestData.AgentUserId);
        owner.Strategy.Should().Be(OwnerStrategy.AgentUser);
        owner.Fallbacks.Select(f => (f.OwnerId, f.Strategy)).Should().Equal((TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner), (null, OwnerStrategy.ConnectingUser));
    }

    [Fact]
    public async Task ResolveOwnerAsync_AgentEmail_QueriesActiveUsersWithAnEscapedLiteral()
    {
        await ResolveAsync(new ChatAgent { Email = " o'brien@x.com " });

        _reader.Lookups.Should().ContainSingle().Which.Should().BeEquivalentTo(DefaultOwnerResolver.AgentUserLookup("o'brien@x.com"));
        _reader.Queries.Should().ContainSingle().Which.Should().Contain(@"Email = 'o\'brien@x.com'");
    }

    [Fact]
    public async Task ResolveOwnerAsync_AgentWithoutAUser_FallsToTheDefaultOwner()
    {
        var owner = await ResolveAsync(new ChatAgent { Email = "grace@example.com" });

        owner.OwnerId.Should().Be(TestData.DefaultOwnerId);
        owner.Strategy.Should().Be(OwnerStrategy.DefaultOwner);
        owner.Fallbacks.Should().Equal(ResolvedOwner.ConnectingUser);
    }

    [Fact]
    public async Task ResolveOwnerAsync_NoAgent_UsesTheDefaultOwnerWithoutAQuery()
    {
        var owner = await ResolveAsync(agent: null);

        owner.OwnerId.Should().Be(TestData.DefaultOwnerId);
        _reader.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveOwnerAsync_AgentWithoutEmail_MakesNoQuery()
    {
        var owner = await ResolveAsync(new ChatAgent { Name = "Bot", Email = "  " });

        owner.Strategy.Should().Be(OwnerStrategy.DefaultOwner);
        _reader.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveOwnerAsync_NoAgentNoDefaultOwner_IsTheConnectingUser()
    {
        var owner = await ResolveAsync(agent: null, TestData.Options());

        owner.Should().Be(ResolvedOwner.ConnectingUser);
        owner.OwnerId.Should().BeNull();
        owner.Fallbacks.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveOwnerAsync_SameAgentAgain_UsesTheCacheWithoutAQuery()
    {
        AnswerAgentUser();
        await ResolveAsync(new ChatAgent { Email = "grace@example.com" });

        var owner = await ResolveAsync(new ChatAgent { Email = " GRACE@example.com" });

        owner.OwnerId.Should().Be(TestData.AgentUserId);
        _reader.Queries.Should().HaveCount(1);
    }

    [Fact]
    public async Task ResolveOwnerAsync_AgentWithoutUserAgain_CachesTheMissToo()
    {
        await ResolveAsync(new ChatAgent { Email = "grace@example.com" });

        var owner = await ResolveAsync(new ChatAgent { Email = "grace@example.com" });

        owner.Strategy.Should().Be(OwnerStrategy.DefaultOwner);
        _reader.Queries.Should().HaveCount(1);
    }

    [Fact]
    public async Task ResolveOwnerAsync_OtherOrg_QueriesAgain()
    {
        AnswerAgentUser();
        await ResolveAsync(new ChatAgent { Email = "grace@example.com" });

        await ResolveAsync(new ChatAgent { Email = "grace@example.com" }, TestData.Options(o => o.InstanceUrl = new Uri("https://other.my.salesforce.com")));

        _reader.Queries.Should().HaveCount(2);
    }

    [Fact]
    public async Task ResolveOwnerAsync_AfterMetadataCacheDuration_QueriesAgain()
    {
        var options = TestData.Options(o => o.MetadataCacheDuration = TimeSpan.FromMinutes(10));
        AnswerAgentUser();
        await ResolveAsync(new ChatAgent { Email = "grace@example.com" }, options);

        _time.Advance(TimeSpan.FromMinutes(9));
        await ResolveAsync(new ChatAgent { Email = "grace@example.com" }, options);
        _reader.Queries.Should().HaveCount(1);

        _time.Advance(TimeSpan.FromMinutes(1));
        await ResolveAsync(new ChatAgent { Email = "grace@example.com" }, options);
        _reader.Queries.Should().HaveCount(2);
    }

    [Fact]
    public async Task ResolveOwnerAsync_StrategiesWithoutConnectingUser_StillEndWithIt()
    {
        var options = TestData.Options(o =>
        {
            o.DefaultOwnerId = TestData.DefaultOwnerId;
            o.OwnerStrategies = [OwnerStrategy.DefaultOwner];
        });

        var owner = await ResolveAsync(new ChatAgent { Email = "grace@example.com" }, options);

        owner.OwnerId.Should().Be(TestData.DefaultOwnerId);
        owner.Fallbacks.Should().Equal(ResolvedOwner.ConnectingUser);
        _reader.Queries.Should().BeEmpty();
    }

    [Fact]
    public async Task ResolveOwnerAsync_ConnectingUserListedFirst_IsStillLast()
    {
        var options = TestData.Options(o =>
        {
            o.DefaultOwnerId = TestData.DefaultOwnerId;
            o.OwnerStrategies = [OwnerStrategy.ConnectingUser, OwnerStrategy.DefaultOwner];
        });

        var owner = await ResolveAsync(agent: null, options);

        owner.Fallbacks.Should().NotBeEmpty();
        owner.Fallbacks[^1].Should().Be(ResolvedOwner.ConnectingUser);
    }

    [Fact]
    public async Task ResolveOwnerAsync_NoStrategies_IsTheConnectingUser()
    {
        var owner = await ResolveAsync(agent: null, TestData.Options(o => o.OwnerStrategies = []));

        owner.Should().Be(ResolvedOwner.ConnectingUser);
    }

    [Fact]
    public async Task ResolveOwnerAsync_RecordOwnerFirst_ReturnsTheMarkerWithFallbacks()
    {
        var options = TestData.Options(o =>
        {
            o.DefaultOwnerId = TestData.DefaultOwnerId;
            o.OwnerStrategies = [OwnerStrategy.RecordOwner, OwnerStrategy.DefaultOwner, OwnerStrategy.RecordOwner];
        });

        var owner = await ResolveAsync(agent: null, options);

        owner.Strategy.Should().Be(OwnerStrategy.RecordOwner);
        owner.OwnerId.Should().BeNull();
        owner.Fallbacks.Select(f => f.Strategy).Should().Equal(OwnerStrategy.DefaultOwner, OwnerStrategy.ConnectingUser);
    }
}
