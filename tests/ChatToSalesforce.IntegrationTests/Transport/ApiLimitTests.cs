using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>Issue #4: the daily request limit opens a circuit (at most one call per break), and ApiBudget stops before the call.</summary>
public sealed class ApiLimitTests
{
    private static readonly TimeSpan Break = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task DailyLimitExhausted_NextExportsFailFastWithoutCalls_UntilTheBreakHasPassed()
    {
        var clock = new ManualTimeProvider();
        await using var host = EmulatorHost.Create(
            o => o.Resilience.RequestLimitBreakDuration = Break,
            services: s => s.AddSingleton<TimeProvider>(clock));
        (await host.Exporter.ExportAsync(Chats.New(id: "warm-up", email: "warm@example.com", name: "Warm Up"))).Status.Should().Be(ExportStatus.Exported);
        host.Emulator.DailyApiLimit = host.Emulator.ApiCallsUsed; // the allocation is used up
        host.Emulator.ClearRequestLog();

        // The call that meets the limit: one request, not retried.
        var first = (await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceApiException>()).Which;
        first.ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        first.IsTransient.Should().BeFalse();
        host.Emulator.RequestLog.Should().ContainSingle().Which.StatusCode.Should().Be(403);

        // While the circuit is open: nothing is sent.
        for (var i = 0; i < 5; i++)
        {
            await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New(id: $"chat-{i}"))).Should().ThrowAsync<SalesforceApiBudgetExceededException>();
        }

        clock.Advance(Break - TimeSpan.FromSeconds(1));
        await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceApiBudgetExceededException>();
        host.Emulator.RequestLog.Should().ContainSingle();

        // After the break, one call probes; the org is still exhausted, so the circuit opens again.
        clock.Advance(TimeSpan.FromSeconds(2));
        (await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceApiBudgetExceededException>();
        host.Emulator.RequestLog.Should().HaveCount(2);

        // The rolling window frees calls; after the next break exports resume.
        host.Emulator.DailyApiLimit = 100_000;
        clock.Advance(Break + TimeSpan.FromSeconds(1));
        var resumed = await host.Exporter.ExportAsync(Chats.New());
        resumed.Status.Should().Be(ExportStatus.Exported);
        host.Emulator.Records("Task").Should().HaveCount(2);
    }

    [Fact]
    public async Task InjectedTotalRequestsFault_OpensTheCircuit_ForEveryLaterRequestOfTheClient()
    {
        var clock = new ManualTimeProvider();
        await using var host = EmulatorHost.Create(
            o => o.Resilience.RequestLimitBreakDuration = Break,
            services: s => s.AddSingleton<TimeProvider>(clock));
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 1, StatusCode = 403, ErrorCode = "REQUEST_LIMIT_EXCEEDED", Message = "TotalRequests Limit exceeded." });

        (await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        var client = host.Services.GetRequiredService<ISalesforceClient>();
        await FluentActions.Awaiting(() => client.QueryAsync("SELECT Id FROM Contact")).Should().ThrowAsync<SalesforceApiBudgetExceededException>();
        await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceApiBudgetExceededException>();
        host.Emulator.RequestLog.Should().ContainSingle("the exhausted org cost one call in this break");

        clock.Advance(Break + TimeSpan.FromSeconds(1));
        (await host.Exporter.ExportAsync(Chats.New())).Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task ConcurrentRequestLimit_IsTransient_RetriedWithoutOpeningTheCircuit()
    {
        await using var host = EmulatorHost.Create();
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 1, StatusCode = 403, ErrorCode = "REQUEST_LIMIT_EXCEEDED", Message = "ConcurrentPerOrgLongTxn Limit exceeded." });

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        (await host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "grace@example.com", name: "Grace Hopper"))).Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task ApiBudget_UsageAtOrAbove80Percent_ThrowsBudgetExceededBeforeTheCall()
    {
        var clock = new ManualTimeProvider();
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.ApiBudget = 0.8;
                o.Resilience.RequestLimitBreakDuration = Break;
            },
            seed: e => e.DailyApiLimit = 5,
            services: s => s.AddSingleton<TimeProvider>(clock));

        (await host.Exporter.ExportAsync(Chats.New(id: "chat-1", email: "one@example.com", name: "One Visitor"))).ApiCalls.Should().Be(2); // 2/5
        (await host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "two@example.com", name: "Two Visitor"))).ApiCalls.Should().Be(2); // 4/5 = 80 %
        host.Services.GetRequiredService<ISalesforceApiUsage>().Current.Should().BeEquivalentTo(new { Used = 4L, Limit = 5L });
        var requests = host.Emulator.RequestLog.Count;

        var error = (await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New(id: "chat-3"))).Should().ThrowAsync<SalesforceApiBudgetExceededException>()).Which;

        error.Used.Should().Be(4);
        error.Limit.Should().Be(5);
        host.Emulator.RequestLog.Should().HaveCount(requests, "nothing is sent over budget");
        host.Emulator.ApiCallsUsed.Should().Be(4, "one call is left for the org's other integrations");
    }

    [Fact]
    public async Task ApiBudget_AfterTheBreak_OneProbeLearnsThatTheWindowFreedCallsAndExportsResume()
    {
        var clock = new ManualTimeProvider();
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.ApiBudget = 0.8;
                o.Resilience.RequestLimitBreakDuration = Break;
            },
            seed: e => e.DailyApiLimit = 5,
            services: s => s.AddSingleton<TimeProvider>(clock));
        await host.Exporter.ExportAsync(Chats.New(id: "chat-1", email: "one@example.com", name: "One Visitor"));
        await host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "two@example.com", name: "Two Visitor"));
        await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceApiBudgetExceededException>();

        host.Emulator.ResetApiUsage(); // the rolling 24 hours moved on
        clock.Advance(Break + TimeSpan.FromSeconds(1));
        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        host.Services.GetRequiredService<ISalesforceApiUsage>().Current!.Used.Should().Be(2);
    }
}
