using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Several orgs in one emulator (issue 13 item 5): isolation, routing by host, token routing on the login hosts, serving.</summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    private static async Task<Reply> Post(HttpClient http, string url, string form)
    {
        using var content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync(url, content);
        return await Reply.Read(response);
    }

    private static async Task<Reply> Get(HttpClient http, string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return await Reply.Read(response);
    }

    private static string ClientCredentials(SalesforceEmulator org) =>
        $"grant_type=client_credentials&client_id={Uri.EscapeDataString(org.ClientId)}&client_secret={Uri.EscapeDataString(org.ClientSecret)}";

    [Fact]
    public void AddOrg_gives_each_org_its_own_identity_url_and_credentials()
    {
        using var cluster = new SalesforceEmulatorCluster();
        var acme = cluster.AddOrg("acme");
        var globex = cluster.AddOrg("Globex");

        acme.InstanceUrl.Should().Be(new Uri("https://acme.my.salesforce.com"));
        globex.InstanceUrl.Should().Be(new Uri("https://globex.my.salesforce.com"));
        acme.OrganizationId.Should().NotBe(globex.OrganizationId).And.StartWith("00D");
        acme.IntegrationUserId.Should().NotBe(globex.IntegrationUserId, "record ids are unique across orgs, as Salesforce's are");
        acme.IntegrationUsername.Should().Be("integration@acme.emulator.example.com");
        globex.IntegrationUsername.Should().Be("integration@globex.emulator.example.com");
        acme.ClientId.Should().Be("chat2sf-acme");
        acme.ClientSecret.Should().NotBe(globex.ClientSecret).And.HaveLength(32);
        cluster["GLOBEX"].Should().BeSameAs(globex);
        cluster.Orgs.Should().Equal(acme, globex);
        acme.Insert("Contact", new { LastName = "Lee" }).Should().NotBe(globex.Insert("Contact", new { LastName = "Lee" }));

        var own = cluster.AddOrg("initech", new SalesforceEmulatorOptions { ClientId = "app", ClientSecret = "s3cret", IntegrationUsername = "bot@initech.example", DailyApiLimit = 7 });
        own.ClientId.Should().Be("app");
        own.ClientSecret.Should().Be("s3cret");
        own.IntegrationUsername.Should().Be("bot@initech.example");
        own.DailyApiLimit.Should().Be(7);
        var lax = cluster.AddOrg("lax", new SalesforceEmulatorOptions { AcceptAnyClient = true });
        lax.ClientId.Should().Be("chat2sf-lax");
    }

    [Theory]
    [InlineData("")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("ac.me")]
    [InlineData("ac me")]
    [InlineData("acmé")]
    public void AddOrg_rejects_a_name_that_is_not_a_DNS_label(string name)
    {
        using var cluster = new SalesforceEmulatorCluster();
        var act = () => cluster.AddOrg(name);
        act.Should().Throw<ArgumentException>().WithMessage($"The org name '{name}' is not a DNS label*letters, digits and hyphens*");
        cluster.Orgs.Should().BeEmpty();
    }

    [Fact]
    public void AddOrg_rejects_a_taken_name_a_taken_username_and_a_64_character_name()
    {
        using var cluster = new SalesforceEmulatorCluster();
        cluster.AddOrg("acme", new SalesforceEmulatorOptions { IntegrationUsername = "bot@example.com" });
        cluster.Invoking(c => c.AddOrg("ACME")).Should().Throw<ArgumentException>().WithMessage("The cluster already has an org named 'ACME'.*");
        cluster.Invoking(c => c.AddOrg("other", new SalesforceEmulatorOptions { IntegrationUsername = "bot@example.com" }))
            .Should().Throw<ArgumentException>().WithMessage("*integration username 'bot@example.com'*unique across orgs*");
        cluster.Invoking(c => c.AddOrg(new string('a', 64))).Should().Throw<ArgumentException>().WithMessage("*not a DNS label*");
        cluster.AddOrg(new string('a', 63)).InstanceUrl.Host.Should().HaveLength(63 + ".my.salesforce.com".Length);
        cluster.Invoking(c => c["nobody"]).Should().Throw<KeyNotFoundException>().WithMessage("The cluster has no org named 'nobody'.");
    }

    [Fact]
    public void Options_given_to_AddOrg_are_copied_so_one_object_can_configure_many_orgs()
    {
        using var cluster = new SalesforceEmulatorCluster();
        var options = new SalesforceEmulatorOptions { DailyApiLimit = 50 };
        var a = cluster.AddOrg("a", options);
        var b = cluster.AddOrg("b", options);
        a.DailyApiLimit = 1;
        b.DailyApiLimit.Should().Be(50);
        options.DailyApiLimit.Should().Be(50);
        options.ClientId.Should().Be("chat2sf", "the caller's options are not changed");
    }

    [Fact]
    public async Task One_handler_routes_by_host_and_keeps_records_and_limits_apart()
    {
        await using var cluster = new SalesforceEmulatorCluster();
        var acme = cluster.AddOrg("acme");
        var globex = cluster.AddOrg("globex", new SalesforceEmulatorOptions { DailyApiLimit = 1 });
        acme.Insert("Contact", new { LastName = "Acme Person", Email = "ann@acme.example" });
        using var http = new HttpClient(cluster.CreateHandler());

        var acmeToken = await Post(http, "https://acme.my.salesforce.com/services/oauth2/token", ClientCredentials(acme));
        acmeToken.Status.Should().Be(200, acmeToken.Text);
        ((string)acmeToken.Json!["instance_url"]!).Should().Be("https://acme.my.salesforce.com");
        ((string)acmeToken.Json!["id"]!).Should().Contain(acme.OrganizationId);
        var globexToken = await Post(http, "https://globex.my.salesforce.com/services/oauth2/token", ClientCredentials(globex));
        ((string)globexToken.Json!["instance_url"]!).Should().Be("https://globex.my.salesforce.com");

        // Another org's credentials do not work at this org's My Domain (a cluster's orgs accept only their own clients by default).
        (await Post(http, "https://globex.my.salesforce.com/services/oauth2/token", ClientCredentials(acme))).Json!["error"]!.GetValue<string>().Should().Be("invalid_client_id");

        const string Query = "/services/data/v62.0/query?q=SELECT+LastName+FROM+Contact";
        var a = (string)acmeToken.Json!["access_token"]!;
        var g = (string)globexToken.Json!["access_token"]!;
        ((int)(await Get(http, "https://acme.my.salesforce.com" + Query, a)).Json!["totalSize"]!).Should().Be(1);
        ((int)(await Get(http, "https://globex.my.salesforce.com" + Query, g)).Json!["totalSize"]!).Should().Be(0);
        (await Get(http, "https://globex.my.salesforce.com" + Query, a)).Status.Should().Be(401, "a session belongs to its org");

        // globex has a daily limit of 1: its second call is refused, acme is untouched.
        (await Get(http, "https://globex.my.salesforce.com" + Query, g)).ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        (await Get(http, "https://acme.my.salesforce.com" + Query, a)).Status.Should().Be(200);
        acme.ApiCallsUsed.Should().Be(2);
        globex.ApiCallsUsed.Should().Be(1);
        acme.RequestLog.Should().OnlyContain(r => r.Path.StartsWith("/services/", StringComparison.Ordinal)).And.HaveCount(3);
        globex.RequestLog.Should().HaveCount(5);
    }

    [Fact]
    public async Task Unknown_host_fails_like_a_My_Domain_that_does_not_exist()
    {
        await using var cluster = new SalesforceEmulatorCluster();
        cluster.AddOrg("acme");
        using var http = new HttpClient(cluster.CreateHandler());

        var act = () => http.GetAsync("https://nobody.my.salesforce.com/services/data");
        (await act.Should().ThrowAsync<HttpRequestException>()).Which.HttpRequestError.Should().Be(HttpRequestError.NameResolutionError);
        using var invoker = new HttpMessageInvoker(cluster.CreateHandler());
        using var relative = new HttpRequestMessage(HttpMethod.Get, new Uri("/services/data", UriKind.Relative));
        await invoker.Invoking(h => h.SendAsync(relative, CancellationToken.None))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("*absolute URL*BaseAddress*InstanceUrl*");
    }

    [Fact]
    public async Task Login_host_routes_token_requests_to_the_org_that_knows_the_credentials()
    {
        await using var cluster = new SalesforceEmulatorCluster();
        var acme = cluster.AddOrg("acme");
        var globex = cluster.AddOrg("globex", new SalesforceEmulatorOptions { RefreshTokenRotation = true });
        using var key = RSA.Create(2048);
        acme.RegisterClient("vendor-app", jwtPublicKeyPem: key.ExportSubjectPublicKeyInfoPem());
        globex.RegisterClient("vendor-app", jwtPublicKeyPem: key.ExportSubjectPublicKeyInfoPem());
        using var http = new HttpClient(cluster.CreateHandler());

        // JWT: the username says which org (the same vendor app is installed in both).
        foreach (var (org, host) in new[] { (globex, "login"), (acme, "test") })
        {
            var jwt = await Post(http, $"https://{host}.salesforce.com/services/oauth2/token", Jwt.Form(Jwt.Create(key, "vendor-app", org.IntegrationUsername)));
            jwt.Status.Should().Be(200, jwt.Text);
            ((string)jwt.Json!["instance_url"]!).Should().Be(org.InstanceUrl.GetLeftPart(UriPartial.Authority));
        }

        (await Post(http, "https://login.salesforce.com/services/oauth2/token", Jwt.Form(Jwt.Create(key, "vendor-app", "nobody@example.com"))))
            .Json!["error_description"]!.GetValue<string>().Should().Be("user hasn't approved this consumer");
        (await Post(http, "https://login.salesforce.com/services/oauth2/token", Jwt.Form("not-a-jwt")))
            .Json!["error_description"]!.GetValue<string>().Should().Be("invalid assertion");

        // Refresh: the org that issued the token answers, rotation and all.
        var refresh = globex.IssueRefreshToken();
        var refreshed = await Post(http, "https://login.salesforce.com/services/oauth2/token", $"grant_type=refresh_token&refresh_token={refresh}&client_id=vendor-app");
        refreshed.Status.Should().Be(200, refreshed.Text);
        ((string)refreshed.Json!["instance_url"]!).Should().Be("https://globex.my.salesforce.com");
        (await Post(http, "https://login.salesforce.com/services/oauth2/token", $"grant_type=refresh_token&refresh_token={refresh}&client_id=vendor-app"))
            .Json!["error_description"]!.GetValue<string>().Should().Be("expired access/refresh token", "a rotated-away token is refused by the org that rotated it");
        (await Post(http, "https://login.salesforce.com/services/oauth2/token", "grant_type=refresh_token&refresh_token=unknown"))
            .Json!["error"]!.GetValue<string>().Should().Be("invalid_grant");

        // Client credentials need the My Domain, whichever org the client belongs to.
        var cc = await Post(http, "https://login.salesforce.com/services/oauth2/token", ClientCredentials(acme));
        cc.Json!["error_description"]!.GetValue<string>().Should().Be("request not supported on this domain");
        acme.RequestLog.Should().Contain(r => r.Path == "/services/oauth2/token" && r.StatusCode == 400, "the client's org logs the request");
        (await Post(http, "https://login.salesforce.com/services/oauth2/token", "grant_type=client_credentials&client_id=nobody&client_secret=x"))
            .Json!["error_description"]!.GetValue<string>().Should().Be("request not supported on this domain");

        // Password grant: by username.
        var password = await Post(http, "https://login.salesforce.com/services/oauth2/token", $"grant_type=password&client_id={acme.ClientId}&client_secret={acme.ClientSecret}&username={Uri.EscapeDataString(acme.IntegrationUsername)}&password=x");
        ((string)password.Json!["instance_url"]!).Should().Be("https://acme.my.salesforce.com");
        (await Post(http, "https://login.salesforce.com/services/oauth2/token", "grant_type=magic")).Json!["error"]!.GetValue<string>().Should().Be("unsupported_grant_type");
        (await http.GetAsync("https://login.salesforce.com/services/data/v62.0/limits")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the login hosts are not API hosts");
        cluster.Orgs.Should().OnlyContain(o => o.UnexpectedErrors == 0);
    }

    [Fact]
    public async Task Served_cluster_gives_each_org_its_own_loopback_url_including_orgs_added_later()
    {
        await using var cluster = new SalesforceEmulatorCluster();
        var acme = cluster.AddOrg("acme");
        acme.Insert("Contact", new { LastName = "Acme Person" });
        await cluster.StartServerAsync();
        var late = cluster.AddOrg("late");

        acme.InstanceUrl.Scheme.Should().Be("http");
        acme.InstanceUrl.Host.Should().Be("127.0.0.1");
        late.InstanceUrl.Host.Should().Be("127.0.0.1");
        late.InstanceUrl.Port.Should().NotBe(acme.InstanceUrl.Port);
        await cluster.Invoking(c => c.StartServerAsync()).Should().ThrowAsync<InvalidOperationException>();

        using var http = new HttpClient();
        foreach (var (org, contacts) in new[] { (acme, 1), (late, 0) })
        {
            var token = await Post(http, new Uri(org.InstanceUrl, "/services/oauth2/token").ToString(), ClientCredentials(org));
            token.Status.Should().Be(200, token.Text);
            ((string)token.Json!["instance_url"]!).Should().Be(org.InstanceUrl.GetLeftPart(UriPartial.Authority));
            var query = await Get(http, new Uri(org.InstanceUrl, "/services/data/v62.0/query?q=SELECT+Id+FROM+Contact").ToString(), (string)token.Json!["access_token"]!);
            ((int)query.Json!["totalSize"]!).Should().Be(contacts);
        }

        // The in-process handler reaches served orgs by their loopback URL too.
        using var inProcess = new HttpClient(cluster.CreateHandler());
        (await Post(inProcess, new Uri(late.InstanceUrl, "/services/oauth2/token").ToString(), ClientCredentials(late))).Status.Should().Be(200);

        await cluster.StopServerAsync();
        acme.InstanceUrl.Should().Be(new Uri("https://acme.my.salesforce.com"));
        late.InstanceUrl.Should().Be(new Uri("https://late.my.salesforce.com"));
    }

    [Fact]
    public void A_thousand_orgs_stay_cheap()
    {
        using var cluster = new SalesforceEmulatorCluster();
        cluster.AddOrg("warmup");
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 1000; i++)
        {
            cluster.AddOrg($"tenant{i}");
        }

        var perOrg = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1000;
        GC.KeepAlive(cluster);
        output.WriteLine($"memory per org: {perOrg:N0} bytes");
        perOrg.Should().BeLessThan(256 * 1024, $"an org costs {perOrg:N0} bytes");
    }
}
