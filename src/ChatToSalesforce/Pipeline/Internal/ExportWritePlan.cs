using System.Text.Json.Nodes;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Transcripts;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>Everything the stages decided for one conversation; the unit of work turns it into subrequests.</summary>
internal sealed class ExportWritePlan
{
    public required string ConversationId { get; init; }

    public required ResolvedRecord Person { get; set; }

    public WrittenTranscript? Activity { get; init; }

    public required ResolvedOwner Owner { get; set; }

    public string? CampaignId { get; set; }

    public string? CampaignMemberStatus { get; init; }

    public JsonObject CampaignMemberFields { get; init; } = [];

    public string? VisitorEmail { get; init; }

    public List<string> Warnings { get; } = [];
}

/// <summary>What the unit of work wrote.</summary>
internal sealed record ExportWriteOutcome(
    SalesforceRecordRef? Person,
    SalesforceRecordRef? Activity,
    IReadOnlyList<SalesforceRecordRef> Files,
    string? OwnerId,
    int ApiCalls);

/// <summary>What the deciding stages concluded for one conversation: a write plan, or a skipped result.</summary>
/// <param name="Skipped">The skipped result, when the conversation is not written.</param>
/// <param name="Plan">The write plan, when it is.</param>
/// <param name="Owner">The owner the owner resolver returned (before the record-owner marker was applied).</param>
internal sealed record ExportDecision(ConversationExportResult? Skipped, ExportWritePlan? Plan, ResolvedOwner Owner);
