using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>Issue #4: a hundred concurrent exports with an expired token make exactly one token request.</summary>
public sealed class SingleFlightTests
{
    private const int Concurrency = 100;

    [Theory]
    [InlineData(SalesforceAuthFlow.ClientCredentials)]
    [InlineData(SalesforceAuthFlow.RefreshToken)]
    public async Task HundredConcurrentExports_AfterTheSessionExpired_MakeExactlyOneTokenRequest(SalesforceAuthFlow flow)
    {
        var store = new RecordingRefreshTokenStore();
        string? refreshToken = null;
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.Authentication.Flow = flow;
                o.Authentication.ClientId = "app";
                o.Authentication.ClientSecret = "secret";
                o.Authentication.RefreshToken = refreshToken;
            },
            seed: e => refreshToken = e.IssueRefreshToken(),
            // With rotation, a second concurrent refresh would send a rotated-away token and revoke everything.
            emulatorOptions: new SalesforceEmulatorOptions { RefreshTokenRotation = true },
            services: s => s.AddSingleton<ISalesforceRefreshTokenStore>(store));

        (await host.Exporter.ExportAsync(Chats.New())).Status.Should().Be(ExportStatus.Exported);
        host.Emulator.TokenRequests().Should().Be(1);

        host.Emulator.ExpireAllSessions();
        host.Emulator.ClearRequestLog();
        var results = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(i =>
            Task.Run(() => host.Exporter.ExportAsync(Chats.New(id: $"concurrent-{i}", email: $"visitor{i}@example.com", name: $"Visitor Number{i}")))));

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        host.Emulator.TokenRequests().Should().Be(1);
        host.Emulator.RequestLog.Should().Contain(r => r.StatusCode == 401, "the expired session was used and rejected");
        host.Emulator.Records("Task").Should().HaveCount(Concurrency + 1);
        if (flow == SalesforceAuthFlow.RefreshToken)
        {
            store.Saved.Should().HaveCount(2).And.OnlyHaveUniqueItems();
        }
    }
}
