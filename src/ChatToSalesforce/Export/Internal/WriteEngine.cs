using System.Net;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Ownership.Internal;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// The one write engine: sends each conversation's unit of writes (all or nothing), applies the recovery rules, and
/// resends only what Salesforce provably did not commit. Single and batch exports both write through it.
/// </summary>
/// <remarks>
/// <para>Every recovery rule lives here, once (<see cref="Recover"/>): <c>DUPLICATES_DETECTED</c> on the person means
/// "this person exists" (its id is used; an update it rejects leaves the person as it was); an owner Salesforce rejects
/// as inactive or invalid is replaced by the next fallback owner (and a rejected agent User is forgotten); an existing
/// campaign membership is success; a unit rolled back on a transient error (<c>UNABLE_TO_LOCK_ROW</c>,
/// <c>SERVER_UNAVAILABLE</c>, ...) is resent after a jittered backoff; a unit Salesforce did not process (halted, or rolled
/// back with another unit of its graph) is resent at once.</para>
/// <para>A request whose outcome is unknown (the connection was lost or timed out after sending) is never resent: its
/// conversations fail with a transient error, and the next export of each looks before it creates (the person by its
/// identity, the activity by <see cref="ActivityMarker"/>), so nothing is written twice. When the units took several
/// requests, only those of the request that failed are in doubt; the others keep the results Salesforce answered.</para>
/// </remarks>
internal sealed partial class WriteEngine(ISalesforceClient client, OrgMetadataCache cache, string org, SalesforceChatExportOptions options, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Error codes of a unit Salesforce rolled back for a reason that may pass: resending it is safe.</summary>
    internal static readonly string[] RolledBackTransient = ["UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "REQUEST_RUNNING_TOO_LONG", "QUERY_TIMEOUT", "TXN_SECURITY_NO_ACCESS_RETRY"];

    private const int MaxRecoveries = 6;

    private int _apiCalls;

    /// <summary>Gets the API calls the writes spent.</summary>
    public int ApiCalls => Volatile.Read(ref _apiCalls);

    public async Task WriteAsync(IReadOnlyList<ExportItem> items, CancellationToken cancellationToken)
    {
        var pending = items.Where(i => i.IsWritable).ToList();
        var recoveries = new Dictionary<ExportItem, int>();
        var transientAttempts = 0;
        while (pending.Count > 0)
        {
            var units = pending.Select(i => WritePlanner.Build(i, options)).ToList();
            var empty = pending.Where((item, k) => units[k].Operations.Count == 0).ToList();
            foreach (var item in empty)
            {
                Complete(item, new SalesforceWriteResult(true, []));
            }

            var sendable = pending.Where((item, k) => units[k].Operations.Count > 0).ToList();
            units = units.Where(u => u.Operations.Count > 0).ToList();
            if (units.Count == 0)
            {
                break;
            }

            IReadOnlyList<SalesforceWriteResult?> results;
            Exception? failure = null;
            try
            {
                var batch = await client.WriteAsync(units, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _apiCalls, batch.ApiCalls);
                results = batch.Units;
            }
            catch (IncompleteWriteException ex)
            {
                // One request of several failed: the units of the others have their results, only its own are in doubt.
                Interlocked.Add(ref _apiCalls, ex.ApiCalls);
                results = ex.Written;
                failure = ex.InnerException!;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results = [];
                failure = ex;
            }

            var next = new List<ExportItem>();
            var backoff = 0;
            var duplicates = new List<ExportItem>();
            var unanswered = new List<ExportItem>();
            for (var k = 0; k < sendable.Count; k++)
            {
                var item = sendable[k];
                var result = k < results.Count ? results[k] : failure is null ? new SalesforceWriteResult(false, []) : null;
                if (result is null)
                {
                    unanswered.Add(item);
                    continue;
                }

                if (result.Success)
                {
                    Complete(item, result);
                    continue;
                }

                recoveries.TryGetValue(item, out var count);
                recoveries[item] = count + 1;
                var verdict = count >= MaxRecoveries ? Verdict.Fail : Recover(item, result, duplicates);
                switch (verdict)
                {
                    case Verdict.Resend:
                        next.Add(item);
                        break;
                    case Verdict.ResendLater when count < options.Resilience.MaxRetryAttempts:
                        next.Add(item);
                        backoff = Math.Max(backoff, count + 1);
                        break;
                    default:
                        item.Error = Failure(item, result);
                        break;
                }
            }

            if (unanswered.Count > 0)
            {
                if (failure is SalesforceApiException api && IsNotProcessed(api) && transientAttempts < options.Resilience.MaxRetryAttempts)
                {
                    // Usually Salesforce answered before processing anything, but a 503 or 429 can also come from its edge after
                    // the commit. Each unit is all or nothing, so a unit whose new activity is not there was not applied: only
                    // those are sent again; the others fail as retry-later and the next export finds and updates what they wrote.
                    transientAttempts++;
                    var possiblyApplied = await FindPossiblyAppliedAsync(unanswered, cancellationToken).ConfigureAwait(false);
                    foreach (var item in possiblyApplied)
                    {
                        item.Error = new SalesforceApiException(api.StatusCode, api.ErrorCode, "Salesforce answered that it was unavailable, but may have applied the write before it did; it was not sent again. Exporting the conversation again finds and updates what was written.", api.Fields, isTransient: true, innerException: api);
                    }

                    next.AddRange(unanswered.Except(possiblyApplied));
                    backoff = Math.Max(backoff, transientAttempts);
                }
                else
                {
                    foreach (var item in unanswered)
                    {
                        item.Error = failure;
                    }
                }
            }

            if (duplicates.Count > 0)
            {
                await FindDuplicatesAsync(duplicates, cancellationToken).ConfigureAwait(false);

                // A duplicate no look-up could name has failed: sending the same create again cannot succeed.
                next.RemoveAll(i => i.Error is not null);
            }

            if (backoff > 0)
            {
                await DelayAsync(backoff, cancellationToken).ConfigureAwait(false);
            }

            pending = next;
        }

        foreach (var item in items.Where(i => i.Error is null && i.Activity is not null && i.DeferredFiles.Count > 0))
        {
            await UploadDeferredAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The recovery rules, each in one place.</summary>
    private Verdict Recover(ExportItem item, SalesforceWriteResult result, List<ExportItem> duplicates)
    {
        var plan = item.Plan!;
        if (result.NotProcessed)
        {
            // Salesforce did not run the unit (more than 14 graphs of the request failed before it), or rolled it back
            // because another unit sharing its graph failed: nothing of it was applied, and nothing about it was wrong.
            return Verdict.Resend;
        }

        var failure = result.Failure;
        var error = failure is null ? null : SalesforceErrorParser.PickPrimary(failure.Errors);
        var code = error?.ErrorCode;
        LogUnitFailed(logger, plan.ConversationId, failure?.Name, code);

        if (failure?.Name == WritePlanner.PersonOp && code == "DUPLICATES_DETECTED")
        {
            if (plan.Person.Action == RecordAction.Update)
            {
                // The update of the matched person would make it a duplicate of another record: the person is still
                // the one identity matching found, so keep it as it is rather than switching to the other record.
                plan.Person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = plan.Person.ObjectType, Id = plan.Person.Id };
                plan.Warnings.Add($"Salesforce duplicate rules rejected the update of the {plan.Person.ObjectType}; it was left as it was.");
                return Verdict.Resend;
            }

            if (plan.Person.Action == RecordAction.Create)
            {
                if (error!.DuplicateRecordIds.FirstOrDefault() is { } existing)
                {
                    UseExistingPerson(plan, existing);
                    return Verdict.Resend;
                }

                if (plan.VisitorEmail is not null)
                {
                    duplicates.Add(item);
                    return Verdict.Resend;
                }
            }
        }

        if (IsOwnerRejection(error) && FallBackOwner(item, code))
        {
            return Verdict.Resend;
        }

        if (failure?.Name == WritePlanner.CampaignOp && code is "DUPLICATE_VALUE" or "DUPLICATES_DETECTED")
        {
            plan.CampaignId = null;
            plan.Warnings.Add("The person is already a member of the campaign.");
            return Verdict.Resend;
        }

        return code is not null && RolledBackTransient.Contains(code) ? Verdict.ResendLater : Verdict.Fail;
    }

    private static void UseExistingPerson(ExportWritePlan plan, string id)
    {
        plan.Person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = plan.Person.ObjectType, Id = id };
        plan.Warnings.Add($"Salesforce duplicate rules matched an existing {plan.Person.ObjectType}; the transcript was linked to it.");
    }

    /// <summary>
    /// The units a lost answer may have applied: those whose new activity exists now (looked up by its conversation key, in
    /// one read), and those that cannot be checked that way (no new activity: an update of an earlier one, or no activity).
    /// </summary>
    private async Task<List<ExportItem>> FindPossiblyAppliedAsync(List<ExportItem> items, CancellationToken cancellationToken)
    {
        var checkable = items.Where(i => i.Plan is { ExistingActivityId: null, Activity: { } }).ToList();
        var possiblyApplied = items.Except(checkable).ToList();
        if (checkable.Count == 0)
        {
            return possiblyApplied;
        }

        var reader = new ChunkReader(client, cache, org, options.MetadataCacheDuration);
        var lookups = checkable.Select(i => reader.LookupAsync(ActivityMarker.Lookup(i.Plan!.Activity!.ObjectType, i.Plan.ActivityKey, options.ConversationIdField), cancellationToken).AsTask()).ToArray();
        try
        {
            await reader.RunAsync(lookups, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A lookup that failed proves nothing: its unit is treated as possibly applied below.
        }

        Interlocked.Add(ref _apiCalls, reader.ApiCalls);
        for (var i = 0; i < checkable.Count; i++)
        {
            if (!lookups[i].IsCompletedSuccessfully || lookups[i].Result.Any(r => ActivityMarker.IsMarkerOf(r, checkable[i].Plan!.ActivityKey)))
            {
                possiblyApplied.Add(checkable[i]);
            }
        }

        return possiblyApplied;
    }

    private async Task FindDuplicatesAsync(List<ExportItem> items, CancellationToken cancellationToken)
    {
        // Duplicate rules matched without naming the record: look the persons up by email, all in one read, with the fields
        // identity matching reads (a Lead's IsConverted among them).
        var reader = new ChunkReader(client, cache, org, options.MetadataCacheDuration);
        var lookups = items.Select(i => reader.LookupAsync(new SalesforceLookup { ObjectType = i.Plan!.Person.ObjectType, Field = "Email", Value = i.Plan.VisitorEmail!, Fields = PersonFields.ToRead(options, i.Plan.Person.ObjectType).ToArray() }, cancellationToken).AsTask()).ToArray();
        try
        {
            await reader.RunAsync(lookups, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Each lookup's own outcome is read below.
        }

        Interlocked.Add(ref _apiCalls, reader.ApiCalls);
        for (var i = 0; i < items.Count; i++)
        {
            // A converted Lead is never the person: the transcript would go to a record no one works any more.
            var objectType = items[i].Plan!.Person.ObjectType;
            var found = lookups[i].IsCompletedSuccessfully ? lookups[i].Result.FirstOrDefault(r => !PersonFields.IsConvertedLead(objectType, r))?.GetString("Id") : null;
            if (found is not null)
            {
                UseExistingPerson(items[i].Plan!, found);
            }
            else
            {
                items[i].Error = new SalesforceApiException(HttpStatusCode.BadRequest, "DUPLICATES_DETECTED", $"Salesforce duplicate rules rejected the {items[i].Plan!.Person.ObjectType} of conversation '{items[i].ConversationId}' without naming the existing record, and none was found by email.");
            }
        }
    }

    /// <summary>Whether Salesforce rejected the owner (inactive or not a valid User).</summary>
    internal static bool IsOwnerRejection(SalesforceError? error) =>
        error is not null
        && (error.ErrorCode is "INACTIVE_OWNER_OR_USER"
            || (error.ErrorCode is "INVALID_CROSS_REFERENCE_KEY" && (error.Fields.Contains("OwnerId") || error.Message.Contains("owner", StringComparison.OrdinalIgnoreCase))));

    /// <summary>Moves to the next fallback owner after Salesforce rejected the current one; <see langword="false"/> when none is left.</summary>
    private bool FallBackOwner(ExportItem item, string? code)
    {
        var plan = item.Plan!;
        // The activity's owner is the next of the chain when the person keeps an owner the SDK does not know.
        var rejected = plan.Owner.OwnerId is null ? OwnerChain.ForActivity(plan.Owner) : plan.Owner;
        if (OwnerChain.Next(rejected) is not { } next)
        {
            return false;
        }

        plan.Owner = next;
        foreach (var fields in new[] { plan.Person.Fields, plan.Activity?.Fields })
        {
            if (fields is null || !string.Equals(fields.GetString("OwnerId"), rejected.OwnerId, StringComparison.Ordinal))
            {
                continue;
            }

            if (plan.Owner.OwnerId is null)
            {
                fields.Remove("OwnerId");
            }
            else
            {
                fields["OwnerId"] = plan.Owner.OwnerId;
            }
        }

        if (plan.Person.Action == RecordAction.Update && plan.Person.Fields.Count == 0)
        {
            plan.Person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = plan.Person.ObjectType, Id = plan.Person.Id };
        }

        plan.Warnings.Add($"Salesforce rejected the {rejected.Strategy} owner ({code}); fell back to {plan.Owner.Strategy}.");
        if (rejected.Strategy == OwnerStrategy.AgentUser && item.Conversation?.Agent?.Email is { } agentEmail)
        {
            // Forget the agent's User so the next export looks again.
            cache.RemoveAgentUser(org, agentEmail.Trim().ToLowerInvariant());
        }

        return true;
    }

    private static void Complete(ExportItem item, SalesforceWriteResult result)
    {
        var plan = item.Plan!;
        var p = plan.Person;
        var byName = result.Operations.ToDictionary(o => o.Name, StringComparer.Ordinal);
        if (p.Action == RecordAction.Keep)
        {
            item.Person = new SalesforceRecordRef(p.ObjectType, p.Id!, RecordChange.Unchanged);
        }
        else if (byName.TryGetValue(WritePlanner.PersonOp, out var written) && written.Id is { } personId)
        {
            var change = p.Action switch
            {
                RecordAction.Create => RecordChange.Created,
                RecordAction.Upsert => written.Created ? RecordChange.Created : RecordChange.Updated,
                _ => RecordChange.Updated,
            };
            item.Person = new SalesforceRecordRef(p.ObjectType, personId, change);
        }

        if (plan.Activity is { } a && byName.TryGetValue(WritePlanner.ActivityOp, out var activity) && activity.Id is { } activityId)
        {
            item.Activity = new SalesforceRecordRef(a.ObjectType, activityId, activity.Created ? RecordChange.Created : RecordChange.Updated);
        }

        item.Files.AddRange(result.Operations.Where(o => o.Name.StartsWith(WritePlanner.FileOpPrefix, StringComparison.Ordinal) && o.Id is not null)
            .Select(o => new SalesforceRecordRef("ContentVersion", o.Id!, RecordChange.Created)));
    }

    private async Task UploadDeferredAsync(ExportItem item, CancellationToken cancellationToken)
    {
        foreach (var (index, file) in item.DeferredFiles)
        {
            var name = AttachmentNames.Safe(file.FileName, index + 1);
            try
            {
                var saved = await client.UploadFileAsync(new SalesforceFileUpload(name, file.Content, item.Activity!.Id), cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _apiCalls);
                if (!saved.Success || saved.Id is null)
                {
                    throw new SalesforceApiException(HttpStatusCode.BadRequest, saved.Errors.FirstOrDefault()?.ErrorCode, "Salesforce rejected the file.", saved.Errors.SelectMany(e => e.Fields).ToArray());
                }

                item.Files.Add(new SalesforceRecordRef("ContentVersion", saved.Id, RecordChange.Created));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The person and activity exist; this file does not. The export is not reported as Exported, and the next
                // export of the conversation finds the activity and adds the files it lacks.
                var api = ex as SalesforceApiException;
                item.Error = new SalesforceApiException(
                    api?.StatusCode ?? HttpStatusCode.InternalServerError,
                    api?.ErrorCode ?? "ATTACHMENT_UPLOAD_FAILED",
                    $"Attachment {index + 1} of conversation '{item.ConversationId}' could not be uploaded ({api?.ErrorCode ?? "the upload failed"}); the person and activity were written. Export the conversation again to add the missing files.",
                    api?.Fields,
                    isTransient: api?.IsTransient ?? true,
                    innerException: ex);
                return;
            }
        }
    }

    private static Exception Failure(ExportItem item, SalesforceWriteResult result)
    {
        var failure = result.Failure;
        var errors = failure?.Errors ?? [new SalesforceError("PROCESSING_HALTED", "Salesforce did not process the conversation's writes.", [])];
        var transient = SalesforceErrorParser.PickPrimary(errors)?.ErrorCode is { } code && (RolledBackTransient.Contains(code) || code == "PROCESSING_HALTED");
        var ex = SalesforceErrorParser.FromErrors(transient ? 503 : 400, errors, $"Salesforce rejected the export of conversation '{item.ConversationId}'", failure?.Name);
        return ex;
    }

    /// <summary>
    /// Whether Salesforce's answer proves it applied nothing of the request, so sending it again is safe: it was
    /// unavailable (503, 429), or it rolled the request back on a transient error such as <c>UNABLE_TO_LOCK_ROW</c>.
    /// A lost connection or a timeout proves nothing.
    /// </summary>
    internal static bool IsNotProcessed(SalesforceApiException ex) =>
        ex.ErrorCode is not "TIMEOUT" and not "NETWORK_ERROR"
        && (ex.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests || (ex.ErrorCode is { } code && RolledBackTransient.Contains(code)));

    /// <summary>Waits before a resend: exponential from <see cref="SalesforceResilienceOptions.BaseDelay"/>, capped by
    /// <see cref="SalesforceResilienceOptions.MaxDelay"/>, with jitter (the same backoff as the transport's retries).</summary>
    private Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        var resilience = options.Resilience;
        var exponential = resilience.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 8));
        var capped = Math.Min(exponential, resilience.MaxDelay.TotalMilliseconds);
        var jittered = capped * (0.5 + (Random.Shared.NextDouble() / 2));
        return jittered <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(jittered), timeProvider, cancellationToken);
    }

    private enum Verdict
    {
        Fail,
        Resend,
        ResendLater,
    }

    [LoggerMessage(EventId = 100, EventName = "WriteRejected", Level = LogLevel.Debug, Message = "Conversation {ConversationId}: write {Operation} failed with {ErrorCode}")]
    private static partial void LogUnitFailed(ILogger logger, string conversationId, string? operation, string? errorCode);
}
