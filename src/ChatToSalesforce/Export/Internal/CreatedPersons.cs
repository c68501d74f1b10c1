namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// New persons this process created lately (org, object and email → id), for exports that read before the create:
/// at most <c>capacity</c> entries, each for <see cref="Lifetime"/> (by then every such export has read again).
/// </summary>
internal sealed class CreatedPersons(int capacity, TimeProvider timeProvider)
{
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, (string Id, DateTimeOffset At)> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<string> _order = new();

    public void Add(string key, string id)
    {
        lock (_ids)
        {
            _ids[key] = (id, timeProvider.GetUtcNow());
            _order.Enqueue(key);
            while (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
            }
        }
    }

    public bool TryGet(string key, out string id)
    {
        lock (_ids)
        {
            if (_ids.TryGetValue(key, out var entry) && timeProvider.GetUtcNow() - entry.At < Lifetime)
            {
                id = entry.Id;
                return true;
            }

            id = null!;
            return false;
        }
    }
}
