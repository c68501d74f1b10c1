using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Web;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>The OAuth web-server flow with PKCE, the identity URL, userinfo and revocation (issue 14 item 3).</summary>
public sealed class WebServerFlowTests
{
    private const string Callback = "https://app.example.com/salesforce/callback";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more";

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string AuthorizeUrl(string host = "https://emulator.my.salesforce.com", string clientId = "app", string redirect = Callback, string state = "st-1", string? extra = null) =>
        $"{host}/services/oauth2/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(redirect)}&state={Uri.EscapeDataString(state)}&code_challenge={Challenge(Verifier)}&code_challenge_method=S256&scope=api%20refresh_token{extra}";

    private static async Task<Reply> Send(HttpClient http, HttpMethod method, string url, string? form = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return await Reply.Read(response);
    }

    private static System.Collections.Specialized.NameValueCollection Query(Reply redirect)
    {
        redirect.Status.Should().Be(302, redirect.Text);
        var location = redirect.Headers.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).Should().Be(Callback);
        return HttpUtility.ParseQueryString(location.Query);
    }

    private static async Task<string> Code(HttpClient http, string? extra = null) =>
        Query(await Send(http, HttpMethod.Get, AuthorizeUrl(extra: extra)))["code"]!;

    private static string Exchange(string code, string? verifier = Verifier, string? secret = "s3cret", string redirect = Callback, string clientId = "app") =>
        $"grant_type=authorization_code&code={Uri.EscapeDataString(code)}&client_id={clientId}&redirect_uri={Uri.EscapeDataString(redirect)}"
        + (secret is null ? string.Empty : $"&client_secret={secret}") + (verifier is null ? string.Empty : $"&code_verifier={verifier}");

    private static (SalesforceEmulator Emulator, HttpClient Http) Org(SalesforceEmulatorOptions? options = null)
    {
        options ??= new SalesforceEmulatorOptions();
        options.AutoApproveAuthorization = true;
        var emulator = new SalesforceEmulator(options);
        emulator.RegisterClient("app", [Callback], "s3cret");
        return (emulator, new HttpClient(emulator.CreateHandler()));
    }

    private const string TokenUrl = "https://emulator.my.salesforce.com/services/oauth2/token";

    [Fact]
    public async Task Auto_approved_code_exchanges_once_for_salesforce_shaped_tokens_and_the_identity()
    {
        var (emulator, http) = Org();
        using var _ = emulator;
        using var __ = http;
        var query = Query(await Send(http, HttpMethod.Get, AuthorizeUrl()));
        query["state"].Should().Be("st-1");
        var code = query["code"]!;

        var token = await Send(http, HttpMethod.Post, TokenUrl, Exchange(code));
        token.Status.Should().Be(200, token.Text);
        token.Json!.AsObject().Select(p => p.Key).Should().Contain(["access_token", "refresh_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"]);
        ((string)token.Json!["scope"]!).Should().Be("api refresh_token");
        ((string)token.Json!["instance_url"]!).Should().Be("https://emulator.my.salesforce.com");
        var identityUrl = (string)token.Json!["id"]!;
        identityUrl.Should().Be($"https://login.salesforce.com/id/{emulator.OrganizationId}/{emulator.IntegrationUserId}");
        var access = (string)token.Json!["access_token"]!;
        (await Send(http, HttpMethod.Get, "https://emulator.my.salesforce.com/services/data/v62.0/limits", bearer: access)).Status.Should().Be(200);

        var identity = await Send(http, HttpMethod.Get, identityUrl, bearer: access);
        identity.Status.Should().Be(200, identity.Text);
        ((string)identity.Json!["user_id"]!).Should().Be(emulator.IntegrationUserId);
        ((string)identity.Json!["organization_id"]!).Should().Be(emulator.OrganizationId);
        ((string)identity.Json!["username"]!).Should().Be(emulator.IntegrationUsername);
        ((string)identity.Json!["display_name"]!).Should().Be("Integration User");
        ((string)identity.Json!["urls"]!["rest"]!).Should().Be("https://emulator.my.salesforce.com/services/data/v{version}/");
        var info = await Send(http, HttpMethod.Get, "https://emulator.my.salesforce.com/services/oauth2/userinfo", bearer: access);
        ((string)info.Json!["preferred_username"]!).Should().Be(emulator.IntegrationUsername);
        ((string)info.Json!["organization_id"]!).Should().Be(emulator.OrganizationId);

        var again = await Send(http, HttpMethod.Post, TokenUrl, Exchange(code));
        again.Status.Should().Be(400);
        again.Json!.ToJsonString().Should().Be("""{"error":"invalid_grant","error_description":"invalid authorization code"}""");
        emulator.ApiCallsUsed.Should().Be(1, "only the limits call is an API call");
    }

    [Fact]
    public async Task Login_and_consent_page_posts_back_and_redirects_with_a_code_or_access_denied()
    {
        using var emulator = new SalesforceEmulator();
        emulator.RegisterClient("app", [Callback], "s3cret");
        using var http = new HttpClient(emulator.CreateHandler());

        var page = await Send(http, HttpMethod.Get, AuthorizeUrl(state: "<script>x</script>", extra: "&login_hint=" + Uri.EscapeDataString(emulator.IntegrationUsername)));
        page.Status.Should().Be(200);
        page.Header("Content-Type").Should().StartWith("text/html");
        page.Header("X-Frame-Options").Should().Be("DENY");
        page.Text.Should().Contain("id=\"oaapprove\"").And.Contain("id=\"oadeny\"").And.Contain("&lt;script&gt;x&lt;/script&gt;").And.NotContain("<script>x");
        page.Text.Should().Contain($"value=\"{emulator.IntegrationUsername}\"", "the login hint fills the username");

        string Form(string action, string username) =>
            $"response_type=code&client_id=app&redirect_uri={Uri.EscapeDataString(Callback)}&state=st-2&code_challenge={Challenge(Verifier)}&code_challenge_method=S256&scope=api+refresh_token&username={Uri.EscapeDataString(username)}&password=pw&action={action}";

        var allowed = Query(await Send(http, HttpMethod.Post, "https://emulator.my.salesforce.com/services/oauth2/authorize", Form("allow", emulator.IntegrationUsername)));
        allowed["state"].Should().Be("st-2");
        (await Send(http, HttpMethod.Post, TokenUrl, Exchange(allowed["code"]!))).Status.Should().Be(200);

        var denied = Query(await Send(http, HttpMethod.Post, "https://emulator.my.salesforce.com/services/oauth2/authorize", Form("deny", emulator.IntegrationUsername)));
        denied["error"].Should().Be("access_denied");
        denied["state"].Should().Be("st-2");
        denied["code"].Should().BeNull();

        var unknownUser = await Send(http, HttpMethod.Post, "https://emulator.my.salesforce.com/services/oauth2/authorize", Form("allow", "nobody@example.com"));
        unknownUser.Status.Should().Be(200, "the page is shown again, nothing is redirected");
        unknownUser.Text.Should().Contain("Please check your username and password");
        emulator.UnexpectedErrors.Should().Be(0);
    }

    [Theory]
    [InlineData("app", "https://evil.example.com/callback", "redirect_uri_mismatch")]
    [InlineData("app", "https://app.example.com/salesforce/callback/", "redirect_uri_mismatch")]
    [InlineData("unknown-app", Callback, "invalid_client_id")]
    public async Task Authorize_shows_the_error_page_and_never_redirects_to_an_unregistered_callback(string clientId, string redirect, string error)
    {
        var (emulator, http) = Org();
        using var _ = emulator;
        using var __ = http;
        var reply = await Send(http, HttpMethod.Get, AuthorizeUrl(clientId: clientId, redirect: redirect));
        reply.Status.Should().Be(400);
        reply.Headers.Headers.Location.Should().BeNull();
        reply.Text.Should().Contain($"error={error}");
    }

    [Theory]
    [InlineData("&response_type=token", "unsupported_response_type")]
    [InlineData("&code_challenge_method=plain", "invalid_request")]
    public async Task Authorize_errors_after_the_callback_is_known_go_back_to_it(string extra, string error)
    {
        var (emulator, http) = Org();
        using var _ = emulator;
        using var __ = http;
        var url = AuthorizeUrl().Replace("response_type=code&", string.Empty, StringComparison.Ordinal).Replace("&code_challenge_method=S256", string.Empty, StringComparison.Ordinal);
        url += extra.Contains("response_type", StringComparison.Ordinal) ? extra : "&response_type=code" + extra;
        var query = Query(await Send(http, HttpMethod.Get, url));
        query["error"].Should().Be(error);
        query["state"].Should().Be("st-1");
    }

    [Fact]
    public async Task Code_exchange_rejects_bad_input_with_salesforce_errors_and_burns_the_code()
    {
        var clock = new ManualClock();
        var (emulator, http) = Org(new SalesforceEmulatorOptions { TimeProvider = clock });
        using var _ = emulator;
        using var __ = http;

        async Task<string> Fails(string form)
        {
            var reply = await Send(http, HttpMethod.Post, TokenUrl, form);
            reply.Status.Should().Be(400, reply.Text);
            return $"{reply.Json!["error"]}: {reply.Json!["error_description"]}";
        }

        (await Fails(Exchange(await Code(http), verifier: "wrong-verifier-wrong-verifier-wrong-verifier-1"))).Should().Be("invalid_request: invalid code verifier");
        (await Fails(Exchange(await Code(http), verifier: null))).Should().Be("invalid_grant: invalid code verifier");
        (await Fails(Exchange(await Code(http), redirect: "https://app.example.com/other"))).Should().Be("redirect_uri_mismatch: redirect_uri must match configuration");
        (await Fails(Exchange(await Code(http), secret: null))).Should().Be("invalid_client: invalid client credentials");
        (await Fails(Exchange(await Code(http), secret: "wrong"))).Should().Be("invalid_client: invalid client credentials");
        (await Fails(Exchange(await Code(http), clientId: "other-app"))).Should().Be("invalid_grant: invalid authorization code");
        (await Fails(Exchange("made-up-code"))).Should().Be("invalid_grant: invalid authorization code");
        (await Fails("grant_type=authorization_code&client_id=app")).Should().Be("invalid_grant: invalid authorization code");

        var code = await Code(http);
        clock.Advance(TimeSpan.FromMinutes(15));
        (await Fails(Exchange(code))).Should().Be("invalid_grant: expired authorization code");

        // A failed exchange burns the code: the right verifier afterwards does not bring it back.
        var burnt = await Code(http);
        await Fails(Exchange(burnt, verifier: "wrong-verifier-wrong-verifier-wrong-verifier-1"));
        (await Fails(Exchange(burnt))).Should().Be("invalid_grant: invalid authorization code");

        var fresh = await Code(http);
        clock.Advance(TimeSpan.FromMinutes(14));
        (await Send(http, HttpMethod.Post, TokenUrl, Exchange(fresh))).Status.Should().Be(200, "a code is good for 15 minutes");
    }

    [Fact]
    public async Task Secret_is_optional_when_the_app_does_not_require_it_and_no_refresh_token_without_the_scope()
    {
        using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { AutoApproveAuthorization = true });
        emulator.RegisterClient("public-app", [Callback, "http://127.0.0.1:7777/cb"], "s3cret", requireSecretForWebServerFlow: false);
        using var http = new HttpClient(emulator.CreateHandler());
        var code = Query(await Send(http, HttpMethod.Get, AuthorizeUrl(clientId: "public-app").Replace("scope=api%20refresh_token", "scope=api", StringComparison.Ordinal)))["code"]!;
        var token = await Send(http, HttpMethod.Post, TokenUrl, Exchange(code, secret: null, clientId: "public-app"));
        token.Status.Should().Be(200, token.Text);
        token.Json!.AsObject().ContainsKey("refresh_token").Should().BeFalse();
        ((string)token.Json!["scope"]!).Should().Be("api");
        emulator.Invoking(e => e.RegisterClient("bad", ["/relative"])).Should().Throw<ArgumentException>().WithMessage("*'/relative' is not an absolute URL*");
    }

    [Fact]
    public async Task Revoking_a_refresh_token_ends_its_access_tokens_and_later_refreshes()
    {
        var (emulator, http) = Org();
        using var _ = emulator;
        using var __ = http;
        var first = await Send(http, HttpMethod.Post, TokenUrl, Exchange(await Code(http)));
        var refresh = (string)first.Json!["refresh_token"]!;
        var refreshed = await Send(http, HttpMethod.Post, TokenUrl, $"grant_type=refresh_token&refresh_token={refresh}&client_id=app&client_secret=s3cret");
        refreshed.Status.Should().Be(200);
        var unrelated = emulator.IssueAccessToken();
        var accessTokens = new[] { (string)first.Json!["access_token"]!, (string)refreshed.Json!["access_token"]! };

        (await Send(http, HttpMethod.Post, "https://emulator.my.salesforce.com/services/oauth2/revoke", $"token={Uri.EscapeDataString(refresh)}")).Status.Should().Be(200);
        foreach (var access in accessTokens)
        {
            (await Send(http, HttpMethod.Get, "https://emulator.my.salesforce.com/services/data/v62.0/limits", bearer: access)).Status.Should().Be(401);
        }

        (await Send(http, HttpMethod.Get, "https://emulator.my.salesforce.com/services/data/v62.0/limits", bearer: unrelated)).Status.Should().Be(200, "other sessions live on");
        var after = await Send(http, HttpMethod.Post, TokenUrl, $"grant_type=refresh_token&refresh_token={refresh}&client_id=app&client_secret=s3cret");
        after.Json!.ToJsonString().Should().Be("""{"error":"invalid_grant","error_description":"expired access/refresh token"}""");

        // An access token alone; then unknown and missing tokens.
        (await Send(http, HttpMethod.Get, $"https://emulator.my.salesforce.com/services/oauth2/revoke?token={Uri.EscapeDataString(unrelated)}")).Status.Should().Be(200);
        (await Send(http, HttpMethod.Get, "https://emulator.my.salesforce.com/services/data/v62.0/limits", bearer: unrelated)).Status.Should().Be(401);
        var unknown = await Send(http, HttpMethod.Post, "https://emulator.my.salesforce.com/services/oauth2/revoke", "token=nothing");
        unknown.Status.Should().Be(400);
        ((string)unknown.Json!["error"]!).Should().Be("invalid_token");
        ((string)(await Send(http, HttpMethod.Post, "https://emulator.my.salesforce.com/services/oauth2/revoke", "x=1")).Json!["error"]!).Should().Be("unsupported_token_type");
        emulator.RequestLog.Should().Contain(r => r.Path == "/services/oauth2/revoke?token=(redacted)", "tokens in a query never reach the request log");
        emulator.RequestLog.Should().NotContain(r => r.Path.Contains(unrelated, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reusing_a_rotated_away_refresh_token_revokes_the_family_with_its_access_tokens()
    {
        var (emulator, http) = Org(new SalesforceEmulatorOptions { RefreshTokenRotation = true });
        using var _ = emulator;
        using var __ = http;
        var first = await Send(http, HttpMethod.Post, TokenUrl, Exchange(await Code(http)));
        var r1 = (string)first.Json!["refresh_token"]!;
        var second = await Send(http, HttpMethod.Post, TokenUrl, $"grant_type=refresh_token&refresh_token={r1}&client_id=app&client_secret=s3cret");
        var r2 = (string)second.Json!["refresh_token"]!;
        r2.Should().NotBe(r1);
        var a2 = (string)second.Json!["access_token"]!;

        (await Send(http, HttpMethod.Post, TokenUrl, $"grant_type=refresh_token&refresh_token={r1}&client_id=app&client_secret=s3cret")).Json!["error"]!.GetValue<string>().Should().Be("invalid_grant");
        (await Send(http, HttpMethod.Get, "https://emulator.my.salesforce.com/services/data/v62.0/limits", bearer: a2)).Status.Should().Be(401, "the family's access tokens end too");
        (await Send(http, HttpMethod.Post, TokenUrl, $"grant_type=refresh_token&refresh_token={r2}&client_id=app&client_secret=s3cret")).Json!["error"]!.GetValue<string>().Should().Be("invalid_grant");
    }

    [Fact]
    public async Task Identity_url_needs_a_token_of_the_org_and_a_user_of_it()
    {
        var (emulator, http) = Org();
        using var _ = emulator;
        using var __ = http;
        var access = emulator.IssueAccessToken();
        var url = $"https://login.salesforce.com/id/{emulator.OrganizationId}/{emulator.IntegrationUserId}";
        var noToken = await Send(http, HttpMethod.Get, url);
        noToken.Status.Should().Be(403);
        noToken.Text.Should().Be("Bad_OAuth_Token");
        (await Send(http, HttpMethod.Get, url + "?oauth_token=" + Uri.EscapeDataString(access))).Status.Should().Be(200, "the token may come in the query");
        var badId = await Send(http, HttpMethod.Get, $"https://login.salesforce.com/id/{emulator.OrganizationId}/005000000000000AAA", bearer: access);
        badId.Status.Should().Be(404);
        badId.Text.Should().Be("Bad_Id");
    }

    [Fact]
    public async Task Cluster_routes_the_web_server_flow_on_the_login_host_by_login_hint_code_org_id_and_token()
    {
        await using var cluster = new SalesforceEmulatorCluster();
        var acme = cluster.AddOrg("acme", new SalesforceEmulatorOptions { AutoApproveAuthorization = true });
        var globex = cluster.AddOrg("globex", new SalesforceEmulatorOptions { AutoApproveAuthorization = true });
        foreach (var org in cluster.Orgs)
        {
            org.RegisterClient("app", [Callback], "s3cret");
        }

        using var http = new HttpClient(cluster.CreateHandler());
        var code = Query(await Send(http, HttpMethod.Get, AuthorizeUrl(host: "https://login.salesforce.com", extra: "&login_hint=" + Uri.EscapeDataString(globex.IntegrationUsername))))["code"]!;
        var token = await Send(http, HttpMethod.Post, "https://login.salesforce.com/services/oauth2/token", Exchange(code));
        token.Status.Should().Be(200, token.Text);
        ((string)token.Json!["instance_url"]!).Should().Be("https://globex.my.salesforce.com");
        var access = (string)token.Json!["access_token"]!;
        var identity = await Send(http, HttpMethod.Get, (string)token.Json!["id"]!, bearer: access);
        ((string)identity.Json!["organization_id"]!).Should().Be(globex.OrganizationId);
        (await Send(http, HttpMethod.Post, "https://login.salesforce.com/services/oauth2/revoke", "token=" + Uri.EscapeDataString((string)token.Json!["refresh_token"]!))).Status.Should().Be(200);
        (await Send(http, HttpMethod.Get, "https://globex.my.salesforce.com/services/data/v62.0/limits", bearer: access)).Status.Should().Be(401);

        // Without a hint the login host cannot tell the org of an app installed in both: it says so instead of guessing.
        var ambiguous = await Send(http, HttpMethod.Get, AuthorizeUrl(host: "https://login.salesforce.com"));
        ambiguous.Status.Should().Be(400);
        ambiguous.Text.Should().Contain("login_hint");
        (await Send(http, HttpMethod.Post, "https://login.salesforce.com/services/oauth2/token", Exchange("made-up"))).Json!["error_description"]!.GetValue<string>().Should().Be("invalid authorization code");
        acme.ApiCallsUsed.Should().Be(0);
    }

    [Fact]
    public async Task Served_emulator_runs_the_page_flow_over_http()
    {
        await using var emulator = new SalesforceEmulator();
        emulator.RegisterClient("app", [Callback], "s3cret");
        var baseUrl = await emulator.StartServerAsync();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler);

        var page = await Send(http, HttpMethod.Get, AuthorizeUrl(host: baseUrl.GetLeftPart(UriPartial.Authority)));
        page.Status.Should().Be(200);
        var form = $"response_type=code&client_id=app&redirect_uri={Uri.EscapeDataString(Callback)}&state=st-1&code_challenge={Challenge(Verifier)}&code_challenge_method=S256&username={Uri.EscapeDataString(emulator.IntegrationUsername)}&password=x&action=allow";
        var redirect = await Send(http, HttpMethod.Post, new Uri(baseUrl, "/services/oauth2/authorize").ToString(), form);
        redirect.Headers.StatusCode.Should().Be(HttpStatusCode.Found);
        var code = Query(redirect)["code"]!;
        var token = await Send(http, HttpMethod.Post, new Uri(baseUrl, "/services/oauth2/token").ToString(), Exchange(code));
        token.Status.Should().Be(200, token.Text);
        ((string)token.Json!["instance_url"]!).Should().Be(baseUrl.GetLeftPart(UriPartial.Authority));

        // Served, the identity URL points at the org itself: login.salesforce.com is out of reach of a loopback test.
        var identityUrl = (string)token.Json!["id"]!;
        identityUrl.Should().Be($"{baseUrl.GetLeftPart(UriPartial.Authority)}/id/{emulator.OrganizationId}/{emulator.IntegrationUserId}");
        var identity = await Send(http, HttpMethod.Get, identityUrl, bearer: (string)token.Json!["access_token"]!);
        ((string)identity.Json!["username"]!).Should().Be(emulator.IntegrationUsername);
    }

    [Fact]
    public async Task Seed_file_registers_callback_urls_and_rejects_a_relative_one()
    {
        var path = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(path, $$"""{ "clients": [ { "clientId": "app", "clientSecret": "s3cret", "callbackUrls": [ "{{Callback}}" ], "requireSecretForWebServerFlow": false } ] }""");
            using var emulator = SalesforceEmulator.FromSeedFile(path, new SalesforceEmulatorOptions { AutoApproveAuthorization = true });
            using var http = new HttpClient(emulator.CreateHandler());
            var token = await Send(http, HttpMethod.Post, TokenUrl, Exchange(await Code(http), secret: null));
            token.Status.Should().Be(200, token.Text);

            await File.WriteAllTextAsync(path, """{ "clients": [ { "clientId": "app", "callbackUrls": [ "/callback" ] } ] }""");
            var act = () => SalesforceEmulator.FromSeedFile(path);
            act.Should().Throw<EmulatorSeedException>().WithMessage("*clients[0]*'/callback' is not an absolute URL*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
