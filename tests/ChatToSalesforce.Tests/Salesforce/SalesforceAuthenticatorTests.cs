using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using NSubstitute;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class SalesforceAuthenticatorTests
{
    private static readonly string SessionExpired = """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""";

    [Fact]
    public async Task GetLimitsAsync_100ConcurrentCallsWithoutToken_MakeOneTokenRequest()
    {
        var h = TransportHarness.Create();
        var gate = new TaskCompletionSource();
        h.Token = (_, n) =>
        {
            gate.Task.Wait(TimeSpan.FromSeconds(30)); // hold the one token request until every caller is waiting
            return StubHttpHandler.Json(200, TransportHarness.TokenBody($"tok-{n}"));
        };

        var calls = Enumerable.Range(0, 100).Select(_ => Task.Run(() => h.Client.GetLimitsAsync())).ToArray();
        while (h.Handler.TokenRequests.Count == 0)
        {
            await Task.Yield();
        }

        gate.SetResult();
        await Task.WhenAll(calls);

        h.Handler.TokenRequests.Should().HaveCount(1);
        h.Handler.ApiRequests.Should().HaveCount(100).And.OnlyContain(r => r.Header("Authorization") == "Bearer tok-1");
    }

    [Fact]
    public async Task GetLimitsAsync_100ConcurrentCallsWithExpiredToken_ReauthenticateExactlyOnce()
    {
        var h = TransportHarness.Create();
        await h.Client.GetLimitsAsync(); // token 1
        var rejected = 0;
        var allRejectedArrived = new TaskCompletionSource();
        h.Api = async (r, _) =>
        {
            if (r.Header("Authorization") == "Bearer tok-1")
            {
                if (Interlocked.Increment(ref rejected) == 100)
                {
                    allRejectedArrived.SetResult();
                }

                await allRejectedArrived.Task; // every caller holds the expired token before any gets its 401
                return StubHttpHandler.Json(401, SessionExpired);
            }

            return StubHttpHandler.Json(200, "{}");
        };

        var calls = Enumerable.Range(0, 100).Select(_ => Task.Run(() => h.Client.GetLimitsAsync())).ToArray();
        await Task.WhenAll(calls);

        h.Handler.TokenRequests.Should().HaveCount(2, "one initial token and exactly one re-authentication");
        h.Handler.ApiRequests.Count(r => r.Header("Authorization") == "Bearer tok-2").Should().Be(100);
    }

    [Fact]
    public async Task Request_SessionNotValidForRestApi_IsNotRetriedOrReauthenticated()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("35")));

        var act = () => h.Client.GetLimitsAsync();

        var ex = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        ex.ErrorCode.Should().Be("INVALID_SESSION_ID");
        ex.Message.Should().Contain("issued for a use other than the REST API");
        ex.SalesforceMessage.Should().Contain("not valid for use with the REST API");
        h.Handler.TokenRequests.Should().HaveCount(1);
        h.Handler.ApiRequests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Request_SessionExpiredTwice_ReauthenticatesOnceThenFails()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(401, SessionExpired));

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("INVALID_SESSION_ID");
        h.Handler.TokenRequests.Should().HaveCount(2);
        h.Handler.ApiRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Request_PostAfterSessionExpired_IsReplayedOnce()
    {
        var h = TransportHarness.Create();
        h.Api = (r, _) => Task.FromResult(r.Header("Authorization") == "Bearer tok-1"
            ? StubHttpHandler.Json(401, SessionExpired)
            : StubHttpHandler.Json(201, """{"id":"068xx","success":true,"errors":[]}"""));

        var result = await h.Client.UploadFileAsync(new SalesforceFileUpload("a.txt", "hi"u8.ToArray(), null));

        result.Id.Should().Be("068xx");
        h.Handler.ApiRequests.Should().HaveCount(2, "a 401 means the POST was not processed, so one replay cannot duplicate it");
    }

    [Fact]
    public async Task RefreshToken_Rotation_UsesNewTokenFromThenOnAndHandsItToTheStore()
    {
        var store = Substitute.For<ISalesforceRefreshTokenStore>();
#pragma warning disable CA2012 // NSubstitute configures the call; the ValueTask is not consumed
        store.LoadRefreshTokenAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>((string?)null));
