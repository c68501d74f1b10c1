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

    private async Task<ConversationExportResult> ExportCoreAsync(Conversation conversation, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        if (await PrecheckAsync(conversation, options, cancellationToken).ConfigureAwait(false) is { } skipped)
        {
            return skipped;
        }

        var reader = new BatchedSalesforceReader(client, cache, options);
        var decision = await DecideAsync(conversation, options, reader, reader, cancellationToken).ConfigureAwait(false);
        if (decision.Plan is not { } plan)
        {
            return decision.Skipped!;
        }

        var unitOfWork = new ExportUnitOfWork(client, options, logger);
        var outcome = await unitOfWork.ExecuteAsync(plan, cancellationToken).ConfigureAwait(false);
        if (plan.Owner.Strategy != decision.Owner.Strategy && decision.Owner.Strategy == OwnerStrategy.AgentUser && conversation.Agent?.Email is { } agentEmail)
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
            ApiCalls = reader.ApiCalls + outcome.ApiCalls,
            Warnings = plan.Warnings,
        };
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

        if (IdentityReadiness.Check(conversation, options) is { } notReady)
        {
            return ConversationExportResult.Skipped(conversation.Id, notReady);
        }

        return null;
    }

    /// <summary>
    /// Runs the deciding stages (identity matcher and owner resolver in one read round, field mapper, record resolver,
    /// transcript writer) and returns the write plan, or a skipped result.
    /// </summary>
    /// <param name="conversation">The conversation (already prechecked).</param>
    /// <param name="options">The options in force.</param>
    /// <param name="stageReader">The reader the stages see (a batch passes one that answers from prefetched results).</param>
    /// <param name="rounds">The reader whose queued reads are flushed in rounds (reads <paramref name="stageReader"/> cannot answer).</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    internal async Task<ExportDecision> DecideAsync(Conversation conversation, SalesforceChatExportOptions options, ISalesforceReader stageReader, BatchedSalesforceReader rounds, CancellationToken cancellationToken)
    {
        var personObject = PersonFields.PersonObject(options);
        var activityObject = PersonFields.ActivityObject(options.Mode);

        // Read round: identity and owner reads, plus the describes the mapper needs, go out together.
        var describes = DescribedObjects(options, personObject, activityObject).Select(o => stageReader.DescribeAsync(o, cancellationToken).AsTask()).ToArray();
        var matchTask = identityMatcher.MatchAsync(new IdentityMatchContext { Conversation = conversation, Options = options, PersonObject = personObject, Salesforce = stageReader }, cancellationToken).AsTask();
        var ownerTask = ownerResolver.ResolveOwnerAsync(new OwnerResolutionContext { Conversation = conversation, Options = options, Salesforce = stageReader }, cancellationToken).AsTask();
        try
        {
            await rounds.RunAsync([matchTask, ownerTask, .. describes], cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceApiException ex) when (ex.ErrorCode is "INVALID_FIELD" && describes.All(d => d.IsCompletedSuccessfully))
        {
            // A mapped field the org does not have made the identity query fail: report it as the configuration error it is.
            await MapAsync(conversation, options, personObject, activityObject, stageReader, cancellationToken).ConfigureAwait(false);
            throw;
        }

        var match = await matchTask.ConfigureAwait(false);
        var owner = await ownerTask.ConfigureAwait(false);
        if (match.SkipReason is { } skip)
        {
            return new ExportDecision(new ConversationExportResult { ConversationId = conversation.Id, Status = ExportStatus.Skipped, SkipReason = skip, ApiCalls = rounds.ApiCalls }, null, owner);
        }

        var resolvedOwner = owner;
        if (owner.Strategy == OwnerStrategy.RecordOwner && match.IsFound && match.Fields["OwnerId"]?.GetValue<string>() is { } recordOwner)
        {
            owner = new ResolvedOwner(recordOwner, OwnerStrategy.RecordOwner) { Fallbacks = owner.Fallbacks };
        }

        var fields = await MapAsync(conversation, options, personObject, activityObject, stageReader, cancellationToken).ConfigureAwait(false);
        var person = await recordResolver.ResolveAsync(new RecordResolutionContext
        {
            Conversation = conversation, Options = options, PersonObject = personObject, Match = match, Fields = fields, Owner = owner, Salesforce = stageReader,
        }, cancellationToken).ConfigureAwait(false);

        WrittenTranscript? transcript = null;
        if (activityObject is not null)
        {
            var activityOwner = owner.Strategy == OwnerStrategy.RecordOwner && owner.OwnerId is null
                ? owner.Fallbacks.FirstOrDefault() ?? ResolvedOwner.ConnectingUser
                : owner;
            transcript = await transcriptWriter.WriteAsync(new TranscriptWriteContext
            {
                Conversation = conversation, Options = options, ActivityObject = activityObject, PersonObject = person.ObjectType, Fields = fields, Owner = activityOwner, Salesforce = stageReader,
            }, cancellationToken).ConfigureAwait(false);
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
        return new ExportDecision(null, plan, resolvedOwner);
    }

    private ValueTask<FieldMap> MapAsync(Conversation conversation, SalesforceChatExportOptions options, string personObject, string? activityObject, ISalesforceReader reader, CancellationToken cancellationToken) =>
        fieldMapper.MapAsync(new FieldMappingContext { Conversation = conversation, Options = options, PersonObject = personObject, ActivityObject = activityObject, Salesforce = reader }, cancellationToken);

    internal static IEnumerable<string> DescribedObjects(SalesforceChatExportOptions options, string personObject, string? activityObject)
    {
        var objects = new List<string>();
        objects.AddRange(PersonFields.SearchOrder(options));
        objects.Add(personObject);
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

    private static async IAsyncEnumerable<Conversation> ToAsync(IEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var conversation in conversations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return conversation;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Conversation {ConversationId} exported: {PersonObject} {PersonId} ({PersonChange}), {ActivityObject} {ActivityId}, {ApiCalls} API calls")]
    private static partial void LogExported(ILogger logger, string conversationId, string? personObject, string? personId, RecordChange? personChange, string? activityObject, string? activityId, int apiCalls);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Conversation {ConversationId} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string conversationId, string? reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Conversation {ConversationId} failed: {ExceptionType} {ErrorCode}")]
    internal static partial void LogFailed(ILogger logger, string conversationId, string exceptionType, string? errorCode);
}
