using System.Net;
using System.Web;
using ChatToSalesforce.Connect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatToSalesforce.AspNetCore.Tests;

/// <summary>Issue 14 item 2: the connect, callback and disconnect endpoints on TestServer against in-process orgs (auto-approve).</summary>
public sealed class ConnectEndpointTests
{
    /// <summary>The tenant's admin goes to the tenant's My Domain (the cluster's org named after the tenant).</summary>
    private static void AcmeDomain(SalesforceConnectEndpointOptions o) =>
        o.ResolveMyDomain = (_, tenant) => ValueTask.FromResult<Uri?>(new Uri($"https://{tenant}.my.salesforce.com"));

    [Fact]
    public async Task Connect_redirects_to_the_org_authorize_page_with_S256_and_a_state_bound_to_this_browser()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var browser = host.CreateBrowser();

        using var response = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "alice");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).Should().Be("https://acme.my.salesforce.com/services/oauth2/authorize");
        var query = HttpUtility.ParseQueryString(location.Query);
        query["response_type"].Should().Be("code");
        query["client_id"].Should().Be(ConnectHost.ClientId);
        query["redirect_uri"].Should().Be("http://localhost/salesforce/callback");
        query["code_challenge_method"].Should().Be("S256");
        query["code_challenge"].Should().MatchRegex("^[A-Za-z0-9_-]{43}$");
        query["scope"].Should().Be("api refresh_token");
        var state = query["state"];
        state.Should().NotBeNullOrEmpty();
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var cookie = response.Headers.GetValues("Set-Cookie").Should().ContainSingle().Which;
        cookie.Should().Contain("httponly").And.Contain("samesite=lax").And.Contain("path=/salesforce").And.NotContain(state!);
        query["client_secret"].Should().BeNull();
        location.ToString().Should().NotContain(ConnectHost.ClientSecret);
    }

    [Theory]
    [InlineData("", "https://login.salesforce.com/services/oauth2/authorize")]
    [InlineData("&sandbox=true", "https://test.salesforce.com/services/oauth2/authorize")]
    public async Task Without_a_My_Domain_the_admin_goes_to_the_production_or_sandbox_login_host(string sandbox, string authorize)
    {
        await using var host = await ConnectHost.StartAsync();
        using var browser = host.CreateBrowser();

        using var response = await browser.GetAsync("/salesforce/connect?tenant=acme" + sandbox, user: "alice");

        response.Headers.Location!.GetLeftPart(UriPartial.Path).Should().Be(authorize);
    }

    [Fact]
    public async Task The_callback_connects_the_tenant_and_the_tenant_then_exports_into_its_org()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var browser = host.CreateBrowser();
        using var start = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "alice");
        var callback = await browser.AuthorizeAsync(start.Headers.Location!);

        using var page = await browser.GetAsync(callback.PathAndQuery, user: "alice");

        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.Should().Be(HttpStatusCode.OK, html);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("data-status=\"connected\"").And.Contain("Connected as " + host.Acme.IntegrationUsername).And.Contain(host.Acme.OrganizationId);
        var connection = await host.Store.GetConnectionAsync("acme", default);
        connection!.Org.OrganizationId.Should().Be(host.Acme.OrganizationId);
        html.Should().NotContain(connection.RefreshToken);
        page.Headers.GetValues("Set-Cookie").Should().ContainSingle().Which.Should().Contain("expires=Thu, 01 Jan 1970", "the browser binding is used up");

        var export = await host.Exporter.ExportAsync(ConnectHost.Chat("acme", "chat-1", "ada@example.com"));

        export.Status.Should().Be(ExportStatus.Exported);
        host.Acme.Records("Contact").Should().Contain(c => (string?)c["Email"] == "ada@example.com");
        host.Cluster["home"].Records("Contact").Should().NotContain(c => (string?)c["Email"] == "ada@example.com");
        var sdkLogs = host.Logs.Lines.Where(l => l.StartsWith("ChatToSalesforce", StringComparison.Ordinal)).ToList();
        sdkLogs.Should().Contain(l => l.Contains("acme", StringComparison.Ordinal));
        var code = HttpUtility.ParseQueryString(callback.Query)["code"]!;
        foreach (var secret in new[] { connection.RefreshToken, ConnectHost.ClientSecret, code })
        {
            sdkLogs.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal));
            html.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task Deny_at_Salesforce_shows_that_access_was_denied_and_stores_nothing()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var browser = host.CreateBrowser();
        using var start = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "alice");
        var state = HttpUtility.ParseQueryString(start.Headers.Location!.Query)["state"]!;

        using var page = await browser.GetAsync($"/salesforce/callback?error=access_denied&error_description=end-user+denied+authorization&state={Uri.EscapeDataString(state)}", user: "alice");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("data-status=\"denied\"").And.Contain("denied access");
        (await host.Store.GetConnectionAsync("acme", default)).Should().BeNull();
    }

    [Fact]
    public async Task An_error_sent_to_the_callback_is_shown_as_text_never_as_markup()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var browser = host.CreateBrowser();
        using var start = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "alice");
        var state = HttpUtility.ParseQueryString(start.Headers.Location!.Query)["state"]!;
        const string Hostile = "<img src=x onerror=alert(1)>";

        using var page = await browser.GetAsync($"/salesforce/callback?error={Uri.EscapeDataString(Hostile)}&state={Uri.EscapeDataString(state)}", user: "alice");

        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("&lt;img src=x onerror=alert(1)&gt;").And.NotContain(Hostile);
        page.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'none'");
        (await host.Store.GetConnectionAsync("acme", default)).Should().BeNull();
    }

    [Fact]
    public async Task A_tampered_state_is_refused_and_the_real_one_still_connects()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var browser = host.CreateBrowser();
        using var start = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "alice");
        var callback = await browser.AuthorizeAsync(start.Headers.Location!);
        var state = HttpUtility.ParseQueryString(callback.Query)["state"]!;
        var tampered = callback.PathAndQuery.Replace(Uri.EscapeDataString(state), Uri.EscapeDataString(state[..^2] + "xx"), StringComparison.Ordinal);
        tampered.Should().NotBe(callback.PathAndQuery);

        using var refused = await browser.GetAsync(tampered, user: "alice");

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("data-error=\"invalid_state\"").And.Contain("nothing was stored");
        (await host.Store.GetConnectionAsync("acme", default)).Should().BeNull();

        // The tampered request used up neither this browser's binding nor the pending state.
        using var real = await browser.GetAsync(callback.PathAndQuery, user: "alice");
        real.StatusCode.Should().Be(HttpStatusCode.OK);
        (await host.Store.GetConnectionAsync("acme", default)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_callback_in_another_browser_is_refused_before_anything_is_exchanged()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var attacker = host.CreateBrowser();
        using var victim = host.CreateBrowser();
        using var start = await attacker.GetAsync("/salesforce/connect?tenant=acme", user: "mallory");
        var callback = await attacker.AuthorizeAsync(start.Headers.Location!);

        using var lured = await victim.GetAsync(callback.PathAndQuery, user: "alice");

        lured.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await lured.Content.ReadAsStringAsync()).Should().Contain("data-error=\"browser_mismatch\"");
        (await host.Store.GetConnectionAsync("acme", default)).Should().BeNull();
        host.Acme.RequestLog.Should().NotContain(r => r.Path.EndsWith("/services/oauth2/token", StringComparison.Ordinal), "the code was not exchanged");

        using var own = await attacker.GetAsync(callback.PathAndQuery, user: "mallory");
        own.StatusCode.Should().Be(HttpStatusCode.OK, "the browser that started still completes");
    }

    [Fact]
    public async Task By_default_only_a_signed_in_user_may_connect_and_a_missing_tenant_is_named()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var browser = host.CreateBrowser();

        using var anonymous = await browser.GetAsync("/salesforce/connect?tenant=acme");
        using var noTenant = await browser.GetAsync("/salesforce/connect", user: "alice");
        using var disconnect = await browser.PostAsync("/salesforce/disconnect", [new("tenant", "acme")]);

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.Headers.Location.Should().BeNull();
        noTenant.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noTenant.Content.ReadAsStringAsync()).Should().Contain("?tenant=");
        disconnect.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_the_tenant_taken_from_the_signed_in_user_another_tenant_cannot_be_connected_or_completed()
    {
        await using var host = await ConnectHost.StartAsync(o =>
        {
            AcmeDomain(o);
            o.ResolveTenant = context => ValueTask.FromResult(context.User.FindFirst("tenant")?.Value);
            o.CanConnect = (context, tenant) => ValueTask.FromResult(context.User.Identity?.Name?.StartsWith("admin", StringComparison.Ordinal) == true);
        });
        using var browser = host.CreateBrowser();

        using var notAdmin = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "user-1", tenant: "acme");
        using var noTenant = await browser.GetAsync("/salesforce/connect", user: "admin-0");
        using var start = await browser.GetAsync("/salesforce/connect?tenant=globex", user: "admin-1", tenant: "acme");
        var callback = await browser.AuthorizeAsync(start.Headers.Location!);
        using var foreign = await browser.GetAsync(callback.PathAndQuery, user: "admin-2", tenant: "globex");

        notAdmin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        noTenant.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        start.Headers.Location!.Host.Should().Be("acme.my.salesforce.com", "the query's tenant is ignored when the host resolves it");
        foreign.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await foreign.Content.ReadAsStringAsync()).Should().Contain("data-error=\"foreign_state\"");
        (await host.Store.GetConnectionAsync("acme", default)).Should().BeNull();
        (await host.Store.GetConnectionAsync("globex", default)).Should().BeNull();
    }

    [Fact]
    public async Task Disconnect_revokes_the_tenant_and_it_then_exports_nothing()
    {
        await using var host = await ConnectHost.StartAsync(AcmeDomain);
        using var browser = host.CreateBrowser();
        using var start = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "alice");
        using var connected = await browser.GetAsync((await browser.AuthorizeAsync(start.Headers.Location!)).PathAndQuery, user: "alice");
        connected.StatusCode.Should().Be(HttpStatusCode.OK);

        using var page = await browser.PostAsync("/salesforce/disconnect", [new("tenant", "acme")], user: "alice");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("data-status=\"disconnected\"");
        (await host.Store.GetConnectionAsync("acme", default)).Should().BeNull();
        host.Acme.RequestLog.Should().Contain(r => r.Path.EndsWith("/services/oauth2/revoke", StringComparison.Ordinal));
        var export = () => host.Exporter.ExportAsync(ConnectHost.Chat("acme", "chat-2", "grace@example.com"));
        (await export.Should().ThrowAsync<ChatToSalesforceException>()).Which.Message.Should().Contain("disconnected");
    }

    [Fact]
    public async Task The_host_hooks_decide_what_the_admin_sees_and_a_configured_callback_url_is_used()
    {
        SalesforceConnectResult? seen = null;
        await using var host = await ConnectHost.StartAsync(o =>
        {
            AcmeDomain(o);
            o.CallbackUrl = new Uri("http://localhost/salesforce/callback");
            o.OnCompleted = (_, result) =>
            {
                seen = result;
                return Task.FromResult(Results.Redirect($"/settings?salesforce={result.Status}"));
            };
            o.OnDisconnected = (_, result) => Task.FromResult(Results.Json(new { result.TenantId, result.Revoked }));
        });
        using var browser = host.CreateBrowser();
        using var start = await browser.GetAsync("/salesforce/connect?tenant=acme", user: "alice");
        HttpUtility.ParseQueryString(start.Headers.Location!.Query)["redirect_uri"].Should().Be("http://localhost/salesforce/callback");

        using var done = await browser.GetAsync((await browser.AuthorizeAsync(start.Headers.Location!)).PathAndQuery, user: "alice");
        using var disconnected = await browser.PostAsync("/salesforce/disconnect?tenant=acme", [], user: "alice");

        done.StatusCode.Should().Be(HttpStatusCode.Redirect);
        done.Headers.Location!.ToString().Should().Be("/settings?salesforce=Connected");
        seen!.TenantId.Should().Be("acme");
        (await disconnected.Content.ReadAsStringAsync()).Should().Be("{\"tenantId\":\"acme\",\"revoked\":true}");
    }

    [Fact]
    public async Task Mapping_needs_the_sdk_and_a_plain_path()
    {
        var builder = WebApplication.CreateBuilder();
        await using var bare = builder.Build();
        var withoutSdk = () => bare.MapSalesforceConnect();
        withoutSdk.Should().Throw<InvalidOperationException>().WithMessage("*AddSalesforceChatExport*");

        await using var host = await ConnectHost.StartAsync();
        var withParameter = () => host.App.MapSalesforceConnect("/salesforce/{tenant}");
        withParameter.Should().Throw<ArgumentException>().WithMessage("*plain path*");
    }
}
