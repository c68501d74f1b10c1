using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>Issue #4: the transport over real (loopback) HTTP, instance URL validation, and the headers it sends.</summary>
public sealed class LoopbackAndHeaderTests
{
    [Fact]
    public async Task OverLoopbackHttp_WithAllowTestEndpoint_ClientCredentialsExportWorks()
    {
        await using var emulator = new SalesforceEmulator();
        var baseUrl = await emulator.StartServerAsync();
        await using var host = EmulatorHost.Wire(
            emulator,
            o =>
            {
                o.InstanceUrl = baseUrl;
                o.AllowTestEndpoint = true;
                o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
                o.Authentication.ClientId = "chat2sf"; // the served emulator's configured credentials (SalesforceEmulatorOptions defaults)
                o.Authentication.ClientSecret = "chat2sf";
            },
            inProcess: false);

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        baseUrl.Scheme.Should().Be("http");
        emulator.TokenRequests().Should().Be(1);
        emulator.Find("Task", result.Activity!.Id).Should().NotBeNull();
        emulator.Records("Contact").Should().ContainSingle();
    }

    [Fact]
    public async Task HttpInstanceUrl_WithoutAllowTestEndpoint_IsRejectedBeforeAnyRequest()
    {
        await using var emulator = new SalesforceEmulator();
        var baseUrl = await emulator.StartServerAsync();
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = baseUrl;
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "any";
            o.Authentication.ClientSecret = "any";
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IConversationExporter>();

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("https").And.Contain("AllowTestEndpoint");
        emulator.RequestLog.Should().BeEmpty();
    }

    [Fact]
    public async Task TokenResponseWithHttpInstanceUrl_WithoutAllowTestEndpoint_IsRefused()
    {
        // The token URL is the (https) My Domain, but the org answers with an http instance_url: never send the bearer token there.
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { InstanceUrl = new Uri("http://emulator.my.salesforce.com") });
        await using var host = EmulatorHost.Wire(emulator, o =>
        {
            o.InstanceUrl = new Uri("https://emulator.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "any";
            o.Authentication.ClientSecret = "any";
        });

        var error = (await FluentActions.Awaiting(() => host.Exporter.ExportAsync(Chats.New())).Should().ThrowAsync<SalesforceAuthenticationException>()).Which;

        error.Message.Should().Contain("instance_url");
        emulator.ApiCallsUsed.Should().Be(0);
    }

    [Fact]
    public async Task EveryApiRequest_CarriesTheSforceCallOptionsClientHeader()
    {
        await using var host = EmulatorHost.Create(o =>
        {
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "any";
            o.Authentication.ClientSecret = "any";
        });

        await host.Exporter.ExportAsync(Chats.New());
        await host.Exporter.ExportAsync(Chats.New(id: "chat-2", email: "grace@example.com", name: "Grace Hopper"));

        var api = host.Emulator.RequestLog.Where(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal)).ToList();
        api.Should().HaveCountGreaterThanOrEqualTo(4);
        api.Should().OnlyContain(r => r.Headers.ContainsKey("Sforce-Call-Options"));
        api.Select(r => r.Headers["Sforce-Call-Options"]).Distinct().Should().ContainSingle()
            .Which.Should().MatchRegex(@"^client=ChatToSalesforce/\d+\.\d+\.\d+");
        api.Should().OnlyContain(r => r.Headers["Authorization"] == "(redacted)");
    }
}
