namespace ChatToSalesforce.Ownership;

/// <summary>The owner an export sets.</summary>
/// <param name="OwnerId">The User id, or <see langword="null"/> to leave <c>OwnerId</c> unset (the connecting user owns the records).</param>
/// <param name="Strategy">The strategy that chose it.</param>
public sealed record ResolvedOwner(string? OwnerId, OwnerStrategy Strategy)
{
    /// <summary>Gets an owner meaning "leave OwnerId unset".</summary>
    public static ResolvedOwner ConnectingUser { get; } = new(null, OwnerStrategy.ConnectingUser);

    /// <summary>Gets the owners to fall back to, in order, if Salesforce rejects <see cref="OwnerId"/>.</summary>
    public IReadOnlyList<ResolvedOwner> Fallbacks { get; init; } = [];
}
