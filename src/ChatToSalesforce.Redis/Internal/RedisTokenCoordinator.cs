using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatToSalesforce.Redis.Internal;

/// <summary>
/// The shared state of each refresh-token grant in Redis, and the lease that lets one process refresh it at a time.
/// </summary>
/// <remarks>
/// <para>Per grant (tenant + <see cref="SharedGrant.Stamp"/>) one hash <c>{prefix}{tenant|stamp}</c>: <c>gen</c> (a generation
/// number, +1 per write), <c>at</c> (the access token, protected), <c>atf</c> (its fingerprint, to compare with a rejected
/// token without decrypting), <c>url</c>/<c>id</c> (instance and identity URLs), <c>rt</c> (the current refresh token,
/// protected), <c>known</c> (fingerprints of the family's refresh tokens: a host token among them is an older one of this
/// family, any other is a new grant, i.e. a reconnect) and <c>issued</c>. Beside it the lease <c>{prefix}{tenant|stamp}:lease</c>
/// (a random owner id, SET NX PX, renewed by its holder, released by compare-and-delete).</para>
/// <para>Salesforce token responses carry no lifetime, so a shared access token is good until Salesforce rejects it: a
/// process refreshes only when the shared token is missing or is the very one that was rejected.</para>
/// </remarks>
internal sealed partial class RedisTokenCoordinator : ISharedTokenCoordinator, IAsyncDisposable, IDisposable
{
    /// <summary>The protector purpose: tokens protected for this package are useless to any other purpose.</summary>
    public const string ProtectorPurpose = "ChatToSalesforce.Redis.SharedTokens.v1";

    /// <summary>How long a grant's state lives after its last write (renewed by every refresh).</summary>
    internal static readonly TimeSpan StateTimeToLive = TimeSpan.FromDays(30);

    private const int KnownLimit = 64;

    private const string WriteScript = """
        local gen = tonumber(redis.call('HGET', KEYS[1], 'gen') or '0')
        if gen ~= tonumber(ARGV[1]) then return -1 end
        redis.call('HSET', KEYS[1], 'gen', gen + 1, 'at', ARGV[2], 'atf', ARGV[3], 'url', ARGV[4], 'id', ARGV[5], 'rt', ARGV[6], 'known', ARGV[7], 'issued', ARGV[8])
        redis.call('PEXPIRE', KEYS[1], ARGV[9])
        return gen + 1
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """;

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LastPoll = TimeSpan.FromMilliseconds(250);

    private readonly RedisTokenSharingOptions _options;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly bool _ownsConnection;
    private IConnectionMultiplexer? _connection;
    private int _refreshes;

    public RedisTokenCoordinator(RedisTokenSharingOptions options, IDataProtector protector, IConnectionMultiplexer? connection, TimeProvider time, ILogger<RedisTokenCoordinator> logger)
    {
        _options = options;
        _protector = protector;
        _connection = connection;
        _ownsConnection = connection is null;
        _time = time;
        _logger = logger;
    }