#pragma warning restore CA2012
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.RefreshToken,
            ClientId = "client",
            RefreshToken = "rt-1",
        }, refreshTokenStore: store);
        h.Token = (r, n) => StubHttpHandler.Json(200, TransportHarness.TokenBody($"tok-{n}", refreshToken: $"rt-{n + 1}"));
        h.Api = (r, _) => Task.FromResult(r.Header("Authorization") == "Bearer tok-1" ? StubHttpHandler.Json(401, SessionExpired) : StubHttpHandler.Json(200, "{}"));

        await h.Client.GetLimitsAsync();

        var refreshes = h.Handler.TokenRequests;
        refreshes.Select(r => r.Form("refresh_token")).Should().Equal("rt-1", "rt-2");
        refreshes.Should().OnlyContain(r => r.Form("grant_type") == "refresh_token" && r.Form("client_id") == "client");
        await store.Received(1).SaveRefreshTokenAsync("rt-2", Arg.Any<CancellationToken>());
        await store.Received(1).SaveRefreshTokenAsync("rt-3", Arg.Any<CancellationToken>());
        await store.Received(1).LoadRefreshTokenAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RefreshToken_ConcurrentCallersWithExpiredToken_NeverRefreshTheSameTokenTwice()
    {
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.RefreshToken,
            ClientId = "client",
            RefreshToken = "rt-1",
        });
        h.Token = (r, n) => StubHttpHandler.Json(200, TransportHarness.TokenBody($"tok-{n}", refreshToken: $"rt-{n + 1}"));
        await h.Client.GetLimitsAsync();
        var arrived = 0;
        var allArrived = new TaskCompletionSource();
        h.Api = async (r, _) =>
        {
            if (r.Header("Authorization") == "Bearer tok-1")
            {
                if (Interlocked.Increment(ref arrived) == 50)
                {
                    allArrived.SetResult();
                }

                await allArrived.Task;
                return StubHttpHandler.Json(401, SessionExpired);
            }

            return StubHttpHandler.Json(200, "{}");
        };

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => h.Client.GetLimitsAsync())));

        var used = h.Handler.TokenRequests.Select(r => r.Form("refresh_token")).ToList();
        used.Should().Equal("rt-1", "rt-2");
        used.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task RefreshToken_StoreHasToken_UsesStoredTokenOverOptions()
    {
        var store = Substitute.For<ISalesforceRefreshTokenStore>();
#pragma warning disable CA2012 // NSubstitute configures the call; the ValueTask is not consumed
        store.LoadRefreshTokenAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>("rt-persisted"));
