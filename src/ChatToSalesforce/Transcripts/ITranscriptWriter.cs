using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Transcripts;

/// <summary>Decides the activity (Task, Case or Event) that holds the transcript, and the files attached to it.</summary>
/// <remarks>
/// It decides; it does not call Salesforce. The unit of work links the activity to the person through
/// <see cref="WrittenTranscript.PersonLinkField"/> and writes it in the same request. Replace it with
/// <c>builder.UseTranscriptWriter&lt;T&gt;()</c>.
/// </remarks>
public interface ITranscriptWriter
{
    /// <summary>Writes the transcript activity.</summary>
    /// <param name="context">The conversation, mapped values and owner.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>The activity and files.</returns>
    ValueTask<WrittenTranscript> WriteAsync(TranscriptWriteContext context, CancellationToken cancellationToken);
}

/// <summary>The input of <see cref="ITranscriptWriter"/>.</summary>
public sealed class TranscriptWriteContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the activity sObject of the mode.</summary>
    public required string ActivityObject { get; init; }

    /// <summary>Gets the person sObject of the mode.</summary>
    public required string PersonObject { get; init; }

    /// <summary>Gets the mapped values (the activity's mapped fields are included in the result).</summary>
    public required FieldMap Fields { get; init; }

    /// <summary>Gets the owner.</summary>
    public required ResolvedOwner Owner { get; init; }

    /// <summary>Gets the batched Salesforce reader.</summary>
    public required ISalesforceReader Salesforce { get; init; }
}

/// <summary>The activity and files decided by <see cref="ITranscriptWriter"/>.</summary>
public sealed class WrittenTranscript
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

/// <summary>A file attached to the activity.</summary>
/// <param name="FileName">The file name.</param>
/// <param name="Content">The bytes.</param>
/// <param name="ContentType">The MIME type, if known.</param>
public sealed record TranscriptFile(string FileName, ReadOnlyMemory<byte> Content, string? ContentType = null)
{
    /// <inheritdoc />
    public override string ToString() => $"TranscriptFile ({Content.Length} bytes)";
}
