using ChatToSalesforce.Identity;

namespace ChatToSalesforce.Ownership.Internal;

/// <summary>
/// The owner chain's rules in one place: <see cref="DefaultOwnerResolver"/> builds the chain (agent → record owner →
/// default owner → connecting user); this type decides what it means for a matched or new person and for the activity,
/// and which owner comes next when Salesforce rejects one.
/// </summary>
internal static class OwnerChain
{
    /// <summary>
    /// Settles the <see cref="OwnerStrategy.RecordOwner"/> marker against the match: an existing person keeps its owner; a
    /// new person has none to keep, so the next strategy's owner is set (and falls back when Salesforce rejects it).
    /// </summary>
    public static ResolvedOwner ForPerson(ResolvedOwner owner, IdentityMatch match)
    {
        if (owner.Strategy != OwnerStrategy.RecordOwner)
        {
            return owner;
        }

        if (match.IsFound && match.Fields.GetString("OwnerId") is { } recordOwner)
        {
            return new ResolvedOwner(recordOwner, OwnerStrategy.RecordOwner) { Fallbacks = owner.Fallbacks };
        }

        if (match.IsFound)
        {
            return owner;
        }

        var next = owner.Fallbacks.Select((fallback, index) => (Owner: fallback, Index: index)).FirstOrDefault(f => f.Owner.Strategy != OwnerStrategy.RecordOwner);
        return next.Owner is null ? ResolvedOwner.ConnectingUser : next.Owner with { Fallbacks = owner.Fallbacks.Skip(next.Index + 1).ToArray() };
    }

    /// <summary>The activity's owner: the person's, or, when the person keeps an owner the SDK does not know, the next one.</summary>
    public static ResolvedOwner ForActivity(ResolvedOwner owner) =>
        owner.Strategy == OwnerStrategy.RecordOwner && owner.OwnerId is null
            ? owner.Fallbacks.Count > 0 ? owner.Fallbacks[0] with { Fallbacks = owner.Fallbacks.Skip(1).ToArray() } : ResolvedOwner.ConnectingUser
            : owner;

    /// <summary>The owner after Salesforce rejected <paramref name="rejected"/> (inactive or invalid), or <see langword="null"/> when none is left.</summary>
    public static ResolvedOwner? Next(ResolvedOwner rejected) =>
        rejected.OwnerId is null || rejected.Fallbacks.Count == 0
            ? null
            : rejected.Fallbacks[0] with { Fallbacks = rejected.Fallbacks.Skip(1).ToArray() };
}
