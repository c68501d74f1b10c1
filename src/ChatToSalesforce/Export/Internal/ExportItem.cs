using ChatToSalesforce.Transcripts;

namespace ChatToSalesforce.Export.Internal;

/// <summary>One conversation of a chunk, and what happened to it.</summary>
internal sealed class ExportItem(int index, Conversation? conversation)
{
    public int Index { get; } = index;

    public Conversation? Conversation { get; } = conversation;

    public string ConversationId => Conversation?.Id ?? string.Empty;

    /// <summary>Gets or sets a result decided without writing (skipped, or failed before the chunk's work).</summary>
    public ConversationExportResult? Result { get; set; }

    public ExportWritePlan? Plan { get; set; }

    /// <summary>Gets or sets what identity matching found.</summary>
    public ChatToSalesforce.Identity.IdentityMatch? Match { get; set; }

    public Exception? Error { get; set; }

    public SalesforceRecordRef? Person { get; set; }

    public SalesforceRecordRef? Activity { get; set; }

    public List<SalesforceRecordRef> Files { get; } = [];

    /// <summary>Gets or sets files too large for the write request, uploaded once the activity exists.</summary>
    public List<(int Index, TranscriptFile File)> DeferredFiles { get; set; } = [];

    /// <summary>Gets or sets the key under which this item creates a new person other exports may join, if any.</summary>
    public string? PersonKey { get; set; }

    /// <summary>Gets or sets the write of another export this item waits for, to link to the person it creates.</summary>
    public Task<string?>? JoinedPerson { get; set; }

    public bool IsWritable => Result is null && Error is null && Plan is not null;
}
