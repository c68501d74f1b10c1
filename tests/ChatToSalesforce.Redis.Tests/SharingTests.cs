using ChatToSalesforce.Redis.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Tenancy.Internal;
using ChatToSalesforce.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>
/// Two workers (two service providers, as two processes would have) sharing one tenant's grant through a real Redis,
/// against an org with Refresh Token Rotation on.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SharingTests(RedisServer redis) : IDisposable
{
    private readonly EphemeralDataProtectionProvider _protection = new();
    private readonly SalesforceEmulator _org = Orgs.Rotating();
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12] + ":";
    private readonly List<ServiceProvider> _workers = [];

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        _org.Dispose();
    }

    [SkippableFact]
    public async Task Two_workers_share_one_token_and_refresh_once_per_expiry()
    {
        var refreshToken = _org.IssueRefreshToken();
        var a = Worker(refreshToken);
        var b = Worker(refreshToken);

        var first = await Task.WhenAll(Workers.ExportConcurrentlyAsync(a, "a1", 20), Workers.ExportConcurrentlyAsync(b, "b1", 20));
        _org.TokenRequests().Should().HaveCount(1, "one worker refreshed; the other used the shared token");

        _org.ExpireAllSessions();
        var second = await Task.WhenAll(Workers.ExportConcurrentlyAsync(a, "a2", 20), Workers.ExportConcurrentlyAsync(b, "b2", 20));

        first.Concat(second).SelectMany(r => r).Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.TokenRequests().Should().HaveCount(2, "one refresh per expiry, whichever worker noticed it first");
        _org.TokenRequests().Should().OnlyContain(r => r.StatusCode == 200, "no rotated-away refresh token was reused (that answers invalid_grant and revokes the family)");
    }

    [SkippableFact]
    public async Task A_rejected_token_forces_a_refresh_only_while_it_is_still_the_shared_one()
    {
        var refreshToken = _org.IssueRefreshToken();
        var a = Worker(refreshToken);
        var b = Worker(refreshToken);
        (await Export(a, "a1")).Status.Should().Be(ExportStatus.Exported);
        _org.TokenRequests().Should().HaveCount(1);

        _org.ExpireAllSessions();
        (await Export(b, "b1")).Status.Should().Be(ExportStatus.Exported);   // B is rejected with the shared token, and refreshes
        _org.TokenRequests().Should().HaveCount(2);

        (await Export(a, "a2")).Status.Should().Be(ExportStatus.Exported);   // A is rejected with the old token: the shared one is newer

        _org.TokenRequests().Should().HaveCount(2, "A's rejected token was no longer the shared one, so A took B's token instead of refreshing");
        _org.TokenRequests().Should().OnlyContain(r => r.StatusCode == 200);
    }

    [SkippableFact]
    public async Task A_crashed_lease_holder_is_replaced_once_its_lease_runs_out()
    {
        var refreshToken = _org.IssueRefreshToken();
        var logs = new CapturedLogs();
        var a = Worker(refreshToken, TimeSpan.FromSeconds(1), logs);
        var coordinator = a.GetRequiredService<RedisTokenCoordinator>();
        var keys = coordinator.KeysOf(GrantOf(refreshToken));

        // What a holder that crashed mid-refresh leaves behind: its lease, with nobody to renew or release it.
        await redis.Connection!.GetDatabase().StringSetAsync(keys.Lease, "crashed-worker", TimeSpan.FromSeconds(1), When.NotExists);
        var result = await Export(a, "a1");

        result.Status.Should().Be(ExportStatus.Exported);
        logs.Any(4100).Should().BeTrue("the worker waited for the lease of the crashed holder");
        _org.TokenRequests().Should().ContainSingle().Which.StatusCode.Should().Be(200);
        (await redis.Connection.GetDatabase().KeyExistsAsync(keys.Lease)).Should().BeFalse("the new holder released its lease");
    }

    [SkippableFact]
    public async Task A_write_with_a_stale_generation_is_refused_and_the_newer_tokens_stay()
    {
        redis.Require();
        var a = Coordinator();
        var b = Coordinator();
        var grant = new SharedGrant("acme", "STAMP", "host-refresh-token");
        var keys = a.KeysOf(grant);
        var db = redis.Connection!.GetDatabase();
        var url = new Uri("https://acme.my.salesforce.com");

        var slow = await a.GetTokenAsync(grant, null, async (current, ct) =>
        {
            // A's lease runs out while its token request is in flight; B takes over and writes first.
            await db.KeyDeleteAsync(keys.Lease);
            var fromB = await b.GetTokenAsync(grant, null, (_, _) => Task.FromResult(new SharedRefreshResult(new SalesforceAccessToken("access-B", url), "refresh-B")), ct);
            fromB.AccessToken!.AccessToken.Should().Be("access-B");
            return new SharedRefreshResult(new SalesforceAccessToken("access-A", url), "refresh-A");
        }, CancellationToken.None);

        slow.AccessToken!.AccessToken.Should().Be("access-A", "A still uses what it obtained");
        ((long)await db.HashGetAsync(keys.State, "gen")).Should().Be(1, "A's write expected generation 0 and was refused");
        var shared = await Coordinator().GetTokenAsync(grant, null, (_, _) => throw new InvalidOperationException("no refresh expected"), CancellationToken.None);
        shared.AccessToken!.AccessToken.Should().Be("access-B");
    }

    [SkippableFact]
    public async Task A_refused_refresh_answer_still_shares_the_rotated_refresh_token()
    {
        // Regression: a refresh answer refused after the request (e.g. an http:// instance_url) lost the rotated refresh token, so the next refresh presented a dead one.
        redis.Require();
        var grant = new SharedGrant("acme", "STAMP", "host-refresh-token");
        var refusal = new SalesforceAuthenticationException(null, null, "refused");

        var refused = await Coordinator().GetTokenAsync(grant, null, (_, _) => Task.FromResult(new SharedRefreshResult(null, "refresh-2", refusal)), CancellationToken.None);
        string? presented = null;
        var next = await Coordinator().GetTokenAsync(grant, null, (current, _) =>
        {
            presented = current;
            return Task.FromResult(new SharedRefreshResult(new SalesforceAccessToken("access-3", new Uri("https://acme.my.salesforce.com")), "refresh-3"));
        }, CancellationToken.None);

        refused.Should().Be(new SharedTokenResult(null, "refresh-2", refusal), "the refusal is reported with the rotated token, for the host's store");
        presented.Should().Be("refresh-2", "no shared access token was written, and the next refresh presents the rotated token");
        next.AccessToken!.AccessToken.Should().Be("access-3");
    }

    [SkippableFact]
    public async Task Releasing_never_deletes_the_lease_of_another_worker()
    {
        redis.Require();
        var a = Coordinator();
        var grant = new SharedGrant("acme", "STAMP", "host-refresh-token");
        var keys = a.KeysOf(grant);
        var db = redis.Connection!.GetDatabase();
        var url = new Uri("https://acme.my.salesforce.com");

        await a.GetTokenAsync(grant, null, async (_, _) =>
        {
            // A's lease ran out and another worker took it while A's token request was in flight.
            await db.KeyDeleteAsync(keys.Lease);
            await db.StringSetAsync(keys.Lease, "another-worker", TimeSpan.FromSeconds(30));
            return new SharedRefreshResult(new SalesforceAccessToken("access-A", url), "refresh-A");
        }, CancellationToken.None);

        ((string?)await db.StringGetAsync(keys.Lease)).Should().Be("another-worker", "release is a compare-and-delete on the owner id");
    }

    [SkippableFact]
    public async Task No_token_is_stored_in_redis_or_logged_in_clear()
    {
        var refreshToken = _org.IssueRefreshToken();
        var logs = new CapturedLogs();
        var a = Worker(refreshToken, out var storeA, logs: logs);
        var b = Worker(refreshToken, out var storeB, logs: logs);
        await Task.WhenAll(Workers.ExportConcurrentlyAsync(a, "a1", 5), Workers.ExportConcurrentlyAsync(b, "b1", 5));
        _org.ExpireAllSessions();
        await Task.WhenAll(Workers.ExportConcurrentlyAsync(a, "a2", 5), Workers.ExportConcurrentlyAsync(b, "b2", 5));

        var coordinator = a.GetRequiredService<RedisTokenCoordinator>();
        var grant = GrantOf(refreshToken);
        var current = await coordinator.GetTokenAsync(grant, null, (_, _) => throw new InvalidOperationException("no refresh expected"), CancellationToken.None);
        var secrets = new[] { refreshToken, current.AccessToken!.AccessToken, storeA.LastChange(Workers.Tenant)?.RefreshToken, storeB.LastChange(Workers.Tenant)?.RefreshToken }
            .OfType<string>().ToList();
        secrets.Should().HaveCountGreaterThanOrEqualTo(3, "the rotated refresh token reached a host store");

        var stored = await redis.Connection!.GetDatabase().HashGetAllAsync(coordinator.KeysOf(grant).State);
        stored.Select(e => e.Name.ToString()).Should().Contain(["gen", "at", "rt", "known"]);
        var raw = string.Join('\n', stored.Select(e => e.Name + "=" + e.Value));
        var logged = string.Join('\n', logs.Entries.Select(e => e.Text));
        logs.Any(4101).Should().BeTrue("the refresh is logged, without its tokens");
        foreach (var secret in secrets)
        {
            raw.Should().NotContain(secret);
            logged.Should().NotContain(secret);
        }
    }

    [SkippableFact]
    public async Task A_reconnect_starts_a_new_family_and_workers_with_an_older_token_of_the_family_follow_it()
    {
        var refreshToken = _org.IssueRefreshToken();
        var a = Worker(refreshToken, out var storeA);
        var b = Worker(refreshToken);
        (await Export(a, "a1")).Status.Should().Be(ExportStatus.Exported);

        // The customer connects again: the host's store of A now holds a refresh token of a new grant.
        storeA.Set(Workers.Tenant, Workers.TenantSettings(_org.InstanceUrl, _org.IssueRefreshToken()));
        _org.ExpireAllSessions();
        (await Export(a, "a2")).Status.Should().Be(ExportStatus.Exported);
        (await Export(b, "b1")).Status.Should().Be(ExportStatus.Exported);   // B still holds the first grant's original token

        _org.TokenRequests().Should().HaveCount(2, "one refresh per grant; B used the shared token of the new grant");
        _org.TokenRequests().Should().OnlyContain(r => r.StatusCode == 200);
    }

    [SkippableFact]
    public async Task A_worker_that_cannot_decrypt_the_shared_tokens_fails_with_what_to_fix_and_does_not_refresh()
    {
        var refreshToken = _org.IssueRefreshToken();
        var a = Worker(refreshToken);
        (await Export(a, "a1")).Status.Should().Be(ExportStatus.Exported);
        var b = Workers.Build(
            new WorkerSettings
            {
                Redis = redis.Require(),
                KeyPrefix = _prefix,
                InstanceUrl = _org.InstanceUrl,
                RefreshToken = refreshToken,
                Protection = new EphemeralDataProtectionProvider(),   // a key ring of its own: not shared with A
                Handler = _org.CreateHandler,
            },
            out _);
        _workers.Add(b);

        var result = (await b.GetRequiredService<IConversationExporter>().ExportManyAsync([Workers.Chat("b1")]).ToListAsync()).Single();

        result.Status.Should().Be(ExportStatus.Failed);
        result.FailureKind.Should().Be(ExportFailureKind.FixConfiguration);
        result.Error!.Message.Should().Contain("could not be decrypted").And.Contain("key ring").And.NotContain(refreshToken);
        _org.TokenRequests().Should().HaveCount(1, "a worker that cannot read the current refresh token never refreshes with an older one");
        (await Export(a, "a2")).Status.Should().Be(ExportStatus.Exported);
    }

    [SkippableFact]
    public async Task The_org_configured_at_start_up_shares_its_tokens_too()
    {
        var refreshToken = _org.IssueRefreshToken();
        var a = StartUpOrg(refreshToken);
        var b = StartUpOrg(refreshToken);

        var results = new List<ConversationExportResult>();
        foreach (var round in new[] { "r1", "r2" })
        {
            results.AddRange((await Task.WhenAll(
                Task.WhenAll(Enumerable.Range(0, 10).Select(i => a.GetRequiredService<IConversationExporter>().ExportAsync(Workers.Chat($"a-{round}-{i}", tenant: null)))),
                Task.WhenAll(Enumerable.Range(0, 10).Select(i => b.GetRequiredService<IConversationExporter>().ExportAsync(Workers.Chat($"b-{round}-{i}", tenant: null)))))).SelectMany(r => r));
            _org.ExpireAllSessions();
        }

        results.Should().HaveCount(40).And.OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.TokenRequests().Select(r => r.StatusCode).Should().Equal(200, 200);
    }

    private ServiceProvider StartUpOrg(string refreshToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDataProtectionProvider>(_protection);
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = _org.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
            o.Authentication.ClientId = "chat2sf";
            o.Authentication.ClientSecret = "chat2sf";
            o.Authentication.RefreshToken = refreshToken;
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(_org.CreateHandler);
        builder.UseRedisTokenSharing(o =>
        {
            o.Configuration = redis.Require();
            o.KeyPrefix = _prefix;
        });
        var provider = services.BuildServiceProvider();
        _workers.Add(provider);
        return provider;
    }

    private static SharedGrant GrantOf(string hostRefreshToken)
    {
        var platform = new SalesforceChatExportOptions();
        platform.Authentication.ClientId = "chat2sf";
        platform.Authentication.ClientSecret = "chat2sf";
        var options = TenantOptions.Prepare(Workers.TenantSettings(new Uri("https://acme.my.salesforce.com"), hostRefreshToken), platform);
        return new SharedGrant(Workers.Tenant, SharedGrant.StampOf(options), hostRefreshToken);
    }

    private static Task<ConversationExportResult> Export(IServiceProvider worker, string id) =>
        worker.GetRequiredService<IConversationExporter>().ExportAsync(Workers.Chat(id));

    private RedisTokenCoordinator Coordinator() => new(
        new RedisTokenSharingOptions { KeyPrefix = _prefix, LeaseDuration = TimeSpan.FromSeconds(5) },
        _protection.CreateProtector(RedisTokenCoordinator.ProtectorPurpose),
        redis.Connection,
        TimeProvider.System,
        NullLogger<RedisTokenCoordinator>.Instance);

    private ServiceProvider Worker(string refreshToken, TimeSpan? lease = null, CapturedLogs? logs = null) => Worker(refreshToken, out _, lease, logs);

    private ServiceProvider Worker(string refreshToken, out InMemorySalesforceTenantStore store, TimeSpan? lease = null, CapturedLogs? logs = null)
    {
        var worker = Workers.Build(
            new WorkerSettings
            {
                Redis = redis.Require(),
                KeyPrefix = _prefix,
                InstanceUrl = _org.InstanceUrl,
                RefreshToken = refreshToken,
                Protection = _protection,
                Handler = _org.CreateHandler,
                LeaseDuration = lease ?? TimeSpan.FromSeconds(30),
                Logs = logs,
            },
            out store);
        _workers.Add(worker);
        return worker;
    }
}
