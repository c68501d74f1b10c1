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
