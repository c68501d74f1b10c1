using System.Net;
using System.Security.Cryptography;
using System.Text;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using NSubstitute;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>Regression tests for bugs found in a review of the transport and authentication.</summary>
public sealed class TransportRegressionTests
{
    [Fact]
    public async Task JwtBearer_PublicKeyFileInsteadOfPrivateKey_FailsWithAuthenticationException()
    {
        // A common mistake: PrivateKeyPath points at the public half (server.pub) instead of the private key.
        // The start-up validator only checks PrivateKeyPem's text, never the file's; the key loads, then signing throws.
        using var rsa = RSA.Create(2048);
        var path = Path.Combine(Path.GetTempPath(), $"c2sf-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, rsa.ExportSubjectPublicKeyInfoPem());
        try
        {
            var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
            {
                Flow = SalesforceAuthFlow.JwtBearer,
                ClientId = "c",
                Username = "u@acme.com",
                PrivateKeyPath = path,
            });

            var act = () => h.Client.GetLimitsAsync();

            (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which.Message.Should().Contain("PrivateKeyPath");
            h.Handler.Requests.Should().BeEmpty("nothing can be signed, so nothing is sent");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Query_200WithABodyThatIsNotAQueryResult_IsAnErrorNotZeroRecords()
    {
        // A proxy/maintenance page answered 200 with HTML. Read as "no records", an identity lookup says the visitor
        // does not exist and the exporter creates a duplicate Contact/Lead. Composite, graph, describe and limits
        // answers that cannot be read all fail with UNEXPECTED_RESPONSE; the query must too.
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<html><body>Down for maintenance</body></html>", Encoding.UTF8, "text/html"),
        });

        var query = () => h.Client.QueryAsync("SELECT Id FROM Contact WHERE Email = 'ada@example.com'");
        var read = () => h.Client.ReadAsync([SalesforceRead.Query("SELECT Id FROM Contact WHERE Email = 'ada@example.com'")]);

        (await query.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("UNEXPECTED_RESPONSE");
        (await read.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("UNEXPECTED_RESPONSE");
    }

    [Fact]
    public async Task RefreshToken_RotatedTokenIsKeptEvenWhenTheRestOfTheTokenResponseIsRefused()
    {
        // With rotation, the refresh request itself kills rt-1. If the answer is then refused (here: an http instance_url),
        // rt-2 must still be kept and handed to the store, or the next attempt presents rt-1 again and Salesforce
        // revokes the whole grant (API-FACTS 3.3).
        var (h, store) = RotatingAnswersRefused();

        var first = () => h.Client.GetLimitsAsync();
        await first.Should().ThrowAsync<SalesforceAuthenticationException>();
        var second = () => h.Client.GetLimitsAsync();
        await second.Should().ThrowAsync<SalesforceAuthenticationException>();

        h.Handler.TokenRequests.Select(r => r.Form("refresh_token")).Should().Equal(["rt-1", "rt-2"], "rt-1 was rotated away by the first request");
        await store.Received(1).SaveRefreshTokenAsync("rt-2", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RefreshToken_SharedByWorkers_RotatedTokenIsKeptEvenWhenTheRestOfTheTokenResponseIsRefused()
    {
        // Regression: the shared (Redis) refresh path refused the answer before the coordinator saw the rotated token, so the next refresh presented a dead one.
        var shared = new InMemoryTokenCoordinator();
        var (h, store) = RotatingAnswersRefused(shared);

        var first = () => h.Client.GetLimitsAsync();
        await first.Should().ThrowAsync<SalesforceAuthenticationException>();
        var second = () => h.Client.GetLimitsAsync();
        await second.Should().ThrowAsync<SalesforceAuthenticationException>();

        h.Handler.TokenRequests.Select(r => r.Form("refresh_token")).Should().Equal(["rt-1", "rt-2"], "rt-1 was rotated away by the first request");
        shared.RefreshToken.Should().Be("rt-3", "the shared state keeps every rotated refresh token, even of a refused answer");
        await store.Received(1).SaveRefreshTokenAsync("rt-2", Arg.Any<CancellationToken>());
    }

    /// <summary>A refresh-token grant whose every token answer rotates the refresh token (rt-1, rt-2, ...) and is then refused (an http instance_url).</summary>
    private static (TransportHarness Harness, ISalesforceRefreshTokenStore Store) RotatingAnswersRefused(ISharedTokenCoordinator? shared = null)
    {
        var store = Substitute.For<ISalesforceRefreshTokenStore>();
#pragma warning disable CA2012
        store.LoadRefreshTokenAsync(Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>((string?)null));
#pragma warning restore CA2012
        var h = TransportHarness.Create(o => o.Authentication = new SalesforceAuthenticationOptions
        {
            Flow = SalesforceAuthFlow.RefreshToken,
            ClientId = "client",
            RefreshToken = "rt-1",
        }, refreshTokenStore: store, sharedTokens: shared);
        h.Token = (_, n) => StubHttpHandler.Json(200, TransportHarness.TokenBody($"tok-{n}", refreshToken: $"rt-{n + 1}", instance: "http://acme.my.salesforce.com"));
        return (h, store);
    }

    /// <summary>The shared state of one grant in memory, as <c>RedisTokenCoordinator</c> keeps it: every refresh writes the new refresh token first.</summary>
    private sealed class InMemoryTokenCoordinator : ISharedTokenCoordinator
    {
        public string? RefreshToken { get; private set; }

        public async Task<SharedTokenResult> GetTokenAsync(
            SharedGrant grant, string? rejectedAccessToken, Func<string, CancellationToken, Task<SharedRefreshResult>> refresh, CancellationToken cancellationToken)
        {
            var current = RefreshToken ?? grant.HostRefreshToken;
            var refreshed = await refresh(current, cancellationToken);
            RefreshToken = refreshed.RefreshToken ?? current;
            return new SharedTokenResult(refreshed.AccessToken, refreshed.RefreshToken, refreshed.Refusal);
        }
    }
}
