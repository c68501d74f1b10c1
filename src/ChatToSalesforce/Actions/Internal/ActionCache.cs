using System.Collections.Concurrent;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>
/// The short, bounded memory of lookups and finds, per tenant org: a console refresh or a bot asking the same again within
/// <see cref="ChatActionOptions.CacheDuration"/> costs no API call. A write through the actions forgets what was read of
/// the object it wrote (and the visitor lookups, for person objects), so a find after a create sees the new record.
/// </summary>
internal sealed class ActionCache(TimeProvider timeProvider)
{
    /// <summary>The tag of visitor lookups (they read Contacts, Leads and Accounts).</summary>
    public const string VisitorTag = "#visitor";

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();

    public bool TryGet<T>(string org, string tag, string key, out T value)
        where T : class
    {
        if (_entries.TryGetValue(new Key(org, tag, key), out var entry))
        {
            if (entry.ExpiresAt > timeProvider.GetUtcNow() && entry.Value is T found)
            {
                value = found;
                return true;
            }

            _entries.TryRemove(new Key(org, tag, key), out _);
        }

        value = null!;
        return false;
    }

    public void Set(string org, string tag, string key, object value, ChatActionOptions options)
    {
        if (options.CacheDuration <= TimeSpan.Zero || options.MaxCachedResults <= 0)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        if (_entries.Count >= options.MaxCachedResults)
        {
            // Drop the expired, then the oldest tenth: memory stays bounded however many visitors come by.
            var drop = _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList();
            if (drop.Count == 0)
            {
                drop = _entries.OrderBy(e => e.Value.ExpiresAt).Take(Math.Max(1, options.MaxCachedResults / 10)).Select(e => e.Key).ToList();
            }

            foreach (var k in drop)
            {
                _entries.TryRemove(k, out _);
            }
        }

        _entries[new Key(org, tag, key)] = new Entry(value, now + options.CacheDuration);
    }

    /// <summary>Forgets what was read of an object in an org (after a write to it).</summary>
    public void Forget(string org, string objectType)
    {
        var person = string.Equals(objectType, "Contact", StringComparison.OrdinalIgnoreCase)
            || string.Equals(objectType, "Lead", StringComparison.OrdinalIgnoreCase) || string.Equals(objectType, "Account", StringComparison.OrdinalIgnoreCase);
        foreach (var key in _entries.Keys)
        {
            if (string.Equals(key.Org, org, StringComparison.Ordinal)
                && (string.Equals(key.Tag, objectType, StringComparison.OrdinalIgnoreCase) || (person && key.Tag == VisitorTag)))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(object Value, DateTimeOffset ExpiresAt);

    private readonly record struct Key(string Org, string Tag, string Name);
}
