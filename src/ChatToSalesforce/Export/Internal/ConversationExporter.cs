using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Filtering;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Ownership.Internal;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Tenancy.Internal;
using ChatToSalesforce.Transcripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// The exporter facade. A single export is a chunk of one; a batch is a stream of chunks. Every chunk runs the same
/// steps: filters → the deciding stages of all its conversations, whose reads share rounds of one <see cref="ChunkReader"/>
/// → one unit of writes per conversation through the <see cref="WriteEngine"/>.
/// </summary>
/// <remarks>
/// <para>Chunks run concurrently up to <see cref="SalesforceChatExportOptions.MaxConcurrency"/>; every Salesforce request
/// of every export in the process (single or batch) takes a slot of one gate of that size.</para>
/// <para>Two exports that create the same new person (same object and email) at the same time produce one person: the
/// later one waits for the earlier one's write and links to the person it created.</para>
/// </remarks>
internal sealed partial class ConversationExporter : IConversationExporter, IExportPreviewer
{
    /// <summary>Conversations per chunk of a batch export.</summary>
    internal const int ChunkSize = 200;

    /// <summary>Conversation ids a batch remembers to skip repeats (bounded, so memory stays flat on long streams).</summary>
    internal const int RememberedIds = 10_000;

    private const string DuplicateReason = "The batch already contains a conversation with this Id; it was exported once.";

    private readonly IExportFilter[] _filters;
    private readonly IIdentityMatcher _identityMatcher;
    private readonly IOwnerResolver _ownerResolver;
    private readonly IFieldMapper _fieldMapper;
    private readonly IRecordResolver _recordResolver;
    private readonly ITranscriptWriter _transcriptWriter;
    private readonly TenantRegistry _tenants;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, Task<string?>> _creatingPersons = new(StringComparer.OrdinalIgnoreCase);
    private readonly CreatedPersons _createdPersons;

    public ConversationExporter(
        IEnumerable<IExportFilter> filters,
        IIdentityMatcher identityMatcher,
        IOwnerResolver ownerResolver,
        IFieldMapper fieldMapper,
        IRecordResolver recordResolver,
        ITranscriptWriter transcriptWriter,
        TenantRegistry tenants,
        ILogger<ConversationExporter> logger,
        TimeProvider? timeProvider = null)
    {
        _filters = filters.ToArray();
        _identityMatcher = identityMatcher;
        _ownerResolver = ownerResolver;
        _fieldMapper = fieldMapper;
        _recordResolver = recordResolver;
        _transcriptWriter = transcriptWriter;
        _tenants = tenants;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _createdPersons = new CreatedPersons(RememberedIds, _timeProvider);

        // Reading the options here validates them when the exporter is first resolved, not on the first export.
        _ = tenants.Default;
    }

    internal static ActivitySource ActivitySource => ChatToSalesforce.Telemetry.Internal.ChatToSalesforceDiagnostics.ActivitySource;

