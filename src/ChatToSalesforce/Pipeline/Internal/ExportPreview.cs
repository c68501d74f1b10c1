using ChatToSalesforce.Identity;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>What an export would do (the CLI's dry run): the match, and the writes planned; nothing was written.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="SkipReason">Why it would be skipped, if it would.</param>
/// <param name="Match">The identity match.</param>
/// <param name="Plan">The planned writes.</param>
/// <param name="ReadCalls">The API calls the reads spent.</param>
internal sealed record ExportPreview(string ConversationId, string? SkipReason, IdentityMatch? Match, ExportWritePlan? Plan, int ReadCalls);
