using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tenancy.Internal;

/// <summary>
/// Resolves a tenant id to the <see cref="TenantContext"/> its work runs on. The one entry point for every feature that
/// talks to a tenant's org (export, lookups, actions, checks).
/// </summary>
internal sealed class TenantRegistry
{
    private readonly Lazy<TenantContext> _default;

    public TenantRegistry(IServiceProvider services, IOptionsMonitor<SalesforceChatExportOptions> options, OrgMetadataCache cache)
    {
        _default = new Lazy<TenantContext>(() => new TenantContext(
            TenantContext.DefaultId,
            null,
            options.CurrentValue,
            services.GetRequiredService<ISalesforceClient>(),
            cache,
            services.GetService<ApiUsageTracker>()));
    }

    /// <summary>Returns the tenant's context; throws <see cref="ExportConfigurationException"/> for an unknown tenant.</summary>
    public ValueTask<TenantContext> GetAsync(string? tenantId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(tenantId))
        {
            return ValueTask.FromResult(_default.Value);
        }

        throw new ExportConfigurationException("TenantId", $"tenant '{tenantId}' is not configured.");
    }
}
