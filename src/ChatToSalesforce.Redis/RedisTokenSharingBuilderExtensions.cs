using ChatToSalesforce.Redis;
using ChatToSalesforce.Redis.Internal;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares Salesforce tokens between worker processes on Redis.</summary>
public static class RedisTokenSharingBuilderExtensions
{
    /// <summary>
    /// Shares each tenant's current access token and refresh token (RefreshToken flow) between every process that uses the
    /// same Redis and key prefix, encrypted with the host's protector, and lets exactly one process refresh a tenant at a time.
    /// Use it when several workers export for the same tenants and the connected app rotates refresh tokens.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSalesforceChatExport</c>.</param>
    /// <param name="configure">Sets the Redis connection, key prefix, lease, or protector.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// Needs a protector: <c>services.AddDataProtection()</c> with a key ring every worker shares, or
    /// <see cref="RedisTokenSharingOptions.Protector"/>; and a Redis: <see cref="RedisTokenSharingOptions.Configuration"/>
    /// or an <c>IConnectionMultiplexer</c> in the service collection. Without either, start-up fails with what is missing.
    /// When Redis cannot be reached, exports that need a new token fail (retryable); a process never refreshes on its own.
    /// </remarks>
    public static ISalesforceChatExportBuilder UseRedisTokenSharing(this ISalesforceChatExportBuilder builder, Action<RedisTokenSharingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<RedisTokenSharingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisTokenSharingOptions>, RedisTokenSharingValidator>());
        builder.Services.TryAddSingleton<RedisTokenCoordinator>(RedisTokenCoordinator.Create);
        builder.Services.TryAddSingleton<ISharedTokenCoordinator>(sp => sp.GetRequiredService<RedisTokenCoordinator>());
        return builder;
    }
}
