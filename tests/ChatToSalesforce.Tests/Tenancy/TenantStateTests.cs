using System.Security.Cryptography;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatToSalesforce.Tests.Tenancy;

public class TenantStateTests
{
    [Fact]
    public async Task Idle_tenants_are_evicted_and_leave_no_cached_state()
    {
        using var orgs = new TenantOrgs("acme", "globex") { Tenancy = o => o.IdleTimeout = TimeSpan.FromMinutes(10) };
        await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "a1", "a@example.com"), TenantOrgs.Chat("globex", "g1", "g@example.com")]).ToListAsync();
        orgs.Registry.ActiveTenants.Should().Be(2);
        var acme = await orgs.Registry.GetAsync("acme", default);
        orgs.Registry.Cache.TryGetDescribe(acme.OrgKey, "Contact", out _).Should().BeTrue();

        orgs.Time.Advance(TimeSpan.FromMinutes(5));
        await orgs.Exporter.ExportAsync(TenantOrgs.Chat("globex", "g2", "g2@example.com"));
        orgs.Time.Advance(TimeSpan.FromMinutes(6));
        var evicted = orgs.Registry.EvictIdle();

        evicted.Should().Be(1, "only acme was idle for ten minutes");
        orgs.Registry.ActiveTenants.Should().Be(1);
        orgs.Registry.Cache.TryGetDescribe(acme.OrgKey, "Contact", out _).Should().BeFalse("an evicted tenant's describes are dropped");
        var tokens = orgs.TokenRequests("acme");
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a2@example.com"))).Status.Should().Be(ExportStatus.Exported);
        orgs.TokenRequests("acme").Should().Be(tokens + 1, "an evicted tenant starts again with a token request");
    }

    [Fact]
    public async Task A_chunk_still_holding_an_evicted_tenant_can_renew_its_jwt_token()
    {
        // Regression: eviction disposed the authenticator and its JWT signing key under a running chunk, whose renewal then threw ObjectDisposedException.
        using var key = RSA.Create(2048);
        using var orgs = new TenantOrgs();
        var org = orgs.Add("acme");
        org.RegisterClient("jwt-app", jwtPublicKeyPem: key.ExportSubjectPublicKeyInfoPem());
        orgs.Store.Set("acme", TenantOrgs.Settings(org, o =>
        {
            o.Authentication.Flow = SalesforceAuthFlow.JwtBearer;
            o.Authentication.ClientId = "jwt-app";
            o.Authentication.Username = org.IntegrationUsername;
            o.Authentication.RefreshToken = null;
            o.Authentication.PrivateKeyPem = key.ExportPkcs8PrivateKeyPem();
        }));
        var chunk = await orgs.Registry.GetAsync("acme", default);     // a chunk picks the tenant up and signs in...
        await chunk.Client.GetLimitsAsync();
        orgs.Registry.EvictIdle(TimeSpan.Zero).Should().Be(1);         // ...the tenant is evicted while the chunk still runs...
        org.ExpireAllSessions();                                        // ...and the chunk's session expires

        var renewal = () => chunk.Client.GetLimitsAsync();

        await renewal.Should().NotThrowAsync("the chunk still holds the runtime: its token renewal signs a new JWT assertion");
        orgs.TokenRequests("acme").Should().Be(2);
    }

    [Fact]
    public async Task Beyond_the_cap_the_least_recently_used_tenants_are_evicted()
    {
        using var orgs = new TenantOrgs("t1", "t2", "t3") { Tenancy = o => o.MaxActiveTenants = 2 };
        foreach (var tenant in new[] { "t1", "t2", "t3" })
        {
            orgs.Time.Advance(TimeSpan.FromSeconds(1));
            await orgs.Exporter.ExportAsync(TenantOrgs.Chat(tenant, tenant + "-1", tenant + "@example.com"));
        }

        orgs.Registry.ActiveTenants.Should().Be(2);
    }

    [Fact]
    public async Task Many_tenants_over_the_cap_in_one_concurrent_batch_are_all_exported()
    {
        // Regression: evicting beyond the cap sorted the live dictionary while other chunks added tenants, and the
        // exception escaped the batch (found by the tenants benchmark with 10,000 tenants).
        var ids = Enumerable.Range(0, 40).Select(i => $"t{i:D2}").ToArray();
        using var orgs = new TenantOrgs(ids) { Tenancy = o => { o.MaxActiveTenants = 3; o.MaxConcurrentChunks = 16; } };

        var results = await orgs.Exporter.ExportManyAsync(ids.Select(id => TenantOrgs.Chat(id, id + "-1", id + "@example.com"))).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        orgs.Registry.ActiveTenants.Should().BeLessThanOrEqualTo(3 + 16, "the cap holds, give or take the tenants of chunks in flight");
    }

    [Fact]
    public async Task Concurrent_first_exports_of_a_tenant_share_one_token_request()
    {
        // Regression: each concurrent first export built its own tenant state, so each requested a token (with rotation,
        // refreshing one refresh token twice revokes the family).
        using var orgs = new TenantOrgs("acme");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", $"c{i}", $"v{i}@example.com"))));

        orgs.TokenRequests("acme").Should().Be(1);
    }

    [Fact]
    public async Task A_tenant_without_its_own_app_connects_through_the_vendors_app_and_the_hosts_object_is_not_changed()
    {
        using var orgs = new TenantOrgs("acme");
        var stored = (await orgs.Store.GetTenantAsync("acme", default))!.Options;

        var context = await orgs.Registry.GetAsync("acme", default);

        context.Options.Authentication.ClientId.Should().Be("chat2sf");
        stored.Authentication.ClientId.Should().BeNull();
        stored.Authentication.ClientSecret.Should().BeNull();
    }

    [Fact]
    public async Task Tenant_store_options_are_validated_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o => o.InstanceUrl = new Uri("https://home.my.salesforce.com"))
            .UseTenantStore(new InMemorySalesforceTenantStore(), o => o.MaxActiveTenants = 0);
        await using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SalesforceTenancyOptions>>().Value;

        resolve.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*MaxActiveTenants: must be at least 1*");
    }

    [Fact]
    public async Task Tenant_store_options_report_every_range_problem_by_the_option_it_concerns()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o => o.InstanceUrl = new Uri("https://home.my.salesforce.com"))
            .UseTenantStore(new InMemorySalesforceTenantStore(), o =>
            {
                o.IdleTimeout = TimeSpan.Zero;
                o.MaxActiveTenants = 0;
                o.MaxConcurrentChunks = 257;
            });
        await using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SalesforceTenancyOptions>>().Value;

        resolve.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "SalesforceTenancyOptions.IdleTimeout: must be positive, for example 30 minutes.",
            "SalesforceTenancyOptions.MaxActiveTenants: must be at least 1.",
            "SalesforceTenancyOptions.MaxConcurrentChunks: must be between 1 and 256.");
    }

    [Fact]
    public async Task Start_up_options_may_hold_only_the_vendors_app_when_tenants_come_from_a_store()
    {
        using var org = new ChatToSalesforce.Testing.SalesforceEmulator(new ChatToSalesforce.Testing.SalesforceEmulatorOptions { InstanceUrl = new Uri("https://acme.my.salesforce.com") });
        var store = new InMemorySalesforceTenantStore();
        store.Set("acme", TenantOrgs.Settings(org));
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.Authentication.Flow = ChatToSalesforce.SalesforceAuthFlow.RefreshToken;
            o.Authentication.ClientId = "chat2sf";
            o.Authentication.ClientSecret = "chat2sf";
        }).UseTenantStore(store);
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(org.CreateHandler);
        await using var provider = services.BuildServiceProvider();
        var exporter = provider.GetRequiredService<IConversationExporter>();

        var results = await exporter.ExportManyAsync([TenantOrgs.Chat("acme", "a1", "a@example.com"), TenantOrgs.Chat(null, "n1", "n@example.com")]).ToListAsync();

        results[0].Status.Should().Be(ExportStatus.Exported);
        results[1].Status.Should().Be(ExportStatus.Failed);
        results[1].Error.Should().BeOfType<SalesforceTenantException>().Which.Message.Should().Contain("no TenantId").And.Contain("Salesforce:InstanceUrl is not set");
    }
}
