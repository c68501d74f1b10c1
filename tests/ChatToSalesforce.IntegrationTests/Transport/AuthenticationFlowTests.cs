using System.Security.Cryptography;
using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>Each authentication flow end to end: the SDK's real authenticator against the emulator's token endpoint.</summary>
public sealed class AuthenticationFlowTests
{
    [Fact]
    public async Task ClientCredentials_AnyClient_GetsOneTokenAndExports()
    {
        await using var host = EmulatorHost.Create(o =>
        {
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "any-client";
            o.Authentication.ClientSecret = "any-secret";
        });

        var first = await host.Exporter.ExportAsync(Chats.New());
        var second = await host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "grace@example.com", name: "Grace Hopper"));

        first.Status.Should().Be(ExportStatus.Exported);
        second.Status.Should().Be(ExportStatus.Exported);
        host.Emulator.TokenRequests().Should().Be(1, "the token is cached until Salesforce rejects it");
        host.Emulator.Records("Task").Should().HaveCount(2);
        host.Emulator.Find("Task", first.Activity!.Id)!["CreatedById"]!.GetValue<string>().Should().Be(host.Emulator.IntegrationUserId, "client credentials run as the app's Run As user");
    }

    [Fact]
    public async Task ClientCredentials_RegisteredClientWithWrongSecret_ThrowsAuthenticationExceptionWithoutCallingTheApi()
    {
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
                o.Authentication.ClientId = "app";
                o.Authentication.ClientSecret = "bad-secret-x9";
            },
            seed: e => e.RegisterClient("app", "s3cr3t"));

        var act = () => host.Exporter.ExportAsync(Chats.New());

        var error = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        error.Error.Should().Be("invalid_client");
        error.Message.Should().NotContain("bad-secret-x9").And.NotContain("s3cr3t");
        host.Emulator.ApiCallsUsed.Should().Be(0);
        host.Emulator.TokenRequests().Should().Be(1, "invalid_grant / invalid_client is never retried");
    }

    [Fact]
    public async Task JwtBearer_RegisteredPublicKey_SignsAnAssertionTheEmulatorVerifiesAndActsAsTheNamedUser()
    {
        using var rsa = RSA.Create(2048);
        string? userId = null;
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.Authentication.Flow = SalesforceAuthFlow.JwtBearer;
                o.Authentication.ClientId = "jwt-app";
                o.Authentication.Username = "chat-integration@acme.example";
                o.Authentication.PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem();
                o.Authentication.LoginUrl = new Uri("https://login.salesforce.com");  // the audience; the token request goes to the My Domain
            },
            seed: e =>
            {
                e.RegisterClient("jwt-app", jwtPublicKeyPem: rsa.ExportSubjectPublicKeyInfoPem());
                userId = e.Insert("User", new { Username = "chat-integration@acme.example", Email = "chat-integration@acme.example", LastName = "Integration" });
            });

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        host.Emulator.TokenRequests().Should().Be(1);
        host.Emulator.Find("Task", result.Activity!.Id)!["CreatedById"]!.GetValue<string>().Should().Be(userId);
        var connection = await host.Services.GetRequiredService<ISalesforceClient>().GetConnectionAsync();
        connection.UserId.Should().Be(userId);
        connection.OrganizationId.Should().Be(host.Emulator.OrganizationId);
    }

    [Fact]
    public async Task JwtBearer_KeyThatDoesNotMatchTheRegisteredCertificate_ThrowsInvalidAssertion()
    {
        using var registered = RSA.Create(2048);
        using var other = RSA.Create(2048);
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.Authentication.Flow = SalesforceAuthFlow.JwtBearer;
                o.Authentication.ClientId = "jwt-app";
                o.Authentication.Username = "chat-integration@acme.example";
                o.Authentication.PrivateKeyPem = other.ExportPkcs8PrivateKeyPem();
            },
            seed: e =>
            {
                e.RegisterClient("jwt-app", jwtPublicKeyPem: registered.ExportSubjectPublicKeyInfoPem());
                e.Insert("User", new { Username = "chat-integration@acme.example", Email = "chat-integration@acme.example", LastName = "Integration" });
            });

        var act = () => host.Exporter.ExportAsync(Chats.New());

        var error = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        error.Error.Should().Be("invalid_grant");
        error.ErrorDescription.Should().Be("invalid assertion");
        host.Emulator.ApiCallsUsed.Should().Be(0);
    }

    [Fact]
    public async Task RefreshToken_WithRotation_HandsEachNewTokenToTheStoreAndUsesItFromThenOn()
    {
        var store = new RecordingRefreshTokenStore();
        string original = null!;
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
                o.Authentication.ClientId = "web-app";
                o.Authentication.RefreshToken = original;
            },
            seed: e => original = e.IssueRefreshToken(),
            emulatorOptions: new SalesforceEmulatorOptions { RefreshTokenRotation = true },
            services: s => s.AddSingleton<ISalesforceRefreshTokenStore>(store));

        (await host.Exporter.ExportAsync(Chats.New())).Status.Should().Be(ExportStatus.Exported);
        store.Saved.Should().ContainSingle().Which.Should().NotBe(original);

        // The session ends; the SDK must refresh with the rotated token (the original one is dead, and reusing it
        // would revoke the whole family, so this export only succeeds if the SDK switched to the new token).
        host.Emulator.ExpireAllSessions();
        var second = await host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "grace@example.com", name: "Grace Hopper"));

        second.Status.Should().Be(ExportStatus.Exported);
        store.Saved.Should().HaveCount(2).And.OnlyHaveUniqueItems().And.NotContain(original);
        store.Loads.Should().Be(1, "the store is read once, before the first refresh");
        host.Emulator.TokenRequests().Should().Be(2);
    }

    [Fact]
    public async Task RefreshToken_StoreHoldsTheCurrentToken_ItWinsOverTheConfiguredOne()
    {
        RecordingRefreshTokenStore store = null!;
        await using var host = EmulatorHost.Create(
            o =>
            {
                o.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
                o.Authentication.ClientId = "web-app";
                o.Authentication.RefreshToken = "stale-token-from-appsettings";
            },
            seed: e => store = new RecordingRefreshTokenStore(e.IssueRefreshToken()),
            services: s => s.AddSingleton<ISalesforceRefreshTokenStore>(_ => store));

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        store.Saved.Should().BeEmpty("without rotation Salesforce returns no new refresh token");
    }

    [Fact]
    public async Task AccessToken_HostSuppliedToken_ExportsAndARejectedTokenThrowsInvalidToken()
    {
        await using var host = EmulatorHost.Create();

        (await host.Exporter.ExportAsync(Chats.New())).Status.Should().Be(ExportStatus.Exported);
        host.Emulator.TokenRequests().Should().Be(0, "a host-managed token is used as given");
        var connection = await host.Services.GetRequiredService<ISalesforceClient>().GetConnectionAsync();
        connection.OrganizationId.Should().Be(host.Emulator.OrganizationId, "a bare token carries no identity URL: the userinfo endpoint tells");
        connection.UserId.Should().Be(host.Emulator.IntegrationUserId);

        host.Emulator.ExpireAllSessions();
        var act = () => host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "grace@example.com", name: "Grace Hopper"));

        var error = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        error.Error.Should().Be("invalid_token");
        host.Emulator.RequestLog.Count(r => r.StatusCode == 401).Should().Be(1, "the SDK cannot renew the host's token, so it does not replay");
    }

    [Fact]
    public async Task AccessToken_BoundFromConfiguration_ANewTokenInReloadedConfigurationIsUsedAfterThe401()
    {
        await using var emulator = new SalesforceEmulator();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:InstanceUrl"] = emulator.InstanceUrl.ToString(),
            ["Salesforce:Authentication:Flow"] = "AccessToken",
            ["Salesforce:Authentication:AccessToken"] = emulator.IssueAccessToken(),
        }).Build();
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(configuration.GetSection("Salesforce"))
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        await using var provider = services.BuildServiceProvider();
        var exporter = provider.GetRequiredService<IConversationExporter>();
        (await exporter.ExportAsync(Chats.New())).Status.Should().Be(ExportStatus.Exported);

        // The host's token manager writes a fresh token into its configuration (e.g. a reloaded secrets file) after the old session ended.
        emulator.ExpireAllSessions();
        configuration["Salesforce:Authentication:AccessToken"] = emulator.IssueAccessToken();
        configuration.Reload();
        var second = await exporter.ExportAsync(Chats.New(id: "chat-2", email: "grace@example.com", name: "Grace Hopper"));

        second.Status.Should().Be(ExportStatus.Exported);
        emulator.RequestLog.Count(r => r.StatusCode == 401).Should().Be(1, "the rejected request is replayed once with the reloaded token");
        emulator.Records("Task").Should().HaveCount(2);
    }

    [Fact]
    public async Task Custom_TokenProvider_IsAskedOnceAndAgainWithForceRefreshAfterTheSessionExpired()
    {
        EmulatorTokenProvider provider = null!;
        await using var host = EmulatorHost.Create(
            o => o.Authentication.Flow = SalesforceAuthFlow.Custom,
            seed: e => provider = new EmulatorTokenProvider(e),
            services: s => s.AddSingleton<ISalesforceTokenProvider>(_ => provider));

        (await host.Exporter.ExportAsync(Chats.New())).Status.Should().Be(ExportStatus.Exported);
        (await host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "grace@example.com", name: "Grace Hopper"))).Status.Should().Be(ExportStatus.Exported);
        provider.Calls.Should().Equal(false);

        host.Emulator.ExpireAllSessions();
        var third = await host.Exporter.ExportAsync(Chats.New(id: "chat-3", email: "alan@example.com", name: "Alan Turing"));

        third.Status.Should().Be(ExportStatus.Exported);
        provider.Calls.Should().Equal(false, true);
        host.Emulator.Records("Task").Should().HaveCount(3);
    }
}
