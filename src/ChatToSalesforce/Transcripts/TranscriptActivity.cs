using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Transcripts;

/// <summary>
/// The activity (Task, Case or Event) that <see cref="ITranscriptWriter"/> wants written, with its files: a decision, not
/// a write. The exporter writes it with the person, in the same all-or-nothing unit.
/// </summary>
public sealed class TranscriptActivity
{
    /// <summary>Gets the activity sObject.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the activity's values (without the person link, which the unit of work adds).</summary>
    public SalesforceFieldValues Fields { get; init; } = new();

    /// <summary>Gets the field that links the activity to the person (<c>WhoId</c>, <c>ContactId</c>), or <see langword="null"/>.</summary>
    public string? PersonLinkField { get; init; }

    /// <summary>Gets the external-id field to upsert the activity on (<see cref="SalesforceChatExportOptions.ConversationIdField"/>).</summary>
    public string? ExternalIdField { get; init; }

    /// <summary>Gets the external-id value (the conversation id).</summary>
    public string? ExternalIdValue { get; init; }

    /// <summary>Gets the files to attach to the activity.</summary>
    public IReadOnlyList<TranscriptFile> Files { get; init; } = [];

    /// <summary>Gets whether the transcript was cut to fit the description field.</summary>
    public bool Truncated { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{ObjectType} ({Fields.Count} fields, {Files.Count} files)";
}