#pragma warning restore CA2012
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.RefreshToken,
            ClientId = "client",
            ClientSecret = "secret",
            RefreshToken = "rt-stale",
        }, refreshTokenStore: store);

        await h.Client.GetLimitsAsync();

        h.Handler.TokenRequests.Single().Form("refresh_token").Should().Be("rt-persisted");
        h.Handler.TokenRequests.Single().Form("client_secret").Should().Be("secret");
        await store.DidNotReceive().SaveRefreshTokenAsync(Arg.Any<string>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RefreshToken_ExpiredRefreshToken_ThrowsWithRotationHint()
    {
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.RefreshToken,
            ClientId = "client",
            RefreshToken = "rt-1",
        });
        h.Token = (_, _) => Fixtures.Response(Fixtures.Load("07"));

        var act = () => h.Client.GetLimitsAsync();

        var ex = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        ex.Error.Should().Be("invalid_grant");
        ex.ErrorDescription.Should().Be("expired access/refresh token");
        ex.Message.Should().Contain("authorize the app again").And.NotContain("rt-1");
        h.Handler.TokenRequests.Should().HaveCount(1, "a refresh is never repeated");
    }

    [Fact]
    public async Task JwtBearer_Assertion_VerifiesAgainstPublicKeyWithTheRightClaims()
    {
        using var rsa = RSA.Create(2048);
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.JwtBearer,
            ClientId = "3MVG9-consumer",
            Username = "integration@acme.com",
            PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(),
            LoginUrl = new Uri("https://test.salesforce.com"),
        });

        await h.Client.GetLimitsAsync();

        var request = h.Handler.TokenRequests.Single();
        request.Uri.Should().Be(new Uri("https://acme.my.salesforce.com/services/oauth2/token"), "the token request goes to the My Domain");
        request.Form("grant_type").Should().Be("urn:ietf:params:oauth:grant-type:jwt-bearer");
        var parts = request.Form("assertion")!.Split('.');
        parts.Should().HaveCount(3);
        JsonNode.Parse(FromBase64Url(parts[0]))!["alg"]!.GetValue<string>().Should().Be("RS256");
        rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .Should().BeTrue();
        var claims = JsonNode.Parse(FromBase64Url(parts[1]))!;
        claims["iss"]!.GetValue<string>().Should().Be("3MVG9-consumer");
        claims["sub"]!.GetValue<string>().Should().Be("integration@acme.com");
        claims["aud"]!.GetValue<string>().Should().Be("https://test.salesforce.com");
        claims["exp"]!.GetValue<long>().Should().Be(h.Time.GetUtcNow().ToUnixTimeSeconds() + 180, "exp is in seconds, 3 minutes ahead");
    }

    [Fact]
    public async Task JwtBearer_KeyFromFile_IsUsed()
    {
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(Path.GetTempPath(), $"c2sf-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, rsa.ExportRSAPrivateKeyPem());
        try
        {
            var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
            {
                Flow = SalesforceAuthFlow.JwtBearer,
                ClientId = "c",
                Username = "u@acme.com",
                PrivateKeyPath = path,
            });

            await h.Client.GetLimitsAsync();

            var parts = h.Handler.TokenRequests.Single().Form("assertion")!.Split('.');
            rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).Should().BeTrue();
            JsonNode.Parse(FromBase64Url(parts[1]))!["aud"]!.GetValue<string>().Should().Be("https://login.salesforce.com");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task JwtBearer_UserNotApproved_ThrowsWithPreAuthorizationHint()
    {
        using var rsa = RSA.Create(2048);
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.JwtBearer,
            ClientId = "c",
            Username = "u@acme.com",
            PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(),
        });
        h.Token = (_, _) => Fixtures.Response(Fixtures.Load("08"));

        var act = () => h.Client.GetLimitsAsync();

        var ex = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        ex.Error.Should().Be("invalid_grant");
        ex.ErrorDescription.Should().Be("user hasn't approved this consumer");
        ex.Message.Should().Contain("pre-authorized");
    }

    [Fact]
    public async Task ClientCredentials_TokenRequest_PostsIdAndSecretToMyDomain()
    {
        var h = TransportHarness.Create();

        var connection = await h.Client.GetConnectionAsync();

        var request = h.Handler.TokenRequests.Single();
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri.Should().Be(new Uri("https://acme.my.salesforce.com/services/oauth2/token"));
        request.ContentType.Should().StartWith("application/x-www-form-urlencoded");
        request.Form("grant_type").Should().Be("client_credentials");
        request.Form("client_id").Should().Be("3MVG9-consumer-key");
        request.Form("client_secret").Should().Be(TransportHarness.ClientSecret);
        connection.Should().Be(new SalesforceConnection(new Uri(TransportHarness.Instance), TransportHarness.OrgId, TransportHarness.UserId, "62.0"));
    }

    [Theory]
    [InlineData("invalid_grant", "audience is invalid", "LoginUrl")]
    [InlineData("invalid_grant", "request not supported on this domain", "My Domain")]
    [InlineData("invalid_client_id", "client identifier invalid", "consumer key")]
    [InlineData("invalid_grant", "authentication failure", "Login History")]
    [InlineData("invalid_client", "invalid client credentials", "consumer key or secret")]
    public async Task TokenError_CommonCases_CarryErrorDescriptionAndHint(string error, string description, string hint)
    {
        var h = TransportHarness.Create();
        h.Token = (_, _) => StubHttpHandler.Json(400, new JsonObject { ["error"] = error, ["error_description"] = description });

        var act = () => h.Client.GetConnectionAsync();

        var ex = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        ex.Error.Should().Be(error);
        ex.ErrorDescription.Should().Be(description);
        ex.Message.Should().Contain(hint).And.NotContain(TransportHarness.ClientSecret);
    }

    [Fact]
    public async Task TokenEndpoint_ServerError_IsRetriedForClientCredentials()
    {
        var h = TransportHarness.Create();
        h.Token = (_, n) => n == 1 ? StubHttpHandler.Json(503, "<html>busy</html>") : StubHttpHandler.Json(200, TransportHarness.TokenBody("tok-ok"));

        await h.Client.GetLimitsAsync();

        h.Handler.TokenRequests.Should().HaveCount(2);
        h.Handler.ApiRequests.Single().Header("Authorization").Should().Be("Bearer tok-ok");
    }

    [Fact]
    public async Task TokenResponse_HttpInstanceUrl_IsRefusedUnlessTestEndpointAllowed()
    {
        var h = TransportHarness.Create();
        h.Token = (_, _) => StubHttpHandler.Json(200, TransportHarness.TokenBody("tok", instance: "http://acme.my.salesforce.com"));

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which.Message.Should().Contain("not https");
        h.Handler.ApiRequests.Should().BeEmpty();

        var allowed = TransportHarness.Create(o => { o.AllowTestEndpoint = true; o.InstanceUrl = new Uri("http://127.0.0.1:5050"); });
        allowed.Token = (_, _) => StubHttpHandler.Json(200, TransportHarness.TokenBody("tok", instance: "http://127.0.0.1:5050"));
        await allowed.Client.GetLimitsAsync();
        allowed.Handler.ApiRequests.Single().Uri.Should().Be(new Uri("http://127.0.0.1:5050/services/data/v62.0/limits"));
    }

    [Fact]
    public async Task ApiCalls_GoToTheInstanceUrlOfTheTokenResponse()
    {
        var h = TransportHarness.Create();
        h.Token = (_, _) => StubHttpHandler.Json(200, TransportHarness.TokenBody("tok", instance: "https://acme--uat.sandbox.my.salesforce.com"));

        await h.Client.GetLimitsAsync();

        h.Handler.ApiRequests.Single().Uri.Host.Should().Be("acme--uat.sandbox.my.salesforce.com");
    }

    [Fact]
    public async Task AccessToken_HostManagedToken_IsUsedWithoutTokenRequestAndNotRenewedBlindly()
    {
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.AccessToken, AccessToken = "00Dhost!token" });
        h.Api = (r, _) => Task.FromResult(r.Uri.AbsolutePath.EndsWith("/limits", StringComparison.Ordinal)
            ? StubHttpHandler.Json(401, SessionExpired)
            : StubHttpHandler.Json(200, """{"organization_id":"00Dorg","user_id":"005usr"}"""));

        var connection = await h.Client.GetConnectionAsync();
        var act = () => h.Client.GetLimitsAsync();

        connection.OrganizationId.Should().Be("00Dorg");
        connection.UserId.Should().Be("005usr");
        var ex = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        ex.Message.Should().Contain("Authentication.AccessToken").And.NotContain("00Dhost!token");
        h.Handler.TokenRequests.Should().BeEmpty();
        h.Handler.ApiRequests.Should().OnlyContain(r => r.Header("Authorization") == "Bearer 00Dhost!token");
    }

    [Fact]
    public async Task Custom_TokenProvider_IsCalledOnceThenWithForceRefreshAfter401()
    {
        var provider = Substitute.For<ISalesforceTokenProvider>();
        var n = 0;
#pragma warning disable CA2012 // NSubstitute configures the call; the ValueTask is not consumed
        provider.GetTokenAsync(Arg.Any<SalesforceTokenContext>(), Arg.Any<CancellationToken>())
            .Returns(_ => new ValueTask<SalesforceAccessToken>(new SalesforceAccessToken($"custom-{++n}", new Uri(TransportHarness.Instance))));
#pragma warning restore CA2012
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.Custom }, tokenProvider: provider);
        h.Api = (r, _) => Task.FromResult(r.Header("Authorization") == "Bearer custom-1" && r.Uri.AbsolutePath.EndsWith("/limits", StringComparison.Ordinal) && n == 1
            ? StubHttpHandler.Json(401, SessionExpired)
            : StubHttpHandler.Json(200, "{}"));

        await h.Client.GetLimitsAsync();
        await h.Client.GetLimitsAsync();

        await provider.Received(1).GetTokenAsync(Arg.Is<SalesforceTokenContext>(c => !c.ForceRefresh), Arg.Any<CancellationToken>());
        await provider.Received(1).GetTokenAsync(Arg.Is<SalesforceTokenContext>(c => c.ForceRefresh), Arg.Any<CancellationToken>());
        h.Handler.ApiRequests.Select(r => r.Header("Authorization")).Should().Equal("Bearer custom-1", "Bearer custom-2", "Bearer custom-2");
    }

    [Fact]
    public async Task Custom_NoProviderRegistered_ThrowsClearError()
    {
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.Custom });

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which.Message.Should().Contain("ISalesforceTokenProvider");
    }

    [Fact]
    public async Task Custom_TokenForHttpInstance_IsRefusedUnlessTestEndpointAllowed()
    {
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.Custom }, tokenProvider: new FixedTokenProvider("http://acme.my.salesforce.com"));

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which.Message.Should().Contain("not https");
        h.Handler.ApiRequests.Should().BeEmpty();
    }

    [Fact]
    public void SalesforceAccessToken_ToString_HidesTheToken()
    {
        new SalesforceAccessToken("secret-token", new Uri(TransportHarness.Instance)).ToString().Should().NotContain("secret-token");
    }

    private sealed class FixedTokenProvider(string instance) : ISalesforceTokenProvider
    {
        public ValueTask<SalesforceAccessToken> GetTokenAsync(SalesforceTokenContext context, CancellationToken cancellationToken) =>
            new(new SalesforceAccessToken("fixed", new Uri(instance)));
    }

    private static byte[] FromBase64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
