using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Tests.Export;
using FluentAssertions;
using Xunit;

namespace ChatToSalesforce.Tests.Tenancy;

public class MultiTenantExportTests
{
    [Fact]
    public async Task A_mixed_stream_lands_in_each_tenants_org_in_input_order_with_one_read_and_one_write_per_tenant()
    {
        using var orgs = new TenantOrgs("acme", "globex");
        var input = new[]
        {
            TenantOrgs.Chat("acme", "a1", "a1@example.com"),
            TenantOrgs.Chat("globex", "g1", "g1@example.com"),
            TenantOrgs.Chat(null, "h1", "h1@example.com"),
            TenantOrgs.Chat("acme", "a2", "a2@example.com"),
            TenantOrgs.Chat("globex", "g2", "g2@example.com"),
            TenantOrgs.Chat("acme", "a3", "a3@example.com"),
        };

        var results = await orgs.Exporter.ExportManyAsync(input).ToListAsync();

        results.Select(r => r.ConversationId).Should().Equal("a1", "g1", "h1", "a2", "g2", "a3");
        results.Select(r => r.TenantId).Should().Equal("acme", "globex", null, "acme", "globex", "acme");
        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        orgs["acme"].Records("Contact").Select(c => c.Text("Email")).Should().BeEquivalentTo(["a1@example.com", "a2@example.com", "a3@example.com"]);
        orgs["globex"].Records("Contact").Select(c => c.Text("Email")).Should().BeEquivalentTo(["g1@example.com", "g2@example.com"]);
        orgs.Home.Records("Contact").Select(c => c.Text("Email")).Should().Equal("h1@example.com");
        orgs["acme"].ReadRequests().Should().Be(1);
        orgs["acme"].WriteRequests().Should().Be(1);
        orgs["globex"].ReadRequests().Should().Be(1);
        orgs["globex"].WriteRequests().Should().Be(1);
        orgs.TokenRequests("acme").Should().Be(1, "a tenant's token is requested once and reused");
    }

    [Fact]
    public async Task An_unknown_tenant_fails_its_conversations_only()
    {
        using var orgs = new TenantOrgs("acme");

        var results = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("nobody", "x1", "x@example.com"), TenantOrgs.Chat("acme", "a1", "a@example.com")]).ToListAsync();

        results[0].Status.Should().Be(ExportStatus.Failed);
        results[0].Error.Should().BeOfType<SalesforceTenantException>().Which.Message.Should().Contain("tenant 'nobody' is not configured");
        results[1].Status.Should().Be(ExportStatus.Exported);
        var single = () => orgs.Exporter.ExportAsync(TenantOrgs.Chat("nobody", "x2", "x@example.com"));
        await single.Should().ThrowAsync<SalesforceTenantException>();
    }

    [Fact]
    public async Task Invalid_tenant_settings_fail_that_tenant_with_the_property_named_and_spend_no_call()
    {
        using var orgs = new TenantOrgs("acme", "broken");
        orgs.Store.Set("broken", TenantOrgs.Settings(orgs["broken"], o => o.ApiVersion = "sixty-two"));

        var results = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("broken", "b1", "b@example.com"), TenantOrgs.Chat("acme", "a1", "a@example.com")]).ToListAsync();

        results[0].Status.Should().Be(ExportStatus.Failed);
        var error = results[0].Error.Should().BeOfType<ExportConfigurationException>().Which;
        error.Message.Should().Contain("Tenant 'broken'").And.Contain("ApiVersion").And.Contain("'sixty-two' is not an API version");
        orgs["broken"].RequestLog.Should().BeEmpty("invalid settings are caught before any request");
        results[1].Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task A_broken_mapping_fails_that_tenants_conversations_only()
    {
        using var orgs = new TenantOrgs("acme", "broken");
        orgs.Store.Set("broken", TenantOrgs.Settings(orgs["broken"], o => o.FieldMappings.Add(new FieldMapping { Source = "visitor.email", Target = "Contact.No_Such_Field__c" })));

        var results = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("broken", "b1", "b@example.com"), TenantOrgs.Chat("acme", "a1", "a@example.com")]).ToListAsync();

        results[0].Status.Should().Be(ExportStatus.Failed);
        results[0].FailureKind.Should().Be(ExportFailureKind.FixConfiguration);
        results[0].Error!.Message.Should().Contain("No_Such_Field__c");
        results[1].Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task A_store_that_throws_fails_that_tenant_and_the_others_proceed()
    {
        var inner = new InMemorySalesforceTenantStore();
        using var orgs = new TenantOrgs { StoreOverride = new ThrowingStore(inner, "flaky") };
        inner.Set("acme", TenantOrgs.Settings(orgs.Add("acme")));

        var results = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("flaky", "f1", "f@example.com"), TenantOrgs.Chat("acme", "a1", "a@example.com")]).ToListAsync();

        results[0].Error.Should().BeOfType<SalesforceTenantException>().Which.Message.Should().Contain("could not load tenant 'flaky'");
        results[0].Error!.Message.Should().NotContain("database password", "the store's own message stays in the inner exception");
        results[1].Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task New_settings_take_effect_on_the_tenants_next_export_without_a_restart()
    {
        using var orgs = new TenantOrgs("acme");
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a1", "a1@example.com"))).Person!.ObjectType.Should().Be("Contact");

        orgs.Store.Set("acme", TenantOrgs.Settings(orgs["acme"], o => o.Mode = ExportMode.LeadAndTask));
        var second = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a2@example.com"));

        second.Person!.ObjectType.Should().Be("Lead");
        orgs["acme"].Records("Lead").Should().ContainSingle();
    }

    [Fact]
    public async Task One_tenants_exhausted_daily_limit_does_not_touch_another_tenant()
    {
        using var orgs = new TenantOrgs("acme", "globex");
        orgs["acme"].DailyApiLimit = 0;

        var results = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "a1", "a@example.com"), TenantOrgs.Chat("globex", "g1", "g@example.com")]).ToListAsync();

        results[0].Status.Should().Be(ExportStatus.Failed);
        results[0].Error.Should().BeOfType<SalesforceApiException>().Which.ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        results[1].Status.Should().Be(ExportStatus.Exported);
        var next = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("globex", "g2", "g2@example.com"));
        next.Status.Should().Be(ExportStatus.Exported, "acme's open daily-limit circuit is acme's alone");
    }

    [Fact]
    public async Task A_slow_org_does_not_block_another_tenants_exports()
    {
        using var orgs = new TenantOrgs("slow", "fast");
        _ = orgs.Services;
        var release = orgs.Hold("slow");

        var slow = orgs.Exporter.ExportAsync(TenantOrgs.Chat("slow", "s1", "s@example.com"));
        var fast = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("fast", "f1", "f1@example.com"), TenantOrgs.Chat("fast", "f2", "f2@example.com")]).ToListAsync();

        fast.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        slow.IsCompleted.Should().BeFalse("the slow org has not answered yet");
        release.SetResult();
        (await slow).Status.Should().Be(ExportStatus.Exported);
    }

    private sealed class ThrowingStore(ISalesforceTenantStore inner, string failing) : ISalesforceTenantStore
    {
        public ValueTask<SalesforceTenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken) =>
            tenantId == failing ? throw new InvalidOperationException("database password rejected") : inner.GetTenantAsync(tenantId, cancellationToken);

        public ValueTask OnConnectionChangedAsync(string tenantId, SalesforceConnectionChange change, CancellationToken cancellationToken) =>
            inner.OnConnectionChangedAsync(tenantId, change, cancellationToken);
    }
}
