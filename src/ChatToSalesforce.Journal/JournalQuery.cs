namespace ChatToSalesforce.Journal;

/// <summary>Which failures a journal query or a replay covers.</summary>
public sealed class JournalQuery
{
    /// <summary>The <see cref="TenantId"/> that selects the default tenant (conversations whose <see cref="Conversation.TenantId"/> is <see langword="null"/>).</summary>
    public const string DefaultTenant = "";

    /// <summary>Gets the failure kind (<c>fix-configuration</c>, ...; see <see cref="JournalEntry.FailureKind"/>), or <see langword="null"/> for every kind.</summary>
    public string? FailureKind { get; init; }

    /// <summary>Gets the tenant, <see cref="DefaultTenant"/> for the default tenant, or <see langword="null"/> for every tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the most entries a query returns. Default 1,000.</summary>
    public int Limit { get; init; } = 1_000;
}
