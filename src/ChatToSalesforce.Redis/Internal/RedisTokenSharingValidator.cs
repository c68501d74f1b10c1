using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatToSalesforce.Redis.Internal;

/// <summary>Checks at start-up that token sharing has a protector and a Redis, and sane settings; messages name what to set.</summary>
internal sealed class RedisTokenSharingValidator(IServiceProvider services) : IValidateOptions<RedisTokenSharingOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisTokenSharingOptions options)
    {
        var failures = new List<string>();
        if (options.Protector is null && services.GetService<IDataProtectionProvider>() is null)
        {
            failures.Add("Redis token sharing needs a protector to encrypt the tokens it stores, and none is registered: call services.AddDataProtection() (with a key ring every worker shares, e.g. PersistKeysToStackExchangeRedis), or set RedisTokenSharingOptions.Protector. Tokens are never stored in clear.");
        }

        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            if (services.GetService<IConnectionMultiplexer>() is null)
            {
                failures.Add("Redis token sharing has no Redis: set RedisTokenSharingOptions.Configuration (e.g. \"redis:6379,password=...\") or register an IConnectionMultiplexer.");
            }
        }
        else
        {
            try
            {
                _ = ConfigurationOptions.Parse(options.Configuration);
            }
            catch (ArgumentException)
            {
                failures.Add("RedisTokenSharingOptions.Configuration is not a valid Redis configuration string (expected e.g. \"host:6379,password=...,ssl=true\").");
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            failures.Add("RedisTokenSharingOptions.KeyPrefix must not be empty (the default is \"chat2sf:tokens:\").");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromMinutes(10))
        {
            failures.Add($"RedisTokenSharingOptions.LeaseDuration must be between 1 second and 10 minutes (it is {options.LeaseDuration}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
