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

    public IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IEnumerable<Conversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        return ExportManyAsync(ToAsync(conversations, cancellationToken), cancellationToken);
    }

    public IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IAsyncEnumerable<Conversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var batch = new BatchExporter(this, client, identityMatcher, ownerResolver, cache, optionsMonitor.CurrentValue, logger);
        return batch.RunAsync(conversations, cancellationToken);
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
        if (await PrecheckAsync(conversation, options, cancellationToken).ConfigureAwait(false) is { } skipped)
        {
            return PlannedExport.Skip(skipped);
        }

        var reader = new BatchedSalesforceReader(client, cache, options);
        return await DecideAsync(conversation, options, reader, reader, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The checks that need no Salesforce call: a conversation id, the export filters, and enough identity.</summary>
    /// <returns>A skipped result, or <see langword="null"/> when the conversation goes on to be exported.</returns>
    internal async ValueTask<ConversationExportResult?> PrecheckAsync(Conversation conversation, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(conversation.Id))
        {
            return ConversationExportResult.Skipped(string.Empty, "The conversation has no Id; give every conversation a stable Id (it is the idempotency key).");
        }

        foreach (var filter in _filters)
        {
            var verdict = await filter.EvaluateAsync(new ExportFilterContext { Conversation = conversation, Options = options }, cancellationToken).ConfigureAwait(false);
            if (!verdict.ShouldExport)
            {
                return ConversationExportResult.Skipped(conversation.Id, verdict.SkipReason!);
            }
        }

        return IdentityReadiness.Check(conversation, options) is { } notReady ? ConversationExportResult.Skipped(conversation.Id, notReady) : null;
    }

    /// <summary>
    /// Runs the deciding stages (identity matcher and owner resolver in one read round, field mapper, record resolver,
    /// transcript writer) and returns the write plan, or a skipped result.
    /// </summary>
    /// <param name="conversation">The conversation (already prechecked).</param>
    /// <param name="options">The options in force.</param>
    /// <param name="reader">The reader the stages see (a batch passes one that answers from prefetched results).</param>
    /// <param name="rounds">The reader whose queued reads are flushed in rounds (the reads <paramref name="reader"/> cannot answer).</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    internal async Task<PlannedExport> DecideAsync(Conversation conversation, SalesforceChatExportOptions options, ISalesforceReader reader, BatchedSalesforceReader rounds, CancellationToken cancellationToken)
    {
        var personObject = PersonFields.PersonObject(options);
        var activityObject = PersonFields.ActivityObject(options.Mode);

        // Read round: identity and owner reads, plus the describes the mapper needs, go out together.
        // Only reads still in flight join the round; what finished at once (cached, prefetched) costs no task.
        var described = DescribedObjects(options, personObject, activityObject);
        if (cache.Distributed is not null)
        {
            // Another worker may have read these already: fill this process's cache first (a no-op without a distributed cache).
            var agentEmail = conversation.Agent?.Email?.Trim().ToLowerInvariant();
            await cache.WarmAsync(options.InstanceUrl?.ToString() ?? string.Empty, described, string.IsNullOrEmpty(agentEmail) ? [] : [agentEmail], options.MetadataCacheDuration, cancellationToken).ConfigureAwait(false);
        }

        var participants = new List<Task>(described.Count + 2);
        var describesPending = 0;
        foreach (var objectType in described)
        {
            var describe = reader.DescribeAsync(objectType, cancellationToken);
            if (!describe.IsCompletedSuccessfully)
            {
                participants.Add(describe.AsTask());
                describesPending++;
            }
        }

        var matching = identityMatcher.MatchAsync(new IdentityMatchContext { Conversation = conversation, Options = options, PersonObject = personObject, Salesforce = reader }, cancellationToken);
        var matchTask = matching.IsCompletedSuccessfully ? null : matching.AsTask();
        var resolving = ownerResolver.ResolveOwnerAsync(new OwnerResolutionContext { Conversation = conversation, Options = options, Salesforce = reader }, cancellationToken);
        var ownerTask = resolving.IsCompletedSuccessfully ? null : resolving.AsTask();
        if (matchTask is not null)
        {
            participants.Add(matchTask);
        }

        if (ownerTask is not null)
        {
            participants.Add(ownerTask);
        }

        try
        {
            await rounds.RunAsync(participants, cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceApiException ex) when (ex.ErrorCode is "INVALID_FIELD" && participants.Take(describesPending).All(d => d.IsCompletedSuccessfully))
        {
            // A mapped field the org does not have made the identity query fail: report it as the configuration error it is.
            await RunStageAsync(rounds, MapAsync(conversation, options, personObject, activityObject, reader, cancellationToken), cancellationToken).ConfigureAwait(false);
            throw;
        }

        var match = matchTask is null ? matching.Result : await matchTask.ConfigureAwait(false);
        if (match.SkipReason is { } skip)
        {
            return PlannedExport.Skip(new ConversationExportResult { ConversationId = conversation.Id, Status = ExportStatus.Skipped, SkipReason = skip, ApiCalls = rounds.ApiCalls }) with { Match = match, ReadCalls = rounds.ApiCalls };
        }

        var owner = ownerTask is null ? resolving.Result : await ownerTask.ConfigureAwait(false);
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
        var fields = await RunStageAsync(rounds, MapAsync(conversation, options, personObject, activityObject, reader, cancellationToken), cancellationToken).ConfigureAwait(false);
        var person = await RunStageAsync(rounds, recordResolver.ResolveAsync(new RecordResolutionContext
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
                ApiCalls = rounds.ApiCalls,
            }) with { Match = match, ReadCalls = rounds.ApiCalls };
        }

        WrittenTranscript? transcript = null;
        if (activityObject is not null)
        {
            var activityOwner = owner.Strategy == OwnerStrategy.RecordOwner && owner.OwnerId is null
                ? owner.Fallbacks.FirstOrDefault() ?? ResolvedOwner.ConnectingUser
                : owner;
            transcript = await RunStageAsync(rounds, transcriptWriter.WriteAsync(new TranscriptWriteContext
            {
                Conversation = conversation, Options = options, ActivityObject = activityObject, PersonObject = person.ObjectType, Fields = fields, Owner = activityOwner, Salesforce = reader,
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        // Reads a custom stage started after the read round (rare) are sent now.
        await rounds.FlushAsync(cancellationToken).ConfigureAwait(false);

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
        return new PlannedExport(null, match, plan, rounds.ApiCalls, owner.Strategy);
    }

    private ValueTask<FieldMap> MapAsync(Conversation conversation, SalesforceChatExportOptions options, string personObject, string? activityObject, ISalesforceReader reader, CancellationToken cancellationToken) =>
        fieldMapper.MapAsync(new FieldMappingContext { Conversation = conversation, Options = options, PersonObject = personObject, ActivityObject = activityObject, Salesforce = reader }, cancellationToken);

    private static async ValueTask<T> RunStageAsync<T>(BatchedSalesforceReader reader, ValueTask<T> stage, CancellationToken cancellationToken)
    {
        if (stage.IsCompletedSuccessfully)
        {
            // Finished without waiting for a read (describes cached, answers prefetched): nothing to flush.
            return stage.Result;
        }

        var task = stage.AsTask();
        await reader.RunAsync([task], cancellationToken).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    internal static List<string> DescribedObjects(SalesforceChatExportOptions options, string personObject, string? activityObject)
    {
        var objects = new List<string>(4 + options.FieldMappings.Count);
        foreach (var o in PersonFields.SearchOrder(options))
        {
            PersonFields.AddDistinct(objects, o);
        }

        PersonFields.AddDistinct(objects, personObject);
        if (string.Equals(personObject, "Lead", StringComparison.OrdinalIgnoreCase))
        {
            // A converted Lead is followed to its Contact, which the record resolver then describes.
            PersonFields.AddDistinct(objects, "Contact");
        }

        if (activityObject is not null)
        {
            PersonFields.AddDistinct(objects, activityObject);
        }

        foreach (var mapping in options.FieldMappings)
        {
            if (FieldTarget.TryParse(mapping.Target, out var o, out _))
            {
                PersonFields.AddDistinct(objects, o);
            }
        }

        return objects;
    }

    private static async IAsyncEnumerable<Conversation> ToAsync(IEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var conversation in conversations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return conversation;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    internal sealed record PlannedExport(ConversationExportResult? Skipped, IdentityMatch? Match, ExportWritePlan? Plan, int ReadCalls, OwnerStrategy InitialOwnerStrategy)
    {
        public static PlannedExport Skip(ConversationExportResult result) => new(result, null, null, result.ApiCalls, OwnerStrategy.ConnectingUser);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Conversation {ConversationId} exported: {PersonObject} {PersonId} ({PersonChange}), {ActivityObject} {ActivityId}, {ApiCalls} API calls")]
    private static partial void LogExported(ILogger logger, string conversationId, string? personObject, string? personId, RecordChange? personChange, string? activityObject, string? activityId, int apiCalls);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Conversation {ConversationId} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string conversationId, string? reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Conversation {ConversationId} failed: {ExceptionType} {ErrorCode}")]
    internal static partial void LogFailed(ILogger logger, string conversationId, string exceptionType, string? errorCode);
}
