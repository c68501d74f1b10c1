using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Registers the default REST transport (authentication, resilience, limits) behind <see cref="ISalesforceClient"/>.</summary>
internal static class SalesforceTransportRegistration
{
    public static void AddDefaultTransport(IServiceCollection services)
    {
        services.TryAddSingleton<ISalesforceClient, SalesforceRestClient>();
    }
}
