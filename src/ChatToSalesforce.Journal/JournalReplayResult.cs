namespace ChatToSalesforce.Journal;

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
