using System.Diagnostics.CodeAnalysis;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Tenancy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Serves many customer orgs (tenants) from one exporter.</summary>
public static class SalesforceTenancyBuilderExtensions
{
    /// <summary>
    /// Resolves <see cref="ChatToSalesforce.Conversation.TenantId"/> through the host's tenant store. Conversations without a
    /// tenant id keep using the org configured in <c>AddSalesforceChatExport</c>, whose app (client id, secret or key) is
    /// also the vendor's platform app for tenants that have none of their own.
    /// </summary>
    /// <typeparam name="T">The store; a singleton, so it must be thread-safe.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures idle eviction and concurrency across tenants.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseTenantStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(
        this ISalesforceChatExportBuilder builder, Action<SalesforceTenancyOptions>? configure = null)
        where T : class, ISalesforceTenantStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISalesforceTenantStore, T>());
        return Configure(builder, configure);
    }

    /// <summary>Resolves <see cref="ChatToSalesforce.Conversation.TenantId"/> through the given tenant store (for example an <see cref="InMemorySalesforceTenantStore"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="store">The store; it must be thread-safe.</param>
    /// <param name="configure">Configures idle eviction and concurrency across tenants.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseTenantStore(this ISalesforceChatExportBuilder builder, ISalesforceTenantStore store, Action<SalesforceTenancyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(store);
        builder.Services.Replace(ServiceDescriptor.Singleton(store));
        return Configure(builder, configure);
    }

    private static ISalesforceChatExportBuilder Configure(ISalesforceChatExportBuilder builder, Action<SalesforceTenancyOptions>? configure)
    {
        var options = builder.Services.AddOptions<SalesforceTenancyOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceTenancyOptions>, TenancyOptionsValidator>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }
}