    /// <summary>Refreshes this process made as lease holder (diagnostics and tests).</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Builds the coordinator from the service provider (options validated first: a missing protector or Redis fails here).</summary>
    public static RedisTokenCoordinator Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RedisTokenSharingOptions>>().Value;
        var protector = options.Protector ?? services.GetRequiredService<IDataProtectionProvider>().CreateProtector(ProtectorPurpose);
        var connection = string.IsNullOrWhiteSpace(options.Configuration) ? services.GetRequiredService<IConnectionMultiplexer>() : null;
        return new RedisTokenCoordinator(
            options,
            protector,
            connection,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<ILogger<RedisTokenCoordinator>>() ?? NullLogger<RedisTokenCoordinator>.Instance);
    }

    /// <summary>The configuration string without its password (for ToString and messages).</summary>
    public static string DescribeConfiguration(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return "(the registered IConnectionMultiplexer)";
        }

        try
        {
            return ConfigurationOptions.Parse(configuration).ToString(includePassword: false);
        }
        catch (ArgumentException)
        {
            return "(invalid)";
        }
    }

    /// <summary>The fingerprint of a token: the first 16 bytes of its SHA-256, hex (a token cannot be recovered from it).</summary>
    public static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)), 0, 16);

    /// <summary>The Redis keys of a grant: its state hash and its lease, in one hash slot (a Redis Cluster runs the scripts).</summary>
    public (RedisKey State, RedisKey Lease) KeysOf(SharedGrant grant)
    {
        var tenant = grant.TenantId.Length == 0
            ? "(default)"
            : grant.TenantId.Replace("%", "%25", StringComparison.Ordinal).Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal)
                .Replace("(", "%28", StringComparison.Ordinal); // so no tenant id can become "(default)"
        var state = $"{_options.KeyPrefix}{{{tenant}|{grant.Stamp}}}";
        return (state, state + ":lease");
    }

    public async Task<SharedTokenResult> GetTokenAsync(
        SharedGrant grant, string? rejectedAccessToken, Func<string, CancellationToken, Task<SharedRefreshResult>> refresh, CancellationToken cancellationToken)
    {
        var keys = KeysOf(grant);
        var hostPrint = Fingerprint(grant.HostRefreshToken);
        var rejectedPrint = rejectedAccessToken is null ? null : Fingerprint(rejectedAccessToken);
        var db = await DatabaseAsync(grant, cancellationToken).ConfigureAwait(false);
        var delay = FirstPoll;
        var waited = false;
        while (true)
        {
            var state = await ReadAsync(db, keys.State, grant, cancellationToken).ConfigureAwait(false);
            if (Usable(state, hostPrint, rejectedPrint) is { } shared)
            {
                return new SharedTokenResult(ToAccessToken(grant, shared), null);
            }

            var owner = Guid.NewGuid().ToString("N");
            if (await Redis(grant, () => db.StringSetAsync(keys.Lease, owner, _options.LeaseDuration, When.NotExists), cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    return await RefreshUnderLeaseAsync(db, keys, owner, grant, hostPrint, rejectedPrint, refresh, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await ReleaseAsync(db, keys.Lease, owner, grant).ConfigureAwait(false);
                }
            }

            if (!waited)
            {
                waited = true;
                LogWaiting(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId);
            }

            try
            {
                // Another process holds the lease: it is refreshing, or it crashed and its lease runs out. Poll with backoff.
                // Real time, whatever clock the host registered: the lease runs out on Redis's clock.
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 10)), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new SalesforceAuthenticationException(
                    "temporarily_unavailable",
                    null,
                    $"Tenant '{NameOf(grant)}': another worker held the token refresh lease in Redis for longer than the export's timeout, and no new token appeared; try again later.");
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastPoll.Ticks));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection && _connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _connecting.Dispose();
    }

    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection?.Dispose();
        }

        _connecting.Dispose();
    }

    private async Task<SharedTokenResult> RefreshUnderLeaseAsync(
        IDatabase db,
        (RedisKey State, RedisKey Lease) keys,
        string owner,
        SharedGrant grant,
        string hostPrint,
        string? rejectedPrint,
        Func<string, CancellationToken, Task<SharedRefreshResult>> refresh,
        CancellationToken cancellationToken)
    {
        // Someone may have refreshed between our read and our lease.
        var state = await ReadAsync(db, keys.State, grant, cancellationToken).ConfigureAwait(false);
        if (Usable(state, hostPrint, rejectedPrint) is { } shared)
        {
            return new SharedTokenResult(ToAccessToken(grant, shared), null);
        }

        var family = state is not null && state.Known.Contains(hostPrint);
        var current = family && state!.ProtectedRefreshToken is { Length: > 0 } protectedRefresh
            ? Unprotect(grant, protectedRefresh)
            : grant.HostRefreshToken;
        if (state is not null && !family)
        {
            LogNewFamily(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId);
        }

        SharedRefreshResult refreshed;
        using (var renewing = new CancellationTokenSource())
        {
            var renewal = RenewLeaseAsync(db, keys.Lease, owner, renewing.Token);
            try
            {
                refreshed = await refresh(current, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await renewing.CancelAsync().ConfigureAwait(false);
                await renewal.ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _refreshes);
        var next = refreshed.RefreshToken ?? current;

        // Written before anything else (the host's store, logs): until this write lands, the new refresh token exists only here.
        var known = (state?.Known ?? []).Where(k => k.Length > 0).ToList();
        foreach (var print in new[] { hostPrint, Fingerprint(current), Fingerprint(next) })
        {
            if (!known.Contains(print))
            {
                known.Add(print);
            }
        }

        if (known.Count > KnownLimit)
        {
            known.RemoveRange(0, known.Count - KnownLimit);
        }

        // A refused answer (no access token) still carries the rotated refresh token: it is written all the same, with no shared access token.
        var token = refreshed.AccessToken;
        RedisValue[] values =
        [
            state?.Generation ?? 0,
            token is null ? string.Empty : _protector.Protect(token.AccessToken),
            token is null ? string.Empty : Fingerprint(token.AccessToken),
            token?.InstanceUrl.ToString() ?? string.Empty,
            token?.IdentityUrl?.ToString() ?? string.Empty,
            _protector.Protect(next),
            string.Join(' ', known),
            _time.GetUtcNow().ToUnixTimeMilliseconds(),
            (long)StateTimeToLive.TotalMilliseconds,
        ];
        var generation = await WriteAsync(db, keys.State, values, grant).ConfigureAwait(false);
        if (generation > 0)
        {
            LogRefreshed(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId, generation);
        }

        return new SharedTokenResult(token, string.Equals(next, current, StringComparison.Ordinal) ? null : next, refreshed.Refusal);
    }

    private async Task<long> WriteAsync(IDatabase db, RedisKey state, RedisValue[] values, SharedGrant grant)
    {
        // Not cancellable: the new refresh token must land even when the caller gave up. A few attempts, then say what it means.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var written = (long)await db.ScriptEvaluateAsync(WriteScript, [state], values).ConfigureAwait(false);
                if (written < 0)
                {
                    // Our lease ran out while the token request was in flight and another process wrote first.
                    LogWriteConflict(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId);
                }

                return written;
            }
            catch (RedisException ex) when (attempt < 3)
            {
                LogWriteRetry(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), TimeProvider.System).ConfigureAwait(false);
            }
            catch (RedisException ex)
            {
                LogWriteFailed(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId, ex.GetType().Name);
                return 0;
            }
        }
    }

    private async Task RenewLeaseAsync(IDatabase db, RedisKey lease, string owner, CancellationToken stop)
    {
        var every = _options.LeaseDuration / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, TimeProvider.System, stop).ConfigureAwait(false);
                await db.ScriptEvaluateAsync(RenewScript, [lease], [owner, (long)_options.LeaseDuration.TotalMilliseconds]).WaitAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The refresh ended.
        }
        catch (RedisException)
        {
            // Redis is gone: the write after the refresh will say so; the lease runs out by itself.
        }
    }

    private async Task ReleaseAsync(IDatabase db, RedisKey lease, string owner, SharedGrant grant)
    {
        try
        {
            await db.ScriptEvaluateAsync(ReleaseScript, [lease], [owner]).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            // The lease runs out by itself after LeaseDuration.
            var type = ex.GetType().Name;
            LogReleaseFailed(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId, type);
        }
    }

    private static string NameOf(SharedGrant grant) => grant.TenantId.Length == 0 ? "(default)" : grant.TenantId;

    private static SharedState? Usable(SharedState? state, string hostPrint, string? rejectedPrint) =>
        state is { ProtectedAccessToken.Length: > 0, InstanceUrl.Length: > 0 }
        && state.Known.Contains(hostPrint)
        && !string.Equals(state.AccessTokenPrint, rejectedPrint, StringComparison.Ordinal)
            ? state
            : null;

    private SalesforceAccessToken ToAccessToken(SharedGrant grant, SharedState state) =>
        new(
            Unprotect(grant, state.ProtectedAccessToken!),
            new Uri(state.InstanceUrl!),
            Uri.TryCreate(state.IdentityUrl, UriKind.Absolute, out var identity) ? identity : null);

    private string Unprotect(SharedGrant grant, string protectedValue)
    {
        try
        {
            return _protector.Unprotect(protectedValue);
        }
        catch (CryptographicException ex)
        {
            throw new SalesforceAuthenticationException(
                null,
                null,
                $"Tenant '{NameOf(grant)}': the tokens shared in Redis could not be decrypted by this worker. Every worker must share one Data Protection key ring and application name (e.g. PersistKeysToStackExchangeRedis and SetApplicationName). Nothing was refreshed, so the grant is not at risk.",
                ex);
        }
    }

    private async Task<SharedState?> ReadAsync(IDatabase db, RedisKey key, SharedGrant grant, CancellationToken cancellationToken)
    {
        var entries = await Redis(grant, () => db.HashGetAllAsync(key), cancellationToken).ConfigureAwait(false);
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        return new SharedState(
            long.TryParse(fields.GetValueOrDefault("gen"), NumberStyles.None, CultureInfo.InvariantCulture, out var gen) ? gen : 0,
            fields.GetValueOrDefault("at"),
            fields.GetValueOrDefault("atf"),
            fields.GetValueOrDefault("url"),
            fields.GetValueOrDefault("id"),
            fields.GetValueOrDefault("rt"),
            (fields.GetValueOrDefault("known") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private async Task<IDatabase> DatabaseAsync(SharedGrant grant, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } ready)
        {
            return ready.GetDatabase();
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                var configuration = ConfigurationOptions.Parse(_options.Configuration!);
                var connection = await Redis(grant, async () => (IConnectionMultiplexer)await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _connection, connection);
            }

            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Runs a Redis call; a Redis that cannot be reached fails the token request as retryable, never silently.</summary>
    private async Task<T> Redis<T>(SharedGrant grant, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogUnavailable(_logger, grant.TenantId.Length == 0 ? "(default)" : grant.TenantId, ex.GetType().Name);
            throw new SalesforceAuthenticationException(
                "temporarily_unavailable",
                null,
                $"Tenant '{NameOf(grant)}': the Redis that shares Salesforce tokens between workers ({DescribeConfiguration(_options.Configuration)}) could not be reached, so no token was used or refreshed; try again later. A worker never refreshes on its own: with refresh-token rotation, two workers refreshing independently would make Salesforce revoke the grant.",
                ex);
        }
    }

    [LoggerMessage(EventId = 4100, EventName = "SharedTokenWaiting", Level = LogLevel.Debug, Message = "Tenant {TenantId}: another worker holds the token refresh lease; waiting for its token")]
    private static partial void LogWaiting(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 4101, EventName = "SharedTokenRefreshed", Level = LogLevel.Information, Message = "Tenant {TenantId}: refreshed the shared Salesforce token (generation {Generation})")]
    private static partial void LogRefreshed(ILogger logger, string tenantId, long generation);

    [LoggerMessage(EventId = 4102, EventName = "SharedTokenNewGrant", Level = LogLevel.Information, Message = "Tenant {TenantId}: the host supplied a refresh token of a new grant (a reconnect); the shared tokens start afresh")]
    private static partial void LogNewFamily(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 4103, EventName = "SharedTokenRedisUnavailable", Level = LogLevel.Warning, Message = "Tenant {TenantId}: Redis could not be reached ({ErrorType}); the export fails as retryable and no token is refreshed")]
    private static partial void LogUnavailable(ILogger logger, string tenantId, string errorType);

    [LoggerMessage(EventId = 4104, EventName = "SharedTokenWriteRetry", Level = LogLevel.Warning, Message = "Tenant {TenantId}: writing the new shared tokens to Redis failed ({ErrorType}); trying again")]
    private static partial void LogWriteRetry(ILogger logger, string tenantId, string errorType);

    [LoggerMessage(EventId = 4105, EventName = "SharedTokenWriteFailed", Level = LogLevel.Error, Message = "Tenant {TenantId}: the new tokens could not be written to Redis ({ErrorType}); this worker uses them, but another worker may refresh with the previous refresh token and Salesforce then revokes the grant (the tenant must reconnect)")]
    private static partial void LogWriteFailed(ILogger logger, string tenantId, string errorType);

    [LoggerMessage(EventId = 4106, EventName = "SharedTokenWriteConflict", Level = LogLevel.Warning, Message = "Tenant {TenantId}: another worker wrote the shared tokens while this one refreshed (its lease ran out); the other worker's tokens stay")]
    private static partial void LogWriteConflict(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 4107, EventName = "SharedTokenLeaseReleaseFailed", Level = LogLevel.Debug, Message = "Tenant {TenantId}: releasing the token refresh lease failed ({ErrorType}); it runs out by itself")]
    private static partial void LogReleaseFailed(ILogger logger, string tenantId, string errorType);

    /// <summary>A grant's state as read from Redis (secrets still protected).</summary>
    private sealed record SharedState(long Generation, string? ProtectedAccessToken, string? AccessTokenPrint, string? InstanceUrl, string? IdentityUrl, string? ProtectedRefreshToken, string[] Known)
    {
        public override string ToString() => $"SharedState {{ Generation = {Generation} }}";
    }
}
