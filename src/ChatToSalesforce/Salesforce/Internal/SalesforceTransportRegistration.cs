using ChatToSalesforce.Resilience.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Registers the default REST transport (authentication, resilience, limits) behind <see cref="ISalesforceClient"/>.</summary>
internal static class SalesforceTransportRegistration
{
    public static void AddDefaultTransport(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        // Timeouts are the resilience pipeline's job (attempt and total); HttpClient's own 100 s default would race them.
        services.AddHttpClient(SalesforceChatExportServiceCollectionExtensions.HttpClientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);

        // Redirects are never followed: a redirected token request would re-POST the client secret, refresh token or JWT
        // (and an API request its bearer token) to wherever the Location header points. A 3xx answer is reported as an
        // error naming the host instead (RedirectAnswer). Added as a post-configuration so it also reaches a primary handler
        // the host supplies through builder.HttpClient.ConfigurePrimaryHttpMessageHandler(...).
        services.PostConfigure<HttpClientFactoryOptions>(
            SalesforceChatExportServiceCollectionExtensions.HttpClientName,
            static options => options.HttpMessageHandlerBuilderActions.Add(static builder => RedirectAnswer.DisableAutoRedirect(builder.PrimaryHandler)));

        services.TryAddSingleton<SalesforceResiliencePipelines>();
        services.TryAddSingleton<ApiUsageTracker>();
        services.TryAddSingleton<ISalesforceApiUsage>(static sp => sp.GetRequiredService<ApiUsageTracker>());
        services.TryAddSingleton<SalesforceAuthenticator>();
        services.TryAddSingleton<ISalesforceClient, SalesforceRestClient>();
    }
}
