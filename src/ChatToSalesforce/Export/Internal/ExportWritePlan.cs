using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Transcripts;

namespace ChatToSalesforce.Export.Internal;

/// <summary>Everything the stages decided for one conversation; the write planner turns it into one unit of writes.</summary>
internal sealed class ExportWritePlan
{
    public required string ConversationId { get; init; }

    /// <summary>Gets the key of the activity (the conversation, or its session after a reopen beyond the window).</summary>
    public required ActivityKey ActivityKey { get; init; }

    public required ResolvedRecord Person { get; set; }

    public TranscriptActivity? Activity { get; init; }

    public required ResolvedOwner Owner { get; set; }

    public string? CampaignId { get; set; }

    public string? CampaignMemberStatus { get; init; }

    public SalesforceFieldValues CampaignMemberFields { get; init; } = [];

    public string? VisitorEmail { get; init; }

    /// <summary>Gets or sets the activity an earlier export of this conversation wrote (updated instead of created).</summary>
    public string? ExistingActivityId { get; set; }

    /// <summary>Gets the safe names of the files already attached to <see cref="ExistingActivityId"/> (not sent again).</summary>
    public HashSet<string> ExistingFiles { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Warnings { get; } = [];
}

/// <summary>What the unit of work wrote.</summary>
internal sealed record ExportWriteOutcome(
    SalesforceRecordRef? Person,
    SalesforceRecordRef? Activity,
    IReadOnlyList<SalesforceRecordRef> Files,
    string? OwnerId,
    int ApiCalls);
