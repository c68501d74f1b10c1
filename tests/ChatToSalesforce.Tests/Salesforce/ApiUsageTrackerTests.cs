using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class ApiUsageTrackerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("api-usage=10018/100000", 10018, 100000)]
    [InlineData("api-usage=113/5000000", 113, 5000000)]
    [InlineData("api-usage=18/5000; api-bursts=1/750", 18, 5000)]
    [InlineData("api-bursts=1/750;api-usage=7/15000", 7, 15000)]
    public void Parse_LimitInfo_ReadsUsage(string header, long used, long limit)
    {
        var snapshot = ApiUsageTracker.Parse(header, Now);

        snapshot.Should().NotBeNull();
        snapshot!.Used.Should().Be(used);
        snapshot.Limit.Should().Be(limit);
        snapshot.ObservedAt.Should().Be(Now);
    }

    [Fact]
    public void Parse_PerAppUsage_ReadsAppQuota()
    {
        var snapshot = ApiUsageTracker.Parse("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-app)", Now)!;

        snapshot.Should().BeEquivalentTo(new { Used = 25L, Limit = 5000L, AppUsed = 17L, AppLimit = 250L, AppName = "sample-app" });
        snapshot.Share.Should().BeApproximately(0.005, 1e-9);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("api-usage=abc/def")]
    public void Parse_Invalid_ReturnsNull(string? header) => ApiUsageTracker.Parse(header, Now).Should().BeNull();

    [Theory]
    [InlineData("73")]
    [InlineData("74")]
    [InlineData("75")]
    public async Task Response_LimitInfoFixture_IsExposedThroughISalesforceApiUsage(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var header = f["response"]!["headers"]!.AsObject().Single(p => p.Key.Equals("Sforce-Limit-Info", StringComparison.OrdinalIgnoreCase)).Value!.GetValue<string>();
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, "{}", ("Sforce-Limit-Info", header)));
        ISalesforceApiUsage usage = h.Usage;
        usage.Current.Should().BeNull();

        await h.Client.GetLimitsAsync();

        usage.Current.Should().BeEquivalentTo(ApiUsageTracker.Parse(header, h.Time.GetUtcNow())! with { OrganizationId = TransportHarness.OrgId, SentByThisProcess = 1 });
    }

    [Fact]
    public async Task ApiBudget_ReachedByLastKnownUsage_FailsFastWithoutSending()
    {
        var h = TransportHarness.Create(o => o.ApiBudget = 0.8);
        var used = 79;
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, "{}", ("Sforce-Limit-Info", $"api-usage={Interlocked.Increment(ref used)}/100")));

        await h.Client.GetLimitsAsync(); // reports 80/100
        var act = () => h.Client.QueryAsync("SELECT Id FROM Contact");

        var ex = (await act.Should().ThrowAsync<SalesforceApiBudgetExceededException>()).Which;
        ex.Used.Should().Be(80);
        ex.Limit.Should().Be(100);
        ex.Message.Should().Contain("ApiBudget");
        h.Handler.ApiRequests.Should().HaveCount(1);
    }

    [Fact]
    public async Task ApiBudget_BelowBudget_Sends()
    {
        var h = TransportHarness.Create(o => o.ApiBudget = 0.8);
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, "{}", ("Sforce-Limit-Info", "api-usage=79/100")));

        await h.Client.GetLimitsAsync();
        await h.Client.GetLimitsAsync();

        h.Handler.ApiRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task ApiBudget_Exceeded_LetsOneProbeThroughPerBreakDurationToRefreshUsage()
    {
        var h = TransportHarness.Create(o => { o.ApiBudget = 0.8; o.Resilience.RequestLimitBreakDuration = TimeSpan.FromMinutes(15); });
        var header = "api-usage=90/100";
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, "{}", ("Sforce-Limit-Info", header)));
        await h.Client.GetLimitsAsync();
        await FluentActions.Awaiting(() => h.Client.GetLimitsAsync()).Should().ThrowAsync<SalesforceApiBudgetExceededException>();

        h.Time.Advance(TimeSpan.FromMinutes(15));
        header = "api-usage=50/100"; // the rolling window freed calls
        await h.Client.GetLimitsAsync(); // the probe
        await h.Client.GetLimitsAsync(); // under budget again

        h.Handler.ApiRequests.Should().HaveCount(3);
    }
}
