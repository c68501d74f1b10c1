using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.Caching.Distributed;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Per-org metadata the exporter reuses between exports: describe results and agent email → User id.</summary>
/// <remarks>
/// Bounded (entries past <see cref="MaxEntries"/> evict the oldest) and time-limited (<see cref="SalesforceChatExportOptions.MetadataCacheDuration"/>).
/// With <see cref="Distributed"/> set (<c>builder.UseDistributedMetadataCache()</c>), entries are also written to the
/// host's <see cref="IDistributedCache"/>, and <see cref="WarmAsync"/> fills this process's cache from it before a read
/// round, so workers share what one of them read. The distributed cache is best effort: its failures never fail an export.
/// </remarks>
internal sealed class OrgMetadataCache(TimeProvider timeProvider)
{
    internal const string DistributedKeyPrefix = "ChatToSalesforce:metadata:v1:";

    internal const int MaxEntries = 10_000;

    private const char DescribeKind = 'd';
    private const char UserKind = 'u';
    private const char ObjectListKind = 'o';

    // Keys are (org, kind, name) values compared without case: building "org|kind|name" strings cost an allocation per lookup.
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();

    public bool TryGetDescribe(string org, string objectType, out SalesforceObjectDescription description)
    {
        if (TryGet(new Key(org, DescribeKind, objectType), out var value) && value is SalesforceObjectDescription d)
        {
            description = d;
            return true;
        }

        description = null!;
        return false;
    }

    /// <summary>Gets the host's distributed cache backing this one, if any.</summary>
    public IDistributedCache? Distributed { get; init; }

    /// <summary>Caches a describe result (the distributed cache stores its compact describe body).</summary>
    public void SetDescribe(string org, SalesforceObjectDescription description, TimeSpan duration)
    {
        Set(new Key(org, DescribeKind, description.Name), description, duration);
        if (Distributed is not null)
        {
            Share(DistributedKey(org, DescribeKind, description.Name), Encoding.UTF8.GetBytes(DescribeWire.ToJson(description).ToJsonString()), duration);
        }
    }

    /// <summary>Gets the org's cached object list (this process only).</summary>
    public bool TryGetObjectList(string org, out IReadOnlyList<SalesforceObjectSummary> objects)
    {
        objects = TryGet(new Key(org, ObjectListKind, "*"), out var value) && value is IReadOnlyList<SalesforceObjectSummary> list ? list : null!;
        return objects is not null;
    }

    /// <summary>Caches the org's object list (this process only).</summary>
    public void SetObjectList(string org, IReadOnlyList<SalesforceObjectSummary> objects, TimeSpan duration) =>
        Set(new Key(org, ObjectListKind, "*"), objects, duration);

    /// <summary>Gets the cached User id for an agent email; the value is <see langword="null"/> when no active User matched.</summary>
    public bool TryGetAgentUser(string org, string email, out string? userId)
    {
        if (TryGet(new Key(org, UserKind, email), out var value))
        {
            userId = value as string;
            return true;
        }

        userId = null;
        return false;
    }

    public void SetAgentUser(string org, string email, string? userId, TimeSpan duration)
    {
        Set(new Key(org, UserKind, email), userId, duration);
        if (Distributed is not null)
        {
            Share(DistributedKey(org, UserKind, email), Encoding.UTF8.GetBytes(userId ?? string.Empty), duration);
        }
    }

    /// <summary>
    /// Fills this process's cache from the distributed cache for the describes and agent Users an export is about to
    /// need (one parallel lookup each, only for what is not cached here). Without a distributed cache it does nothing.
    /// </summary>
    public ValueTask WarmAsync(string org, IReadOnlyList<string> objectTypes, IEnumerable<string> agentEmails, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (Distributed is null)
        {
            return ValueTask.CompletedTask;
        }

        var lookups = new List<Task>();
        foreach (var objectType in objectTypes)
        {
            if (!TryGetDescribe(org, objectType, out _))
            {
                lookups.Add(LoadAsync(org, DescribeKind, objectType, duration, cancellationToken));
            }
        }

        foreach (var email in agentEmails)
        {
            if (!TryGetAgentUser(org, email, out _))
            {
                lookups.Add(LoadAsync(org, UserKind, email, duration, cancellationToken));
            }
        }

        return lookups.Count == 0 ? ValueTask.CompletedTask : new ValueTask(Task.WhenAll(lookups));
    }

    private async Task LoadAsync(string org, char kind, string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await Distributed!.GetAsync(DistributedKey(org, kind, name), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return; // Best effort: Salesforce is read instead.
        }

        if (bytes is null)
        {
            return;
        }

        if (kind == UserKind)
        {
            var id = Encoding.UTF8.GetString(bytes);
            Set(new Key(org, UserKind, name), id.Length == 0 ? null : id, duration);
            return;
        }

        try
        {
            Set(new Key(org, DescribeKind, name), DescribeWire.FromJson(JsonNode.Parse(bytes)!), duration);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            // A stale or foreign entry: ignore it; the describe is read from Salesforce and written again.
        }
    }

    private void Share(string key, byte[] value, TimeSpan duration)
    {
        _ = ShareAsync(Distributed!, key, value, duration);

        static async Task ShareAsync(IDistributedCache cache, string key, byte[] value, TimeSpan duration)
        {
            try
            {
                await cache.SetAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = duration }).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Best effort: the next export in another process reads Salesforce instead.
            }
        }
    }

    private static string DistributedKey(string org, char kind, string name) =>
        DistributedKeyPrefix + org.ToLowerInvariant() + (kind == DescribeKind ? ":describe:" : ":user:") + name.ToLowerInvariant();

    /// <summary>Entries held (diagnostics and benchmarks).</summary>
    public int Count => _entries.Count;

    /// <summary>Forgets everything cached for an org (its tenant was evicted or reconnected).</summary>
    public void RemoveOrg(string org)
    {
        foreach (var key in _entries.Keys)
        {
            if (string.Equals(key.Org, org, StringComparison.OrdinalIgnoreCase))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    public void RemoveAgentUser(string org, string email) => _entries.TryRemove(new Key(org, UserKind, email), out _);

    private bool TryGet(Key key, out object? value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > timeProvider.GetUtcNow())
            {
                value = entry.Value;
                return true;
            }

            _entries.TryRemove(key, out _);
        }

        value = null;
        return false;
    }

    private void Set(Key key, object? value, TimeSpan duration)
    {
        var now = timeProvider.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            foreach (var old in _entries.OrderBy(e => e.Value.ExpiresAt).Take(MaxEntries / 10).ToList())
            {
                _entries.TryRemove(old.Key, out _);
            }
        }

        _entries[key] = new Entry(value, now + duration);
    }

    private sealed record Entry(object? Value, DateTimeOffset ExpiresAt);

    private readonly record struct Key(string Org, char Kind, string Name)
    {
        public bool Equals(Key other) =>
            Kind == other.Kind && string.Equals(Org, other.Org, StringComparison.OrdinalIgnoreCase) && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

        public override int GetHashCode() =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Org), Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(Name));
    }
}
