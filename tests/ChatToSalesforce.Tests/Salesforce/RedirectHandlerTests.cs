using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>Issue 11 item 2: the SDK's HttpClient never follows redirects, whichever primary handler it ends up with.</summary>
public sealed class RedirectHandlerTests
{
    [Fact]
    public void DefaultPrimaryHandler_DoesNotFollowRedirects() =>
        FollowsRedirects(PrimaryHandler(_ => { })).Should().BeFalse();

    [Fact]
    public void HostSuppliedPrimaryHandler_DoesNotFollowRedirectsEither()
    {
        var handler = PrimaryHandler(builder => builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true }));

        handler.Should().BeOfType<SocketsHttpHandler>().Which.AllowAutoRedirect.Should().BeFalse();
    }

    [Fact]
    public void HostSuppliedHttpClientHandler_DoesNotFollowRedirectsEither()
    {
        var handler = PrimaryHandler(builder => builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler()));

        handler.Should().BeOfType<HttpClientHandler>().Which.AllowAutoRedirect.Should().BeFalse();
    }

    private static bool FollowsRedirects(HttpMessageHandler handler) => handler switch
    {
        SocketsHttpHandler s => s.AllowAutoRedirect,
        HttpClientHandler h => h.AllowAutoRedirect,
        _ => true,
    };

    private static HttpMessageHandler PrimaryHandler(Action<ISalesforceChatExportBuilder> configure)
    {
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "token";
        });
        configure(builder);
        using var provider = services.BuildServiceProvider();
        HttpMessageHandler handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SalesforceChatExportServiceCollectionExtensions.HttpClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return handler;
    }
}
