using Microsoft.AspNetCore.DataProtection;

namespace ChatToSalesforce.Redis;

/// <summary>Settings of <c>UseRedisTokenSharing</c>: where the shared tokens live and how long a refresh lease lasts.</summary>
/// <remarks><see cref="ToString"/> never shows the Redis password.</remarks>
public sealed class RedisTokenSharingOptions
{
    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string, for example <c>redis:6379,password=...,ssl=true</c>.
    /// <see langword="null"/> (the default): the <c>IConnectionMultiplexer</c> registered in the service collection is used.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Gets or sets the prefix of every key the package writes. Defaults to <c>chat2sf:tokens:</c>.</summary>
    public string KeyPrefix { get; set; } = "chat2sf:tokens:";

    /// <summary>
    /// Gets or sets how long a refresh lease lasts without being renewed. The holder renews it while its token request runs,
    /// so this is how soon another worker takes over from a holder that crashed. Defaults to 30 seconds; at least 1 second.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the protector that encrypts the tokens stored in Redis. <see langword="null"/> (the default): one is made
    /// from the <see cref="IDataProtectionProvider"/> registered in the service collection (<c>services.AddDataProtection()</c>).
    /// Every worker must be able to unprotect what the others protected (a shared key ring).
    /// </summary>
    public IDataProtector? Protector { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"RedisTokenSharingOptions {{ Configuration = {Internal.RedisTokenCoordinator.DescribeConfiguration(Configuration)}, KeyPrefix = {KeyPrefix}, LeaseDuration = {LeaseDuration} }}";
}
