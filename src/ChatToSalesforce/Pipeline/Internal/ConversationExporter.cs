using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ChatToSalesforce.Filtering;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Transcripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// Runs the pipeline: filters → identity matcher and owner resolver (their reads share one request) → field mapper →
/// record resolver → transcript writer → one write request.
/// </summary>
internal sealed partial class ConversationExporter(
    ISalesforceClient client,
    IEnumerable<IExportFilter> filters,
    IIdentityMatcher identityMatcher,
    IOwnerResolver ownerResolver,
    IFieldMapper fieldMapper,
    IRecordResolver recordResolver,
    ITranscriptWriter transcriptWriter,
    OrgMetadataCache cache,
    IOptionsMonitor<SalesforceChatExportOptions> optionsMonitor,
    ILogger<ConversationExporter> logger) : IConversationExporter
{
    internal static readonly ActivitySource ActivitySource = new("ChatToSalesforce");

    private readonly IExportFilter[] _filters = filters.ToArray();

    // Reading the options here validates them when the exporter is first resolved, not on the first export.
    private readonly SalesforceChatExportOptions _validatedAtResolution = optionsMonitor.CurrentValue;

    public async Task<ConversationExportResult> ExportAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var options = optionsMonitor.CurrentValue;
        using var activity = ActivitySource.StartActivity("ChatToSalesforce.Export");
        activity?.SetTag("chat_to_salesforce.mode", options.Mode.ToString());
        try
        {
            var result = await ExportCoreAsync(conversation, options, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("chat_to_salesforce.outcome", result.Status.ToString());
            activity?.SetTag("chat_to_salesforce.api_calls", result.ApiCalls);
            if (result.Status == ExportStatus.Skipped)
            {
                LogSkipped(logger, conversation.Id, result.SkipReason);
            }
            else
            {
                LogExported(logger, conversation.Id, result.Person?.ObjectType, result.Person?.Id, result.Person?.Change, result.Activity?.ObjectType, result.Activity?.Id, result.ApiCalls);
            }

            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", ex.GetType().Name);
            LogFailed(logger, conversation.Id, ex.GetType().Name, (ex as SalesforceApiException)?.ErrorCode);
            throw;
        }
    }

    public async IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        await foreach (var result in ExportManyAsync(ToAsync(conversations), cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    public async IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IAsyncEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var options = optionsMonitor.CurrentValue;
        var window = new Queue<Task<ConversationExportResult>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var progress = new ProgressCounter(options.OnProgress);
        await foreach (var conversation in conversations.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            window.Enqueue(ExportOneOfManyAsync(conversation, seen, progress, cancellationToken));
            if (window.Count >= options.MaxConcurrency)
            {
                yield return await window.Dequeue().ConfigureAwait(false);
            }
        }

        while (window.Count > 0)
        {
            yield return await window.Dequeue().ConfigureAwait(false);
        }
    }

    private async Task<ConversationExportResult> ExportOneOfManyAsync(Conversation? conversation, HashSet<string> seen, ProgressCounter progress, CancellationToken cancellationToken)
    {
        // Claim the id before yielding, so the first occurrence in input order is the one exported.
        var duplicate = conversation is not null && conversation.Id.Length > 0 && !Add(seen, conversation.Id);
        await Task.Yield();
        ConversationExportResult result;
        if (conversation is null)
        {
            result = ConversationExportResult.Failed(string.Empty, new ArgumentNullException(nameof(conversation), "The batch contained a null conversation."));
        }
        else if (duplicate)
        {
            result = ConversationExportResult.Skipped(conversation.Id, "The batch already contains a conversation with this Id; it was exported once.");
        }
        else
        {
            try
            {
                result = await ExportAsync(conversation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = ConversationExportResult.Failed(conversation.Id, ex);
            }
        }

        progress.Report(result.Status);
        return result;

        static bool Add(HashSet<string> set, string id)
        {
            lock (set)
            {
                return set.Add(id);
            }
        }
    }

    /// <summary>Runs every stage, reading from Salesforce but writing nothing, and returns what an export would write.</summary>
    internal async Task<ExportPreview> PreviewAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var options = optionsMonitor.CurrentValue;
        var planned = await PlanAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        return new ExportPreview(conversation.Id, planned.Skipped?.SkipReason, planned.Match, planned.Plan, planned.ReadCalls);
    }

    private async Task<ConversationExportResult> ExportCoreAsync(Conversation conversation, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        var planned = await PlanAsync(conversation, options, cancellationToken).ConfigureAwait(false);
        if (planned.Skipped is { } skipped)
        {
            return skipped;
        }

        var plan = planned.Plan!;
        var unitOfWork = new ExportUnitOfWork(client, options, logger);
        var outcome = await unitOfWork.ExecuteAsync(plan, cancellationToken).ConfigureAwait(false);
        if (plan.Owner.Strategy != planned.InitialOwnerStrategy && planned.InitialOwnerStrategy == OwnerStrategy.AgentUser && conversation.Agent?.Email is { } agentEmail)
        {
            // The agent's User was rejected (inactive or invalid): forget it so the next export looks again.
            cache.RemoveAgentUser(options.InstanceUrl?.ToString() ?? string.Empty, agentEmail.Trim().ToLowerInvariant());
        }

        return new ConversationExportResult
        {
            ConversationId = conversation.Id,
            Status = ExportStatus.Exported,
            Person = outcome.Person,
            Activity = outcome.Activity,
            Files = outcome.Files,
            OwnerId = outcome.OwnerId,
            ApiCalls = planned.ReadCalls + outcome.ApiCalls,
            Warnings = plan.Warnings,
        };
    }

    private async Task<PlannedExport> PlanAsync(Conversation conversation, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(conversation.Id))
        {
            return PlannedExport.Skip(ConversationExportResult.Skipped(string.Empty, "The conversation has no Id; give every conversation a stable Id (it is the idempotency key)."));
        }

        foreach (var filter in _filters)
        {
            var verdict = await filter.EvaluateAsync(new ExportFilterContext { Conversation = conversation, Options = options }, cancellationToken).ConfigureAwait(false);
            if (!verdict.ShouldExport)
            {
                return PlannedExport.Skip(ConversationExportResult.Skipped(conversation.Id, verdict.SkipReason!));
            }
        }

        if (IdentityReadiness.Check(conversation, options) is { } notReady)
        {
            return PlannedExport.Skip(ConversationExportResult.Skipped(conversation.Id, notReady));
        }

        var personObject = PersonFields.PersonObject(options);
        var activityObject = PersonFields.ActivityObject(options.Mode);
        var reader = new BatchedSalesforceReader(client, cache, options);

        // Read round: identity and owner reads, plus the describes the mapper needs, go out together.
        var describes = DescribedObjects(options, personObject, activityObject).Select(o => reader.DescribeAsync(o, cancellationToken).AsTask()).ToArray();
        var matchTask = identityMatcher.MatchAsync(new IdentityMatchContext { Conversation = conversation, Options = options, PersonObject = personObject, Salesforce = reader }, cancellationToken).AsTask();
        var ownerTask = ownerResolver.ResolveOwnerAsync(new OwnerResolutionContext { Conversation = conversation, Options = options, Salesforce = reader }, cancellationToken).AsTask();
        try
        {
            await reader.RunAsync([matchTask, ownerTask, .. describes], cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceApiException ex) when (ex.ErrorCode is "INVALID_FIELD" && describes.All(d => d.IsCompletedSuccessfully))
        {
            // A mapped field the org does not have made the identity query fail: report it as the configuration error it is.
            await RunStageAsync(reader, MapAsync(conversation, options, personObject, activityObject, reader, cancellationToken), cancellationToken).ConfigureAwait(false);
            throw;
        }

        var match = await matchTask.ConfigureAwait(false);
        if (match.SkipReason is { } skip)
        {
            return PlannedExport.Skip(new ConversationExportResult { ConversationId = conversation.Id, Status = ExportStatus.Skipped, SkipReason = skip, ApiCalls = reader.ApiCalls }) with { Match = match, ReadCalls = reader.ApiCalls };
        }

        var owner = await ownerTask.ConfigureAwait(false);
        if (owner.Strategy == OwnerStrategy.RecordOwner && match.IsFound && match.Fields["OwnerId"]?.GetValue<string>() is { } recordOwner)
        {
            owner = new ResolvedOwner(recordOwner, OwnerStrategy.RecordOwner) { Fallbacks = owner.Fallbacks };
        }
        else if (owner.Strategy == OwnerStrategy.RecordOwner && !match.IsFound)
        {
            // A new person has no owner to keep: the marker defers to the next strategy, whose owner the SDK then sets,
            // reports, and falls back from when Salesforce rejects it.
            var next = owner.Fallbacks.Select((fallback, index) => (Owner: fallback, Index: index)).FirstOrDefault(f => f.Owner.Strategy != OwnerStrategy.RecordOwner);
            owner = next.Owner is null ? ResolvedOwner.ConnectingUser : next.Owner with { Fallbacks = owner.Fallbacks.Skip(next.Index + 1).ToArray() };
        }

        // Stages after the read round may still read (a converted Lead's Contact, a custom stage): each runs with the
        // reader flushing what it starts, else an awaited read would never be sent.
        var fields = await RunStageAsync(reader, MapAsync(conversation, options, personObject, activityObject, reader, cancellationToken), cancellationToken).ConfigureAwait(false);
        var person = await RunStageAsync(reader, recordResolver.ResolveAsync(new RecordResolutionContext
        {
            Conversation = conversation, Options = options, PersonObject = personObject, Match = match, Fields = fields, Owner = owner, Salesforce = reader,
        }, cancellationToken), cancellationToken).ConfigureAwait(false);

        if (person.Action == RecordAction.Create && options.Mode != ExportMode.Record && !person.Fields.ContainsKey("LastName"))
        {
            return PlannedExport.Skip(new ConversationExportResult
            {
                ConversationId = conversation.Id,
                Status = ExportStatus.Skipped,
                SkipReason = $"No {person.ObjectType} matches the visitor and a new one needs a last name (visitor.lastName or visitor.name is missing); nothing was written.",
                ApiCalls = reader.ApiCalls,
            }) with { Match = match, ReadCalls = reader.ApiCalls };
        }

        WrittenTranscript? transcript = null;
        if (activityObject is not null)
        {
            var activityOwner = owner.Strategy == OwnerStrategy.RecordOwner && owner.OwnerId is null
                ? owner.Fallbacks.FirstOrDefault() ?? ResolvedOwner.ConnectingUser
                : owner;
            transcript = await RunStageAsync(reader, transcriptWriter.WriteAsync(new TranscriptWriteContext
            {
                Conversation = conversation, Options = options, ActivityObject = activityObject, PersonObject = person.ObjectType, Fields = fields, Owner = activityOwner, Salesforce = reader,
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        // Reads a custom stage started after the read round (rare) are sent now.
        await reader.FlushAsync(cancellationToken).ConfigureAwait(false);

        var plan = new ExportWritePlan
        {
            ConversationId = conversation.Id,
            Person = person,
            Activity = transcript,
            Owner = owner,
            CampaignId = options.CampaignId,
            CampaignMemberStatus = options.CampaignMemberStatus,
            CampaignMemberFields = fields.Objects.Contains(DefaultFieldMapper.CampaignMemberObject, StringComparer.OrdinalIgnoreCase) ? fields.For(DefaultFieldMapper.CampaignMemberObject) : [],
            VisitorEmail = ConversationValues.Read(conversation, "visitor.email"),
        };
        plan.Warnings.AddRange(fields.Warnings);
        return new PlannedExport(null, match, plan, reader.ApiCalls, owner.Strategy);
    }

    private ValueTask<FieldMap> MapAsync(Conversation conversation, SalesforceChatExportOptions options, string personObject, string? activityObject, BatchedSalesforceReader reader, CancellationToken cancellationToken) =>
        fieldMapper.MapAsync(new FieldMappingContext { Conversation = conversation, Options = options, PersonObject = personObject, ActivityObject = activityObject, Salesforce = reader }, cancellationToken);

    private static async Task<T> RunStageAsync<T>(BatchedSalesforceReader reader, ValueTask<T> stage, CancellationToken cancellationToken)
    {
        var task = stage.AsTask();
        await reader.RunAsync([task], cancellationToken).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private static IEnumerable<string> DescribedObjects(SalesforceChatExportOptions options, string personObject, string? activityObject)
    {
        var objects = new List<string>();
        objects.AddRange(PersonFields.SearchOrder(options));
        objects.Add(personObject);
        if (string.Equals(personObject, "Lead", StringComparison.OrdinalIgnoreCase))
        {
            // A converted Lead is followed to its Contact, which the record resolver then describes.
            objects.Add("Contact");
        }

        if (activityObject is not null)
        {
            objects.Add(activityObject);
        }

        foreach (var mapping in options.FieldMappings)
        {
            if (FieldTarget.TryParse(mapping.Target, out var o, out _))
            {
                objects.Add(o);
            }
        }

        return objects.Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static async IAsyncEnumerable<Conversation> ToAsync(IEnumerable<Conversation> conversations)
    {
        foreach (var conversation in conversations)
        {
            yield return conversation;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private sealed record PlannedExport(ConversationExportResult? Skipped, IdentityMatch? Match, ExportWritePlan? Plan, int ReadCalls, OwnerStrategy InitialOwnerStrategy)
    {
        public static PlannedExport Skip(ConversationExportResult result) => new(result, null, null, result.ApiCalls, OwnerStrategy.ConnectingUser);
    }

    private sealed class ProgressCounter(Action<ExportProgress>? callback)
    {
        private int _completed;
        private int _exported;
        private int _skipped;
        private int _failed;

        public void Report(ExportStatus status)
        {
            if (callback is null)
            {
                return;
            }

            ExportProgress snapshot;
            lock (this)
            {
                _completed++;
                switch (status)
                {
                    case ExportStatus.Exported: _exported++; break;
                    case ExportStatus.Skipped: _skipped++; break;
                    default: _failed++; break;
                }

                snapshot = new ExportProgress(_completed, _exported, _skipped, _failed);
            }

            callback(snapshot);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Conversation {ConversationId} exported: {PersonObject} {PersonId} ({PersonChange}), {ActivityObject} {ActivityId}, {ApiCalls} API calls")]
    private static partial void LogExported(ILogger logger, string conversationId, string? personObject, string? personId, RecordChange? personChange, string? activityObject, string? activityId, int apiCalls);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Conversation {ConversationId} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string conversationId, string? reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Conversation {ConversationId} failed: {ExceptionType} {ErrorCode}")]
    private static partial void LogFailed(ILogger logger, string conversationId, string exceptionType, string? errorCode);
}
