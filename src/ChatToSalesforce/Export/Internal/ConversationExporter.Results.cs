using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Export.Internal;

/// <content>The results of a chunk, in input order, and their log lines.</content>
internal sealed partial class ConversationExporter
{
    /// <summary>
    /// The results in input order. A chunk's calls are charged to its first conversation that got past the filters, so
    /// the sum over the results is the number of calls spent.
    /// </summary>
    private static ConversationExportResult[] Results(List<ExportItem> items, int chunkCalls)
    {
        var first = items.FirstOrDefault(i => i.Match is not null || i.Plan is not null || i.Error is not null);
        var results = new ConversationExportResult[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var calls = ReferenceEquals(item, first) ? chunkCalls : 0;
            if (item.Error is not null)
            {
                results[i] = new ConversationExportResult
                {
                    ConversationId = item.ConversationId, TenantId = item.Conversation?.TenantId, Status = ExportStatus.Failed, Error = item.Error, Person = item.Person, Activity = item.Activity,
                    Files = item.Files, ApiCalls = calls, Warnings = item.Plan?.Warnings ?? [],
                };
            }
            else if (item.Result is { } done)
            {
                results[i] = new ConversationExportResult
                {
                    ConversationId = done.ConversationId, TenantId = item.Conversation?.TenantId, Status = done.Status, SkipReason = done.SkipReason, Error = done.Error, ApiCalls = calls,
                };
            }
            else
            {
                var plan = item.Plan!;
                results[i] = new ConversationExportResult
                {
                    ConversationId = item.ConversationId,
                    TenantId = item.Conversation?.TenantId,
                    Status = ExportStatus.Exported,
                    Person = item.Person,
                    Activity = item.Activity,
                    Files = item.Files,
                    OwnerId = plan.Owner.OwnerId,
                    ApiCalls = calls,
                    Warnings = plan.Warnings,
                };
            }
        }

        return results;
    }

    private void Log(ConversationExportResult[] results)
    {
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case ExportStatus.Skipped:
                    LogSkipped(_logger, result.ConversationId, result.SkipReason);
                    break;
                case ExportStatus.Failed:
                    LogFailed(_logger, result.ConversationId, result.Error?.GetType().Name ?? "Unknown", (result.Error as SalesforceApiException)?.ErrorCode);
                    break;
                default:
                    LogExported(_logger, result.ConversationId, result.Person?.ObjectType, result.Person?.Id, result.Person?.Change, result.Activity?.ObjectType, result.Activity?.Id, result.ApiCalls);
                    break;
            }
        }
    }

    [LoggerMessage(EventId = 1, EventName = "ConversationExported", Level = LogLevel.Information, Message = "Conversation {ConversationId} exported: {PersonObject} {PersonId} ({PersonChange}), {ActivityObject} {ActivityId}, {ApiCalls} API calls")]
    private static partial void LogExported(ILogger logger, string conversationId, string? personObject, string? personId, RecordChange? personChange, string? activityObject, string? activityId, int apiCalls);

    [LoggerMessage(EventId = 2, EventName = "ConversationSkipped", Level = LogLevel.Information, Message = "Conversation {ConversationId} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string conversationId, string? reason);

    [LoggerMessage(EventId = 3, EventName = "ConversationFailed", Level = LogLevel.Warning, Message = "Conversation {ConversationId} failed: {ExceptionType} {ErrorCode}")]
    internal static partial void LogFailed(ILogger logger, string conversationId, string exceptionType, string? errorCode);
}
