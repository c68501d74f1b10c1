using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

public sealed class AuthTests
{
    private static async Task<Reply> Token(HttpClient http, string form, string? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/services/oauth2/token")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (basic is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }

        using var response = await http.SendAsync(request);
        return await Reply.Read(response);
    }

    private static async Task<int> Call(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v62.0/limits");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Client_credentials_returns_salesforce_token_shape_and_checks_registered_secrets()
    {
        await using var emulator = new SalesforceEmulator();
        using var login = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri("https://login.salesforce.com") };
        (await Token(login, "grant_type=client_credentials&client_id=any&client_secret=thing")).Json!["error_description"]!.GetValue<string>().Should().Be("request not supported on this domain");
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        var ok = await Token(http, "grant_type=client_credentials&client_id=any&client_secret=thing");
        ok.Status.Should().Be(200);
        ok.Json!.AsObject().Select(p => p.Key).Should().Contain(["access_token", "instance_url", "id", "token_type", "issued_at", "signature"]).And.NotContain("refresh_token");
        ((string)ok.Json!["instance_url"]!).Should().Be("https://emulator.my.salesforce.com");
        ((string)ok.Json!["id"]!).Should().Be($"https://login.salesforce.com/id/{emulator.OrganizationId}/{emulator.IntegrationUserId}");
        (await Call(http, (string)ok.Json!["access_token"]!)).Should().Be(200);

        emulator.RegisterClient("app", "secret");
        (await Token(http, "grant_type=client_credentials&client_id=app&client_secret=wrong")).Json!["error"]!.GetValue<string>().Should().Be("invalid_client");
        (await Token(http, "grant_type=client_credentials", basic: "app:secret")).Status.Should().Be(200);
        (await Token(http, "grant_type=magic")).Json!["error"]!.GetValue<string>().Should().Be("unsupported_grant_type");
        emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task Sessions_expire_after_inactivity_and_on_demand()
    {
        var clock = new ManualClock();
        using var org = new Org(new SalesforceEmulatorOptions { SessionTimeout = TimeSpan.FromMinutes(120), TimeProvider = clock });
        clock.Advance(TimeSpan.FromMinutes(119));
        (await org.Get("/services/data/v62.0/limits")).Status.Should().Be(200);
        clock.Advance(TimeSpan.FromMinutes(119));
        (await org.Get("/services/data/v62.0/limits")).Status.Should().Be(200, "API calls reset the inactivity timeout");
        clock.Advance(TimeSpan.FromMinutes(121));
        var expired = await org.Get("/services/data/v62.0/limits");
        expired.Status.Should().Be(401);
        expired.Json!.ToJsonString().Should().Be("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""");

        var fresh = org.Emulator.IssueAccessToken();
        (await Call(org.Http, fresh)).Should().Be(200);
        org.Emulator.ExpireAllSessions();
        (await Call(org.Http, fresh)).Should().Be(401);
    }

    [Fact]
    public async Task Jwt_bearer_verifies_signature_audience_expiry_and_user()
    {
        await using var emulator = new SalesforceEmulator();
        emulator.Insert("User", new { Username = "bot@acme.example", Email = "bot@acme.example", LastName = "Bot" });
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri("https://login.salesforce.com") };
        using var key = RSA.Create(2048);
        using var otherKey = RSA.Create(2048);
        emulator.RegisterClient("consumer", jwtPublicKeyPem: key.ExportSubjectPublicKeyInfoPem());

        async Task<Reply> Grant(string assertion) => await Token(http, Jwt.Form(assertion));

        var ok = await Grant(Jwt.Create(key, "consumer", "bot@acme.example"));
        ok.Status.Should().Be(200, ok.Text);
        ok.Json!.AsObject().ContainsKey("refresh_token").Should().BeFalse();
        (await Call(http, (string)ok.Json!["access_token"]!)).Should().Be(200);

        (await Grant(Jwt.Create(otherKey, "consumer", "bot@acme.example"))).Json!["error_description"]!.GetValue<string>().Should().Be("invalid assertion");
        (await Grant(Jwt.Create(key, "consumer", "bot@acme.example", audience: "https://example.com"))).Json!["error_description"]!.GetValue<string>().Should().Be("audience is invalid");
        (await Grant(Jwt.Create(key, "consumer", "bot@acme.example", exp: DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()))).Json!["error_description"]!.GetValue<string>().Should().Be("expired authorization code");
        (await Grant(Jwt.Create(key, "consumer", "bot@acme.example", exp: DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeMilliseconds()))).Json!["error_description"]!.GetValue<string>().Should().Be("expired authorization code");
        (await Grant(Jwt.Create(key, "consumer", "nobody@acme.example"))).Json!["error_description"]!.GetValue<string>().Should().Be("user hasn't approved this consumer");
        (await Grant("not.a.jwt")).Json!["error"]!.GetValue<string>().Should().Be("invalid_grant");
    }

