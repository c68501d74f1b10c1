using ChatToSalesforce.Tenancy;
using FluentAssertions;
using Xunit;

namespace ChatToSalesforce.Tests.Tenancy;

public class TokenHealthTests
{
    [Fact]
    public async Task A_revoked_grant_marks_the_tenant_reconnect_required_once_and_later_exports_fail_fast_without_a_token_request()
    {
        using var orgs = new TenantOrgs("acme", "globex");
        orgs.Store.Set("acme", TenantOrgs.Settings(orgs["acme"], o => o.Authentication.RefreshToken = "revoked-or-unknown"));

        var first = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "a1", "a@example.com"), TenantOrgs.Chat("globex", "g1", "g@example.com")]).ToListAsync();

        var error = first[0].Error.Should().BeOfType<SalesforceReconnectRequiredException>().Which;
        error.TenantId.Should().Be("acme");
        error.Reason.Should().Contain("refresh token was revoked");
        error.Message.Should().NotContain("revoked-or-unknown", "no secret in messages");
        first[1].Status.Should().Be(ExportStatus.Exported, "another tenant is not affected");
        orgs.Store.LastChange("acme").Should().BeEquivalentTo(new { ReconnectRequired = true, RefreshToken = (string?)null });
        var tokenRequests = orgs.TokenRequests("acme");

        var again = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "a2", "a@example.com")]).ToListAsync();
        var single = () => orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a3", "a@example.com"));

        again[0].Error.Should().BeOfType<SalesforceReconnectRequiredException>();
        await single.Should().ThrowAsync<SalesforceReconnectRequiredException>();
        orgs.TokenRequests("acme").Should().Be(tokenRequests, "a tenant that must reconnect spends no token request");
    }

    [Fact]
    public async Task New_credentials_end_reconnect_required()
    {
        using var orgs = new TenantOrgs("acme");
        orgs.Store.Set("acme", TenantOrgs.Settings(orgs["acme"], o => o.Authentication.RefreshToken = "revoked"));
        (await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "a1", "a@example.com")]).ToListAsync())[0].Error.Should().BeOfType<SalesforceReconnectRequiredException>();

        orgs.Store.Set("acme", TenantOrgs.Settings(orgs["acme"]));   // the customer reconnected: a new refresh token
        var result = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a@example.com"));

        result.Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task A_token_endpoint_outage_is_not_a_reconnect()
    {
        using var orgs = new TenantOrgs("acme");
        orgs["acme"].Faults.Add(new ChatToSalesforce.Testing.FaultRule { PathContains = "/services/oauth2/token", StatusCode = 503, Times = 100 });

        var results = await orgs.Exporter.ExportManyAsync([TenantOrgs.Chat("acme", "a1", "a@example.com")]).ToListAsync();

        results[0].Status.Should().Be(ExportStatus.Failed);
        results[0].Error.Should().BeOfType<SalesforceAuthenticationException>().Which.Error.Should().Be("temporarily_unavailable");
        orgs.Store.LastChange("acme").Should().BeNull("an outage says nothing about the grant");
        orgs["acme"].Faults.Clear();
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a@example.com"))).Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_handed_to_the_store()
    {
        using var orgs = new TenantOrgs();
        var org = new ChatToSalesforce.Testing.SalesforceEmulator(new ChatToSalesforce.Testing.SalesforceEmulatorOptions { InstanceUrl = new Uri("https://rotating.my.salesforce.com"), RefreshTokenRotation = true });
        ReplaceOrg(orgs, "rotating", org);
        var settings = TenantOrgs.Settings(org);
        var original = settings.Authentication.RefreshToken;
        orgs.Store.Set("rotating", settings);

        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("rotating", "r1", "r@example.com"))).Status.Should().Be(ExportStatus.Exported);

        var change = orgs.Store.LastChange("rotating");
        change!.RefreshToken.Should().NotBeNullOrEmpty().And.NotBe(original);
        change.ReconnectRequired.Should().BeFalse();
    }

    private static void ReplaceOrg(TenantOrgs orgs, string name, ChatToSalesforce.Testing.SalesforceEmulator org) => orgs.Put(name, org);
}
