using ChatToSalesforce.Resilience.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        services.TryAddSingleton<SalesforceResiliencePipelines>();
        services.TryAddSingleton<ApiUsageTracker>();
        services.TryAddSingleton<ISalesforceApiUsage>(static sp => sp.GetRequiredService<ApiUsageTracker>());
        services.TryAddSingleton<SalesforceAuthenticator>();
        services.TryAddSingleton<ISalesforceClient, SalesforceRestClient>();
    }
}
