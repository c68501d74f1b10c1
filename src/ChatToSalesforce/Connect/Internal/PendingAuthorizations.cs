using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;

namespace ChatToSalesforce.Connect.Internal;

/// <summary>
/// Authorizations started and not yet completed, keyed by their state: what the callback needs (tenant, PKCE verifier,
/// callback URL, login host, app) stays on the server. A state is an unguessable random value, so one that was tampered
/// with is simply unknown; taking it removes it (single use); it expires. With an <see cref="IDistributedCache"/>
/// registered, web servers share them (the callback may reach another instance than the start).
/// </summary>
internal sealed class PendingAuthorizations(TimeProvider time, IDistributedCache? shared)
{
    internal const int MaxPending = 10_000;

    private const string KeyPrefix = "ChatToSalesforce:connect:v1:";

    private readonly ConcurrentDictionary<string, PendingAuthorization> _local = new(StringComparer.Ordinal);

    public async ValueTask AddAsync(string state, PendingAuthorization pending, CancellationToken cancellationToken)
    {
        if (shared is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(pending, ConnectJsonContext.Default.PendingAuthorization);
            await shared.SetAsync(KeyPrefix + state, bytes, new DistributedCacheEntryOptions { AbsoluteExpiration = pending.ExpiresAt }, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_local.Count >= MaxPending)
        {
            var now = time.GetUtcNow();
            foreach (var (key, value) in _local)
            {
                if (value.ExpiresAt <= now)
                {
                    _local.TryRemove(key, out _);
                }
            }
        }

        _local[state] = pending;
    }

    /// <summary>Takes (and removes) the authorization of a state; null when it is unknown, already used or expired.</summary>
    public async ValueTask<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken)
    {
        PendingAuthorization? pending;
        if (shared is not null)
        {
            var bytes = await shared.GetAsync(KeyPrefix + state, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return null;
            }

            await shared.RemoveAsync(KeyPrefix + state, cancellationToken).ConfigureAwait(false);
            pending = JsonSerializer.Deserialize(bytes, ConnectJsonContext.Default.PendingAuthorization);
        }
        else if (!_local.TryRemove(state, out pending))
        {
            return null;
        }

        return pending is not null && pending.ExpiresAt > time.GetUtcNow() ? pending : null;
    }
}

/// <summary>An authorization in flight. The client secret is not kept: it is read again from the settings at the callback.</summary>
internal sealed record PendingAuthorization(string TenantId, string CodeVerifier, Uri RedirectUri, Uri LoginHost, string ClientId, bool OwnApp, DateTimeOffset ExpiresAt);

[System.Text.Json.Serialization.JsonSerializable(typeof(PendingAuthorization))]
internal sealed partial class ConnectJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
