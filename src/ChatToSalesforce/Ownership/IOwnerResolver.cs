using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Ownership;

/// <summary>Picks the Salesforce User who owns the records an export writes.</summary>
/// <remarks>
/// Runs alongside identity matching, so its reads share the same request. Return <see cref="ResolvedOwner.ConnectingUser"/>
/// to leave <c>OwnerId</c> unset. Fallback owners are used, in order, when Salesforce rejects an owner as inactive or
/// invalid. Replace it with <c>builder.UseOwnerResolver&lt;T&gt;()</c>.
/// </remarks>
public interface IOwnerResolver
{
    /// <summary>Resolves the owner.</summary>
    /// <param name="context">The conversation, options and reader.</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The owner.</returns>
    ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken);
}

/// <summary>The input of <see cref="IOwnerResolver"/>.</summary>
public sealed class OwnerResolutionContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the batched Salesforce reader.</summary>
    public required ISalesforceReader Salesforce { get; init; }
}

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

/// <summary>A way of choosing an owner.</summary>
public enum OwnerStrategy
{
    /// <summary>The active Salesforce User whose email matches the agent's.</summary>
    AgentUser,

    /// <summary>Keep the existing person's owner (new records fall through to the next strategy).</summary>
    RecordOwner,

    /// <summary><see cref="SalesforceChatExportOptions.DefaultOwnerId"/>.</summary>
    DefaultOwner,

    /// <summary>Leave <c>OwnerId</c> unset: the connecting (integration) user.</summary>
    ConnectingUser,
}