    public Task<ConversationExportResult> ExportAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return ExportOneAsync(conversation, null, cancellationToken);
    }

    public Task<ConversationExportResult> ExportAsync(Conversation conversation, ConversationExportChoices choices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(choices);
        ExportModes.Validate(choices);
        return ExportOneAsync(conversation, choices, cancellationToken);
    }

    private async Task<ConversationExportResult> ExportOneAsync(Conversation conversation, ConversationExportChoices? choices, CancellationToken cancellationToken)
    {
        // A push is an agent's click: interactive work, like the lookup and the bot actions.
        using var priority = SalesforceApiPriority.Default(choices is null ? ApiWorkPriority.Live : ApiWorkPriority.Interactive);
        var tenant = await _tenants.GetAsync(conversation.TenantId, cancellationToken).ConfigureAwait(false);
        var options = choices is null ? tenant.Options : ExportModes.With(tenant.Options, choices);
        using var activity = ActivitySource.StartActivity("ChatToSalesforce.Export");
        activity?.SetTag("chat_to_salesforce.mode", options.Mode.ToString());
        var results = await ExportChunkAsync([new ExportItem(0, conversation)], tenant, options, cancellationToken).ConfigureAwait(false);
        var result = results[0];
        activity?.SetTag("chat_to_salesforce.outcome", result.Status.ToString());
        activity?.SetTag("chat_to_salesforce.api_calls", result.ApiCalls);
        if (result.Error is { } error)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", (error as SalesforceApiException)?.ErrorCode ?? error.GetType().Name);
            ExceptionDispatchInfo.Throw(error);
        }

        return result;
    }

    public IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IEnumerable<Conversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        return ExportManyAsync(ToAsync(conversations, cancellationToken), cancellationToken);
    }

    public IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IAsyncEnumerable<Conversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        return RunChunksAsync(conversations, _tenants.Default.Options, SalesforceApiPriority.Current ?? ApiWorkPriority.Backfill, cancellationToken);
    }

    /// <summary>Runs every stage of a chunk, reading from Salesforce but writing nothing.</summary>
    public async IAsyncEnumerable<ExportPreview> PreviewManyAsync(IEnumerable<Conversation> conversations, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        foreach (var slice in conversations.Chunk(ChunkSize))
        {
            var items = slice.Select((c, i) => new ExportItem(i, c)).ToList();
            var readCalls = new int[items.Count];
            foreach (var group in items.GroupBy(i => i.Conversation?.TenantId ?? TenantContext.DefaultId))
            {
                var members = group.ToList();
                try
                {
                    var tenant = await _tenants.GetAsync(group.Key, cancellationToken).ConfigureAwait(false);
                    readCalls[members[0].Index] = await DecideChunkAsync(members, tenant, tenant.Options, cancellationToken).ConfigureAwait(false);
                }
                catch (ChatToSalesforceException ex)
                {
                    members.ForEach(m => m.Error ??= ex);
                }
            }

            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                yield return new ExportPreview(item.ConversationId, item.Result?.SkipReason, item.Error, item.Match, item.Plan, readCalls[i]);
            }
        }
    }

    private async Task<ConversationExportResult[]> ExportChunkAsync(List<ExportItem> items, TenantContext tenant, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        using var activity = items.Count > 1 ? ActivitySource.StartActivity("ChatToSalesforce.ExportBatch") : null;
        activity?.SetTag("chat_to_salesforce.batch_size", items.Count);
        var readCalls = await DecideChunkAsync(items, tenant, options, cancellationToken).ConfigureAwait(false);
        // The chunk's transcripts are held as UTF-8 in one block until its writes are answered (see Utf8FieldText).
        SalesforceFieldValues.CompactLongText(
            items.Where(i => i.Plan is not null).SelectMany(i => i.Plan!.Activity is { } activity ? [i.Plan.Person.Fields, activity.Fields] : new[] { i.Plan.Person.Fields }),
            LongTextLength);
        var engine = new WriteEngine(tenant.Client, tenant.Cache, tenant.OrgKey, options, _timeProvider, _logger);
        var owned = JoinNewPersons(items, tenant, options);
        try
        {
            // Conversations that create a new person go first; those that join a person another export is creating
            // wait for it, then link to it.
            await engine.WriteAsync(items.Where(i => i.IsWritable && i.JoinedPerson is null).ToList(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (key, source, item) in owned)
            {
                var created = item.Error is null && item.Person?.Change == RecordChange.Created ? item.Person.Id : null;
                if (created is not null)
                {
                    // Remembered before the in-flight entry goes, so an export that read before this create sees one or the other.
                    _createdPersons.Add(key, created);
                }

                _creatingPersons.TryRemove(new KeyValuePair<string, Task<string?>>(key, source.Task));
                if (created is null && item.Error is { } error && error is not SalesforceApiException { IsTransient: false })
                {
                    // The write's outcome is unknown (its answer was lost, or it may be resent later): the person may exist,
                    // so the conversations waiting for it must not create another one.
                    source.TrySetException(error);
                    _ = source.Task.Exception; // observed here: there may be no conversation waiting for it
                }
                else
                {
                    source.TrySetResult(created);
                }
            }
        }

        var joiners = items.Where(i => i.IsWritable && i.JoinedPerson is not null).ToList();
        foreach (var joiner in joiners)
        {
            try
            {
                if (await joiner.JoinedPerson!.WaitAsync(cancellationToken).ConfigureAwait(false) is { } personId)
                {
                    UseCreatedPerson(joiner.Plan!, personId);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                joiner.Error = new SalesforceApiException(
                    System.Net.HttpStatusCode.ServiceUnavailable,
                    (ex as SalesforceApiException)?.ErrorCode,
                    "Another export was creating this conversation's new person and its outcome is unknown; no second person was created. Export the conversation again: the next export finds the person.",
                    isTransient: true,
                    innerException: ex);
            }
        }

        if (joiners.Count > 0)
        {
            await engine.WriteAsync(joiners, cancellationToken).ConfigureAwait(false);
        }

        foreach (var item in items.Where(i => i.Error is not null))
        {
            item.Error = ForTenant(item.Error!, tenant);
        }

        var results = Results(items, readCalls + engine.ApiCalls);
        ChatToSalesforce.Telemetry.Internal.ChatToSalesforceDiagnostics.RecordExports(items, results);
        Log(results);
        return results;
    }

    /// <summary>Registers the new persons this chunk creates; marks conversations whose new person another export is creating.</summary>
    private List<(string Key, TaskCompletionSource<string?> Source, ExportItem Item)> JoinNewPersons(List<ExportItem> items, TenantContext tenant, SalesforceChatExportOptions options)
    {
        var owned = new List<(string, TaskCompletionSource<string?>, ExportItem)>();
        if (options.Mode == ExportMode.Record)
        {
            return owned;
        }

        foreach (var item in items.Where(i => i.IsWritable && i.Plan!.Person.Action == RecordAction.Create && i.Plan.VisitorEmail is not null))
        {
            var plan = item.Plan!;
            var key = tenant.OrgKey + "|" + plan.Person.ObjectType + "|" + plan.VisitorEmail!.Trim().ToLowerInvariant();
            if (_createdPersons.TryGet(key, out var createdId))
            {
                // Another export created this person after this one read: link to it instead of creating a second one.
                UseCreatedPerson(plan, createdId);
                continue;
            }

            var source = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_creatingPersons.TryAdd(key, source.Task))
            {
                if (_createdPersons.TryGet(key, out createdId))
                {
                    // Created between the two looks above: step back.
                    _creatingPersons.TryRemove(new KeyValuePair<string, Task<string?>>(key, source.Task));
                    source.TrySetResult(createdId);
                    UseCreatedPerson(plan, createdId);
                    continue;
                }

                owned.Add((key, source, item));
            }
            else if (_creatingPersons.TryGetValue(key, out var other))
            {
                item.JoinedPerson = other;
            }
        }

        return owned;
    }

    private static void UseCreatedPerson(ExportWritePlan plan, string personId)
    {
        plan.Person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = plan.Person.ObjectType, Id = personId };
    }

    /// <summary>Text values at least this long are held as UTF-8 while a chunk's writes are in flight (transcripts, not names).</summary>
    private const int LongTextLength = 1024;

    /// <summary>Prechecks, then runs the deciding stages of every conversation of the chunk on one reader; returns the read calls.</summary>
    private async Task<int> DecideChunkAsync(List<ExportItem> items, TenantContext tenant, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        var candidates = new List<ExportItem>(items.Count);
        foreach (var item in items.Where(i => i.Result is null))
        {
            try
            {
                item.Result = await PrecheckAsync(item.Conversation!, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                item.Error = ex;
            }

            if (item.Result is null && item.Error is null)
            {
                candidates.Add(item);
            }
        }

        if (candidates.Count == 0)
        {
            return 0;
        }

        var org = tenant.OrgKey;
        var cache = tenant.Cache;
        var reader = new ChunkReader(tenant.Client, cache, org, options.MetadataCacheDuration);
        if (cache.Distributed is not null)
        {
            // Another worker may have read these already: fill this process's cache first.
            var personObject = PersonFields.PersonObject(options);
            var agents = candidates.Select(c => c.Conversation!.Agent?.Email?.Trim().ToLowerInvariant()).Where(e => !string.IsNullOrEmpty(e)).Distinct().ToArray();
            await cache.WarmAsync(org, ExportObjects.Described(options, personObject, PersonFields.ActivityObject(options.Mode)), agents!, options.MetadataCacheDuration, cancellationToken).ConfigureAwait(false);
        }

        var decisions = candidates.Select(c => DecideAsync(c, options, reader, cancellationToken)).ToArray();
        await reader.RunAsync(decisions, cancellationToken).ConfigureAwait(false);
        return reader.ApiCalls;
    }

    /// <summary>The checks that need no Salesforce call: a conversation id, the export filters, and enough identity.</summary>
    private async ValueTask<ConversationExportResult?> PrecheckAsync(Conversation conversation, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(conversation.Id))
        {
            return ConversationExportResult.Skipped(string.Empty, "The conversation has no Id; give every conversation a stable Id (it is the idempotency key).");
        }

        foreach (var filter in _filters)
        {
            var verdict = await filter.EvaluateAsync(new ExportFilterContext { Conversation = conversation, Options = options, TenantId = conversation.TenantId }, cancellationToken).ConfigureAwait(false);
            if (!verdict.ShouldExport)
            {
                return ConversationExportResult.Skipped(conversation.Id, verdict.SkipReason!);
            }
        }

        return IdentityReadiness.Check(conversation, options) is { } notReady ? ConversationExportResult.Skipped(conversation.Id, notReady) : null;
    }

    /// <summary>
    /// Runs the deciding stages of one conversation (identity matcher, owner resolver, the earlier activity and the
    /// describes in one read round; then field mapper, record resolver, transcript writer). Never throws: the outcome is
    /// stored on the item.
    /// </summary>
    private async Task DecideAsync(ExportItem item, SalesforceChatExportOptions options, ChunkReader reader, CancellationToken cancellationToken)
    {
        try
        {
            await DecideCoreAsync(item, options, reader, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            item.Error = ex;
        }
    }

    /// <param name="item">The conversation.</param>
    /// <param name="options">The options in force (the tenant's, or derived from per-call choices).</param>
    /// <param name="reader">The chunk's reader.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <param name="followed">
    /// When the export re-decides in the mode of an earlier export's activity: that activity, and the owner already being
    /// resolved (a mode does not change the owner chain).
    /// </param>
    private async Task DecideCoreAsync(ExportItem item, SalesforceChatExportOptions options, ISalesforceReader reader, CancellationToken cancellationToken, (EarlierActivity Activity, Task<ResolvedOwner> Owner)? followed = null)
    {
        var conversation = ChatToSalesforce.Redaction.Internal.ConversationRedactor.Redact(item.Conversation!, options);
        var personObject = PersonFields.PersonObject(options);
        var activityObject = PersonFields.ActivityObject(options.Mode);
        var key = ActivityMarker.Key(conversation, options);

        // One read round: describes, identity, owner and the activity an earlier export wrote, all started before any await.
        var describes = ExportObjects.Described(options, personObject, activityObject).Select(o => reader.DescribeAsync(o, cancellationToken).AsTask()).ToArray();
        var matching = followed?.Activity is { PersonId: { } followedId, PersonObject: { } followedObject }
            ? Task.FromResult(IdentityMatch.Found(followedObject, followedId))
            : _identityMatcher.MatchAsync(new IdentityMatchContext { Conversation = conversation, Options = options, TenantId = conversation.TenantId, PersonObject = personObject, Salesforce = reader }, cancellationToken).AsTask();
        var resolving = followed?.Owner ?? _ownerResolver.ResolveOwnerAsync(new OwnerResolutionContext { Conversation = conversation, Options = options, TenantId = conversation.TenantId, Salesforce = reader }, cancellationToken).AsTask();
        var earlier = followed is { } f ? Task.FromResult<EarlierActivity?>(f.Activity)
            : activityObject is null ? null
            : EarlierActivity.Find(reader, conversation, key, options, activityObject, cancellationToken);

        IdentityMatch match;
        try
        {
            await Task.WhenAll(describes).ConfigureAwait(false);
            match = await matching.ConfigureAwait(false);
        }
        catch (SalesforceApiException ex) when (ex.ErrorCode is "INVALID_FIELD" && describes.All(d => d.IsCompletedSuccessfully))
        {
            // A mapped field the org does not have made the identity query fail: report it as the configuration error it is.
            await MapAsync(conversation, options, personObject, activityObject, reader, cancellationToken).ConfigureAwait(false);
            throw;
        }

        var found = earlier is null ? null : await earlier.ConfigureAwait(false);
        if (found is not null && followed is null)
        {
            // An earlier export of this conversation (a push with other choices) wrote its activity in another object, or
            // for a person of another object: this export updates that activity and keeps its person, in that mode.
            var mode = ExportModes.Of(found.PersonObject ?? personObject, found.ObjectType);
            if (mode != options.Mode)
            {
                await DecideCoreAsync(item, ExportModes.WithMode(options, mode), reader, cancellationToken, (found, resolving)).ConfigureAwait(false);
                return;
            }

            if (found is { PersonId: { } personId, PersonObject: { } linked }
                && (!match.IsFound || (string.Equals(match.ObjectType, linked, StringComparison.OrdinalIgnoreCase) && match.Id != personId)))
            {
                // The activity names its person: keep that one rather than match or create another.
                match = IdentityMatch.Found(linked, personId);
            }
        }

        item.Match = match;
        if (match.SkipReason is { } skip)
        {
            item.Result = ConversationExportResult.Skipped(conversation.Id, skip);
            return;
        }

        var owner = await resolving.ConfigureAwait(false);
        owner = OwnerChain.ForPerson(owner, match);

        var fields = await MapAsync(conversation, options, personObject, activityObject, reader, cancellationToken).ConfigureAwait(false);
        var person = await _recordResolver.ResolveAsync(new RecordResolutionContext
        {
            Conversation = conversation, Options = options, TenantId = conversation.TenantId, PersonObject = personObject, Match = match, Fields = fields, Owner = owner, Salesforce = reader,
        }, cancellationToken).ConfigureAwait(false);

        if (person.Action == RecordAction.Skip)
        {
            // The record resolver decided to write nothing (the default one: a new Contact or Lead without a last name).
            item.Result = ConversationExportResult.Skipped(conversation.Id, person.SkipReason ?? $"The record resolver skipped the {person.ObjectType}; nothing was written.");
            return;
        }

        TranscriptActivity? transcript = null;
        if (activityObject is not null)
        {
            var activityOwner = OwnerChain.ForActivity(owner);
            transcript = await _transcriptWriter.WriteAsync(new TranscriptWriteContext
            {
                Conversation = conversation, Options = options, TenantId = conversation.TenantId, ActivityObject = activityObject, PersonObject = person.ObjectType, Fields = fields, Owner = activityOwner, Salesforce = reader,
                ActivityKey = key.Value,
            }, cancellationToken).ConfigureAwait(false);
        }

        var plan = new ExportWritePlan
        {
            ConversationId = conversation.Id,
            ActivityKey = key,
            Person = person,
            Activity = transcript,
            Owner = owner,
            CampaignId = options.CampaignId,
            CampaignMemberStatus = options.CampaignMemberStatus,
            CampaignMemberFields = fields.Objects.Contains(DefaultFieldMapper.CampaignMemberObject, StringComparer.OrdinalIgnoreCase) ? fields.For(DefaultFieldMapper.CampaignMemberObject) : [],
            VisitorEmail = ConversationValues.Read(conversation, "visitor.email"),
        };
        plan.Warnings.AddRange(fields.Warnings);

        if (found is not null && transcript is not null && string.Equals(found.ObjectType, transcript.ObjectType, StringComparison.OrdinalIgnoreCase))
        {
            // An earlier export of this conversation wrote the activity: update it, and add only the files it lacks.
            plan.ExistingActivityId = found.ActivityId;
            if (transcript.Files.Count > 0)
            {
                var attached = await reader.LookupAsync(new SalesforceLookup { ObjectType = "ContentVersion", Field = "FirstPublishLocationId", Value = found.ActivityId, Fields = ["Id", "PathOnClient"] }, cancellationToken).ConfigureAwait(false);
                foreach (var file in attached)
                {
                    if (file.GetString("PathOnClient") is { } name)
                    {
                        plan.ExistingFiles.Add(name);
                    }
                }
            }
        }

        item.Plan = plan;
    }

    private ValueTask<FieldMap> MapAsync(Conversation conversation, SalesforceChatExportOptions options, string personObject, string? activityObject, ISalesforceReader reader, CancellationToken cancellationToken) =>
        _fieldMapper.MapAsync(new FieldMappingContext { Conversation = conversation, Options = options, TenantId = conversation.TenantId, PersonObject = personObject, ActivityObject = activityObject, Salesforce = reader }, cancellationToken);
}
