using System.Collections.Concurrent;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>Per-org metadata the exporter reuses between exports: describe results and agent email → User id.</summary>
/// <remarks>Bounded (entries past <see cref="MaxEntries"/> evict the oldest) and time-limited (<see cref="SalesforceChatExportOptions.MetadataCacheDuration"/>).</remarks>
internal sealed class OrgMetadataCache(TimeProvider timeProvider)
{
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public bool TryGetDescribe(string org, string objectType, out SalesforceObjectDescription description)
    {
        if (TryGet(org + "|describe|" + objectType, out var value) && value is SalesforceObjectDescription d)
        {
            description = d;
            return true;
        }

        description = null!;
        return false;
    }

    public void SetDescribe(string org, SalesforceObjectDescription description, TimeSpan duration) =>
        Set(org + "|describe|" + description.Name, description, duration);

    /// <summary>Gets the cached User id for an agent email; the value is <see langword="null"/> when no active User matched.</summary>
    public bool TryGetAgentUser(string org, string email, out string? userId)
    {
        if (TryGet(org + "|user|" + email, out var value))
        {
            userId = value as string;
            return true;
        }

        userId = null;
        return false;
    }

    public void SetAgentUser(string org, string email, string? userId, TimeSpan duration) =>
        Set(org + "|user|" + email, userId, duration);

    public void RemoveAgentUser(string org, string email) => _entries.TryRemove(org + "|user|" + email, out _);

    private bool TryGet(string key, out object? value)
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

    private void Set(string key, object? value, TimeSpan duration)
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
}
