using System.Net;
using System.Net.Sockets;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>What happens without a protector, without a Redis, and when Redis cannot be reached (no server needed).</summary>
public sealed class StartupAndOutageTests
{
    [Fact]
    public async Task Start_up_fails_with_what_to_do_when_no_protector_is_registered()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSalesforceChatExport(o => o.Authentication.ClientId = "app")
            .UseTenantStore(new InMemorySalesforceTenantStore())
            .UseRedisTokenSharing(o => o.Configuration = "127.0.0.1:6379,password=hunter2-never-shown");
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("services.AddDataProtection()").And.Contain("never stored in clear");
        error.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public async Task Start_up_fails_with_what_to_do_when_there_is_no_redis()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDataProtection();
        builder.Services.AddSalesforceChatExport(o => o.Authentication.ClientId = "app")
            .UseTenantStore(new InMemorySalesforceTenantStore())
            .UseRedisTokenSharing(o => o.LeaseDuration = TimeSpan.Zero);
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var error = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("RedisTokenSharingOptions.Configuration").And.Contain("IConnectionMultiplexer").And.Contain("LeaseDuration");
    }

    [Fact]
    public void The_options_never_show_the_redis_password()
    {
        var options = new RedisTokenSharingOptions { Configuration = "redis.internal:6380,password=hunter2-never-shown,ssl=true" };

        options.ToString().Should().Contain("redis.internal:6380").And.NotContain("hunter2");
    }

    [Fact]
    public async Task An_unreachable_redis_fails_the_export_as_retryable_and_no_worker_refreshes_on_its_own()
    {
        using var org = Orgs.Rotating();
        var logs = new CapturedLogs();
        var refreshToken = org.IssueRefreshToken();
        using var worker = Workers.Build(
            new WorkerSettings
            {
                Redis = $"127.0.0.1:{ClosedPort()},connectTimeout=300,connectRetry=1,password=hunter2-never-shown",
                KeyPrefix = "t:",
                InstanceUrl = org.InstanceUrl,
                RefreshToken = refreshToken,
                Protection = new EphemeralDataProtectionProvider(),
                Handler = org.CreateHandler,
                Logs = logs,
            },
            out _);

        var result = (await worker.GetRequiredService<IConversationExporter>().ExportManyAsync([Workers.Chat("c1")]).ToListAsync()).Single();

        result.Status.Should().Be(ExportStatus.Failed);
        result.FailureKind.Should().Be(ExportFailureKind.RetryLater);
        var error = result.Error.Should().BeOfType<SalesforceAuthenticationException>().Which;
        error.Error.Should().Be("temporarily_unavailable");
        error.Message.Should().Contain("Redis").And.Contain("never refreshes on its own");
        org.TokenRequests().Should().BeEmpty("without the shared state a worker does not know the current refresh token, so it does not refresh");
        var everything = error + "\n" + string.Join('\n', logs.Entries.Select(e => e.Text));
        everything.Should().NotContain("hunter2").And.NotContain(refreshToken);
        logs.Any(4103).Should().BeTrue();
    }

    /// <summary>The problem the package solves, shown without it: two workers with one refresh token and rotation on.</summary>
    [Fact]
    public async Task Without_token_sharing_two_workers_refreshing_one_rotating_grant_make_salesforce_revoke_it()
    {
        using var org = Orgs.Rotating();
        var refreshToken = org.IssueRefreshToken();
        using var a = Unshared(org, refreshToken);
        using var b = Unshared(org, refreshToken);

        var first = await a.GetRequiredService<IConversationExporter>().ExportManyAsync([Workers.Chat("a1")]).ToListAsync();
        var second = await b.GetRequiredService<IConversationExporter>().ExportManyAsync([Workers.Chat("b1")]).ToListAsync();

        first.Single().Status.Should().Be(ExportStatus.Exported);
        second.Single().Error.Should().BeOfType<SalesforceReconnectRequiredException>("B presented the refresh token A had rotated away");
        org.TokenRequests().Select(r => r.StatusCode).Should().Equal(200, 400);
    }

    private static ServiceProvider Unshared(ChatToSalesforce.Testing.SalesforceEmulator org, string refreshToken)
    {
        var services = new ServiceCollection();
        var store = new InMemorySalesforceTenantStore();
        store.Set(Workers.Tenant, Workers.TenantSettings(org.InstanceUrl, refreshToken));
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.Authentication.ClientId = "chat2sf";
            o.Authentication.ClientSecret = "chat2sf";
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(org.CreateHandler);
        builder.UseTenantStore(store);
        return services.BuildServiceProvider();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