    [Fact]
    public async Task Jwt_bearer_accepts_a_registered_x509_certificate()
    {
        await using var emulator = new SalesforceEmulator();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=chat-export", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        emulator.RegisterClient("cert-app", jwtPublicKeyPem: certificate.ExportCertificatePem());
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri("https://login.salesforce.com") };

        var reply = await Token(http, Jwt.Form(Jwt.Create(key, "cert-app", "integration@emulator.example.com", audience: "https://test.salesforce.com")));
        reply.Status.Should().Be(200, reply.Text);
    }

    [Fact]
    public async Task Refresh_token_rotation_invalidates_the_old_token_and_reuse_revokes_the_family()
    {
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { RefreshTokenRotation = true });
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri("https://emulator.my.salesforce.com") };
        var first = emulator.IssueRefreshToken();

        var rotated = await Token(http, $"grant_type=refresh_token&refresh_token={Uri.EscapeDataString(first)}&client_id=app");
        rotated.Status.Should().Be(200);
        var second = (string)rotated.Json!["refresh_token"]!;
        second.Should().NotBe(first);

        var reuse = await Token(http, $"grant_type=refresh_token&refresh_token={Uri.EscapeDataString(first)}&client_id=app");
        reuse.Status.Should().Be(400);
        reuse.Json!["error"]!.GetValue<string>().Should().Be("invalid_grant");
        reuse.Json!["error_description"]!.GetValue<string>().Should().Be("expired access/refresh token");

        (await Token(http, $"grant_type=refresh_token&refresh_token={Uri.EscapeDataString(second)}&client_id=app")).Status.Should().Be(400, "reusing a rotated-away token revokes the current one too");
    }

    [Fact]
    public async Task Refresh_without_rotation_keeps_the_token_and_returns_none()
    {
        await using var emulator = new SalesforceEmulator();
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri("https://emulator.my.salesforce.com") };
        var token = emulator.IssueRefreshToken();
        for (var i = 0; i < 2; i++)
        {
            var reply = await Token(http, $"grant_type=refresh_token&refresh_token={Uri.EscapeDataString(token)}");
            reply.Status.Should().Be(200);
            reply.Json!.AsObject().ContainsKey("refresh_token").Should().BeFalse();
        }
    }

    [Fact]
    public async Task Inactive_users_cannot_log_in_and_their_sessions_stop_working()
    {
        await using var emulator = new SalesforceEmulator();
        var user = emulator.Insert("User", new { Username = "temp@acme.example", Email = "temp@acme.example", LastName = "Temp" });
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        var session = emulator.IssueAccessToken(user);
        (await Call(http, session)).Should().Be(200);
        emulator.Update(user, new { IsActive = false });
        (await Call(http, session)).Should().Be(401);
        (await Token(http, "grant_type=password&client_id=a&client_secret=b&username=temp@acme.example&password=x")).Json!["error_description"]!.GetValue<string>().Should().Be("authentication failure");
    }
}
