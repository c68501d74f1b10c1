namespace ChatToSalesforce.Journal;

/// <summary>How many conversations of one tenant are failed with one failure kind.</summary>
/// <param name="TenantId">The tenant, or <see langword="null"/> for the default tenant.</param>
/// <param name="FailureKind">The failure kind.</param>
/// <param name="Count">How many conversations are failed (their latest outcome).</param>
/// <param name="Replayable">How many of them the journal keeps, so a replay can send them.</param>
public sealed record JournalFailureCount(string? TenantId, string FailureKind, int Count, int Replayable);
