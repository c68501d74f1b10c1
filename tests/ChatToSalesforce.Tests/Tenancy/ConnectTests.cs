using ChatToSalesforce.Connect;
using ChatToSalesforce.Tenancy;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatToSalesforce.Tests.Tenancy;

public class ConnectTests
{
    private static readonly Uri Callback = new("https://vendor.example.com/salesforce/callback");

    [Fact]
    public async Task Connect_then_export_then_disconnect()
    {
        using var orgs = Orgs(out var org);
        var connector = orgs.Services.GetRequiredService<ISalesforceConnector>();

        var start = await connector.StartAsync(new SalesforceConnectRequest { TenantId = "acme", RedirectUri = Callback, MyDomain = org.InstanceUrl });

        start.AuthorizationUrl.Host.Should().Be("acme.my.salesforce.com");
        start.AuthorizationUrl.Query.Should().Contain("code_challenge_method=S256").And.Contain("scope=api%20refresh_token").And.Contain("state=" + start.State);
        var result = await connector.CompleteAsync(await AuthorizeAsync(orgs, start));

        result.Status.Should().Be(SalesforceConnectStatus.Connected, result.Message);
        result.TenantId.Should().Be("acme");
        result.Org!.OrganizationId.Should().Be(org.OrganizationId);
        result.Org.Username.Should().NotBeNullOrEmpty();
        result.Message.Should().StartWith("Connected as ").And.Contain(org.OrganizationId);
        (await orgs.Store.GetConnectionAsync("acme", default))!.RefreshToken.Should().NotBeNullOrEmpty();
        (await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a1", "a@example.com"))).Status.Should().Be(ExportStatus.Exported);

        var disconnected = await connector.DisconnectAsync("acme");

        disconnected.Should().Be(new SalesforceDisconnectResult("acme", true, true, disconnected.Message));
        (await orgs.Store.GetConnectionAsync("acme", default)).Should().BeNull();
        var export = () => orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "a2", "a2@example.com"));
        (await export.Should().ThrowAsync<SalesforceReconnectRequiredException>()).Which.Message.Should().Contain("disconnected");
    }

    [Fact]
    public async Task A_state_is_single_use_and_a_tampered_or_expired_one_is_rejected_with_nothing_stored()
    {
        using var orgs = Orgs(out var org);
        var connector = orgs.Services.GetRequiredService<ISalesforceConnector>();
        var request = new SalesforceConnectRequest { TenantId = "acme", RedirectUri = Callback, MyDomain = org.InstanceUrl };

        var start = await connector.StartAsync(request);
        var callback = await AuthorizeAsync(orgs, start);
        var tampered = await connector.CompleteAsync(With(callback, state: start.State[..^2] + "xx"));
        var first = await connector.CompleteAsync(callback);
        var replayed = await connector.CompleteAsync(callback);

        tampered.Error.Should().Be("invalid_state");
        first.Status.Should().Be(SalesforceConnectStatus.Connected, "the tampered attempt did not use up the real state");
        replayed.Error.Should().Be("invalid_state");

        var late = await connector.StartAsync(request);
        var lateCallback = await AuthorizeAsync(orgs, late);
        orgs.Time.Advance(TimeSpan.FromMinutes(11));
        (await connector.CompleteAsync(lateCallback)).Error.Should().Be("invalid_state");
    }

    [Fact]
    public async Task Bad_callbacks_get_specific_errors_and_store_nothing()
    {
        using var orgs = Orgs(out var org);
        var connector = orgs.Services.GetRequiredService<ISalesforceConnector>();
        var request = new SalesforceConnectRequest { TenantId = "acme", RedirectUri = Callback, MyDomain = org.InstanceUrl };

        async Task<SalesforceConnectResult> Try(Func<SalesforceCallback, SalesforceCallback> change)
        {
            var start = await connector.StartAsync(request);
            return await connector.CompleteAsync(change(await AuthorizeAsync(orgs, start)));
        }

        (await Try(c => With(c, expectedTenant: "globex"))).Error.Should().Be("foreign_state");
        (await Try(c => With(c, error: "access_denied"))).Status.Should().Be(SalesforceConnectStatus.Denied);
        (await Try(c => With(c, error: "OAUTH_APPROVAL_ERROR_GENERIC"))).Message.Should().Contain("permission set");
        (await Try(c => With(c, code: ""))).Error.Should().Be("missing_code");
        (await Try(c => With(c, redirect: new Uri("https://evil.example.com/callback")))).Error.Should().Be("redirect_uri_mismatch");
        (await Try(c => With(c, code: c.Code + "x"))).Error.Should().Be("invalid_grant");
        (await orgs.Store.GetConnectionAsync("acme", default)).Should().BeNull();

        var foreignHost = () => connector.StartAsync(new SalesforceConnectRequest { TenantId = "acme", RedirectUri = Callback, MyDomain = new Uri("https://login.evil.example.com") }).AsTask();
        (await foreignHost.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("MyDomain");
    }

    [Fact]
    public async Task A_code_used_twice_is_refused()
    {
        using var orgs = Orgs(out var org);
        var connector = orgs.Services.GetRequiredService<ISalesforceConnector>();
        var request = new SalesforceConnectRequest { TenantId = "acme", RedirectUri = Callback, MyDomain = org.InstanceUrl };
        var first = await AuthorizeAsync(orgs, await connector.StartAsync(request));
        (await connector.CompleteAsync(first)).Status.Should().Be(SalesforceConnectStatus.Connected);

        var second = await connector.StartAsync(request);
        var reused = await connector.CompleteAsync(With(first, state: second.State));

        reused.Error.Should().Be("invalid_grant");
        reused.Message.Should().Contain("already used");
    }

    [Fact]
    public async Task An_identity_answer_that_is_not_json_still_connects_with_the_ids_of_the_identity_url()
    {
        // Regression: a 200 identity answer that is not JSON threw a raw JsonException after the code was spent.
        using var orgs = Orgs(out var org);
        orgs.Answer = r => r.RequestUri!.AbsolutePath.StartsWith("/id/", StringComparison.Ordinal)
            ? new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("<html>Down for maintenance</html>", System.Text.Encoding.UTF8, "text/html") }
            : null;
        var connector = orgs.Services.GetRequiredService<ISalesforceConnector>();
        var start = await connector.StartAsync(new SalesforceConnectRequest { TenantId = "acme", RedirectUri = Callback, MyDomain = org.InstanceUrl });

        var result = await connector.CompleteAsync(await AuthorizeAsync(orgs, start));

        result.Status.Should().Be(SalesforceConnectStatus.Connected, result.Message);
        result.Org!.OrganizationId.Should().Be(org.OrganizationId);
        result.Org.UserId.Should().NotBeNullOrEmpty();
        result.Org.Username.Should().BeNull("only the identity answer names the user");
        (await orgs.Store.GetConnectionAsync("acme", default))!.RefreshToken.Should().NotBeNullOrEmpty();
    }

    private static TenantOrgs Orgs(out ChatToSalesforce.Testing.SalesforceEmulator org)
    {
        var orgs = new TenantOrgs();
        org = orgs.Add("acme", autoApprove: true);
        org.RegisterClient("chat2sf", [Callback.ToString()], "chat2sf");
        return orgs;
    }

    /// <summary>What the admin's browser does with auto-approve: follow the authorization URL to the callback redirect.</summary>
    private static async Task<SalesforceCallback> AuthorizeAsync(TenantOrgs orgs, SalesforceAuthorizationStart start)
    {
        using var browser = new HttpClient(orgs.CreateHandler());
        using var response = await browser.GetAsync(start.AuthorizationUrl);
        ((int)response.StatusCode).Should().Be(302, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).Should().Be(Callback.ToString());
        return SalesforceCallback.FromUrl(location);
    }

    private static SalesforceCallback With(SalesforceCallback c, string? state = null, string? code = null, string? error = null, string? expectedTenant = null, Uri? redirect = null) => new()
    {
        RedirectUri = redirect ?? c.RedirectUri,
        State = state ?? c.State,
        Code = code is null ? c.Code : code.Length == 0 ? null : code,
        Error = error ?? c.Error,
        ExpectedTenantId = expectedTenant ?? c.ExpectedTenantId,
    };
}
