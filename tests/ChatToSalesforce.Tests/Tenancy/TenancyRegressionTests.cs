using System.Net;
using ChatToSalesforce.Connect;
using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatToSalesforce.Tests.Tenancy;

/// <summary>Regression tests for bugs found in a review of tenancy and connect.</summary>
public class TenancyRegressionTests
{
    private static readonly Uri Callback = new("https://vendor.example.com/salesforce/callback");

    [Fact]
    public async Task A_stale_runtimes_dead_grant_does_not_tell_the_host_that_a_just_reconnected_tenant_must_reconnect()
    {
        using var orgs = new TenantOrgs("acme");
        orgs.Store.Set("acme", TenantOrgs.Settings(orgs["acme"], o => o.Authentication.RefreshToken = "revoked"));
        var stale = await orgs.Registry.GetAsync("acme", default);     // a chunk picked the tenant up with the old grant...
        orgs.Store.Set("acme", TenantOrgs.Settings(orgs["acme"]));     // ...the customer reconnects (a new refresh token)...
        await orgs.Registry.GetAsync("acme", default);                 // ...and the next chunk runs on the new grant

        var staleRequest = () => stale.Client.GetLimitsAsync();        // the old chunk's first request finds its grant dead
        await staleRequest.Should().ThrowAsync<SalesforceAuthenticationException>();

        orgs.Store.LastChange("acme").Should().BeNull("the grant that is gone is not the tenant's current one: the host must not be told to ask the customer to reconnect again");
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a1", "a@example.com"))).Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task Disconnect_after_a_refresh_token_rotation_revokes_the_grant_it_reports_revoked()
    {
        using var orgs = new TenantOrgs();
        var org = new SalesforceEmulator(new SalesforceEmulatorOptions
        {
            InstanceUrl = new Uri("https://acme.my.salesforce.com"), AutoApproveAuthorization = true, RefreshTokenRotation = true, TimeProvider = orgs.Time,
        });
        orgs.Put("acme", org);
        org.RegisterClient("chat2sf", [Callback.ToString()], "chat2sf");
        var connector = orgs.Services.GetRequiredService<ISalesforceConnector>();
        var start = await connector.StartAsync(new SalesforceConnectRequest { TenantId = "acme", RedirectUri = Callback, MyDomain = org.InstanceUrl });
        using var browser = new HttpClient(orgs.CreateHandler());
        using var authorize = await browser.GetAsync(start.AuthorizationUrl);
        (await connector.CompleteAsync(SalesforceCallback.FromUrl(authorize.Headers.Location!))).Status.Should().Be(SalesforceConnectStatus.Connected);
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a1", "a@example.com"))).Status.Should().Be(ExportStatus.Exported);
        var current = orgs.Store.LastChange("acme")!.RefreshToken;   // Salesforce rotated the token on the export's refresh
        current.Should().NotBeNullOrEmpty();

        var disconnected = await connector.DisconnectAsync("acme");
        disconnected.Revoked.Should().BeTrue();

        using var refresh = await browser.PostAsync(new Uri(org.InstanceUrl, "/services/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = current!, ["client_id"] = "chat2sf", ["client_secret"] = "chat2sf",
        }));
        refresh.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the admin was told Salesforce revoked the grant, so its current refresh token must no longer work");
    }
}
