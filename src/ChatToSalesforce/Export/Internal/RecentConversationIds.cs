namespace ChatToSalesforce.Export.Internal;

/// <summary>The conversation ids a batch has seen lately: at most <c>capacity</c>, the oldest forgotten first.</summary>
internal sealed class RecentConversationIds(int capacity)
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Add(string id)
    {
        if (!_set.Add(id))
        {
            return false;
        }

        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }

        return true;
    }
}
