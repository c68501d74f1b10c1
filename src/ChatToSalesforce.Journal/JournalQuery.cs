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

/// <summary>How many conversations of one tenant are failed with one failure kind.</summary>
/// <param name="TenantId">The tenant, or <see langword="null"/> for the default tenant.</param>
/// <param name="FailureKind">The failure kind.</param>
/// <param name="Count">How many conversations are failed (their latest outcome).</param>
/// <param name="Replayable">How many of them the journal keeps, so a replay can send them.</param>
public sealed record JournalFailureCount(string? TenantId, string FailureKind, int Count, int Replayable);

/// <summary>What a replay did.</summary>
public sealed class JournalReplayResult
{
    /// <summary>Gets how many kept conversations were sent to the exporter again.</summary>
    public int Replayed { get; init; }

    /// <summary>Gets how many of them were exported.</summary>
    public int Exported { get; init; }

    /// <summary>Gets how many of them were skipped (a filter or the identity rules).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets how many of them failed again (recorded with their new failure kind).</summary>
    public int Failed { get; init; }

    /// <summary>Gets how many matching failures could not be replayed: the journal does not keep them (<see cref="ExportJournalOptions.KeepFailedConversations"/> was off, the retention period passed) or their kept copy is unreadable.</summary>
    public int NotReplayable { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"replayed {Replayed}: {Exported} exported, {Skipped} skipped, {Failed} failed; {NotReplayable} not replayable";
}
