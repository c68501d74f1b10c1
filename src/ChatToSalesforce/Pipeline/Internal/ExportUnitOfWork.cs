using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Transcripts;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// The write side of the unit of work: person, activity, campaign membership and files go out as one <c>/composite</c>
/// request with <c>allOrNone</c> and <c>@{ref.id}</c> references, so Salesforce applies all of it or nothing.
/// </summary>
/// <remarks>
/// Recoveries (each resends the whole request, which Salesforce rolled back): <c>DUPLICATES_DETECTED</c> on the person
/// means "this person exists" and the matched record is used; an owner Salesforce rejects as inactive or invalid is
/// replaced by the next fallback owner; an existing campaign membership is success. Files too large for a composite
/// body, and files of an activity upserted on <see cref="SalesforceChatExportOptions.ConversationIdField"/>, are uploaded
/// after the activity exists (only when it was created, so a re-export does not attach them twice).
/// </remarks>
internal sealed partial class ExportUnitOfWork(ISalesforceClient client, SalesforceChatExportOptions options, ILogger logger)
{
    /// <summary>Files up to this size travel base64-encoded inside the composite body; larger ones use a multipart upload.</summary>
    internal const int InlineFileLimit = 4 * 1024 * 1024;
    internal const int MaxInlineFileBytes = 24 * 1024 * 1024;
    private const string PersonRef = "person";
    private const string ActivityRef = "activity";
    private const string CampaignRef = "campaign";
    private const string FileRefPrefix = "file";
    private static readonly Dictionary<string, string> AutoAssignOff = new(StringComparer.OrdinalIgnoreCase) { ["Sforce-Auto-Assign"] = "FALSE" };

    public int ApiCalls { get; private set; }

    public async Task<ExportWriteOutcome> ExecuteAsync(ExportWritePlan plan, CancellationToken cancellationToken)
    {
        var ownerFallbacks = new Queue<ResolvedOwner>(plan.Owner.Fallbacks);
        var duplicateRecovered = false;
        for (var attempt = 1; ; attempt++)
        {
            var deferredFiles = new List<TranscriptFile>();
            var request = Build(plan, deferredFiles);
            var response = request.Subrequests.Count == 0
                ? new SalesforceCompositeResponse([])
                : await SendAsync(request, cancellationToken).ConfigureAwait(false);

            var failure = response.Responses.FirstOrDefault(r => !r.IsSuccess && !IsHalted(r));
            if (failure is null)
            {
                return await CompleteAsync(plan, response, deferredFiles, cancellationToken).ConfigureAwait(false);
            }

            var error = SalesforceErrorParser.Parse(failure.Body).FirstOrDefault();
            var code = error?.ErrorCode;
            LogSubrequestFailed(logger, plan.ConversationId, failure.ReferenceId, failure.HttpStatusCode, code, attempt);

            if (failure.ReferenceId == PersonRef && code == "DUPLICATES_DETECTED" && !duplicateRecovered)
            {
                duplicateRecovered = true;
                if (plan.Person.Action == RecordAction.Update)
                {
                    // The update of the matched person would make it a duplicate of another record: the person is still
                    // the one identity matching found, so keep it as it is rather than switching to the other record.
                    plan.Person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = plan.Person.ObjectType, Id = plan.Person.Id };
                    plan.Warnings.Add($"Salesforce duplicate rules rejected the update of the {plan.Person.ObjectType}; it was left as it was.");
                    continue;
                }

                var existing = error!.DuplicateRecordIds.FirstOrDefault() ?? await FindExistingPersonAsync(plan, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    plan.Person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = plan.Person.ObjectType, Id = existing };
                    plan.Warnings.Add($"Salesforce duplicate rules matched an existing {plan.Person.ObjectType}; the transcript was linked to it.");
                    continue;
                }
            }

            if (IsOwnerRejection(error) && ownerFallbacks.Count > 0 && plan.Owner.OwnerId is not null)
            {
                var rejected = plan.Owner;
                plan.Owner = ownerFallbacks.Dequeue();
                ReplaceOwner(plan, rejected.OwnerId, plan.Owner.OwnerId);
                plan.Warnings.Add($"Salesforce rejected the {rejected.Strategy} owner ({code}); fell back to {plan.Owner.Strategy}.");
                continue;
            }

            if (failure.ReferenceId == CampaignRef && code is "DUPLICATE_VALUE" or "DUPLICATES_DETECTED")
            {
                plan.CampaignId = null;
                plan.Warnings.Add("The person is already a member of the campaign.");
                continue;
            }

            throw SalesforceErrorParser.ToException(failure.HttpStatusCode, failure.Body, $"Salesforce rejected the export of conversation '{plan.ConversationId}'", failure.ReferenceId);
        }
    }

    private SalesforceCompositeRequest Build(ExportWritePlan plan, List<TranscriptFile> deferredFiles)
    {
        var request = new SalesforceCompositeRequest { AllOrNone = true };
        var person = plan.Person;
        string? personReference = person.Id;
        switch (person.Action)
        {
            case RecordAction.Create:
                request.Subrequests.Add(new SalesforceSubrequest("POST", $"sobjects/{person.ObjectType}", PersonRef, person.Fields.DeepClone()));
                personReference = $"@{{{PersonRef}.id}}";
                break;
            case RecordAction.Update:
                request.Subrequests.Add(new SalesforceSubrequest("PATCH", $"sobjects/{person.ObjectType}/{person.Id}", PersonRef, person.Fields.DeepClone()));
                break;
            case RecordAction.Upsert:
                request.Subrequests.Add(new SalesforceSubrequest("PATCH", $"sobjects/{person.ObjectType}/{person.ExternalIdField}/{Uri.EscapeDataString(person.ExternalIdValue!)}", PersonRef, person.Fields.DeepClone()));
                personReference = $"@{{{PersonRef}.id}}";
                break;
        }

        var isContact = string.Equals(person.ObjectType, "Contact", StringComparison.OrdinalIgnoreCase);
        var isLead = string.Equals(person.ObjectType, "Lead", StringComparison.OrdinalIgnoreCase);
        if (plan.Activity is { } activity)
        {
            var body = (JsonObject)activity.Fields.DeepClone();
            if (activity.PersonLinkField is { } link && personReference is not null
                && (link == "WhoId" ? isContact || isLead : isContact))
            {
                body[link] = personReference;
            }

            if (activity.ExternalIdField is { } key)
            {
                body.Remove(key);
                request.Subrequests.Add(new SalesforceSubrequest("PATCH", $"sobjects/{activity.ObjectType}/{key}/{Uri.EscapeDataString(activity.ExternalIdValue!)}", ActivityRef, body));
            }
            else
            {
                request.Subrequests.Add(new SalesforceSubrequest("POST", $"sobjects/{activity.ObjectType}", ActivityRef, body));
            }

            var inlineBytes = 0L;
            for (var i = 0; i < activity.Files.Count; i++)
            {
                var file = activity.Files[i];
                var inline = activity.ExternalIdField is null && file.Content.Length <= InlineFileLimit
                    && inlineBytes + file.Content.Length <= MaxInlineFileBytes && request.Subrequests.Count < BatchedSalesforceReader.MaxSubrequests - 1;
                if (!inline)
                {
                    deferredFiles.Add(file);
                    continue;
                }

                inlineBytes += file.Content.Length;
                request.Subrequests.Add(new SalesforceSubrequest("POST", "sobjects/ContentVersion", FileRefPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new JsonObject
                {
                    ["Title"] = Path.GetFileNameWithoutExtension(file.FileName),
                    ["PathOnClient"] = file.FileName,
                    ["VersionData"] = Convert.ToBase64String(file.Content.Span),
                    ["FirstPublishLocationId"] = $"@{{{ActivityRef}.id}}",
                }));
            }
        }

        if (plan.CampaignId is { } campaign && personReference is not null && (isContact || isLead))
        {
            var member = (JsonObject)plan.CampaignMemberFields.DeepClone();
            member["CampaignId"] = campaign;
            member[isContact ? "ContactId" : "LeadId"] = personReference;
            if (plan.CampaignMemberStatus is { } status)
            {
                member["Status"] = status;
            }

            request.Subrequests.Insert(Math.Min(request.Subrequests.Count, plan.Activity is null ? 1 : 2), new SalesforceSubrequest("POST", "sobjects/CampaignMember", CampaignRef, member));
        }

        if (options.SuppressAssignmentRules && (person.Fields.ContainsKey("OwnerId") || plan.Activity?.Fields.ContainsKey("OwnerId") == true))
        {
            // Assignment rules run on Lead and Case writes; the header goes on the request and on each subrequest.
            request.Headers["Sforce-Auto-Assign"] = "FALSE";
            for (var i = 0; i < request.Subrequests.Count; i++)
            {
                if (request.Subrequests[i].ReferenceId is PersonRef or ActivityRef)
                {
                    request.Subrequests[i] = request.Subrequests[i] with { HttpHeaders = AutoAssignOff };
                }
            }
        }

        if (options.DuplicateRuleHeader is { } duplicateHeader)
        {
            request.Headers["Sforce-Duplicate-Rule-Header"] = duplicateHeader;
        }

        return request;
    }

    private async Task<ExportWriteOutcome> CompleteAsync(ExportWritePlan plan, SalesforceCompositeResponse response, List<TranscriptFile> deferredFiles, CancellationToken cancellationToken)
    {
        SalesforceRecordRef? person = null;
        var p = plan.Person;
        if (p.Action == RecordAction.Keep)
        {
            person = new SalesforceRecordRef(p.ObjectType, p.Id!, RecordChange.Unchanged);
        }
        else if (response.Find(PersonRef) is { } personResponse)
        {
            var id = p.Id ?? IdOf(personResponse);
            var change = p.Action switch
            {
                RecordAction.Create => RecordChange.Created,
                RecordAction.Upsert => CreatedFlag(personResponse) ? RecordChange.Created : RecordChange.Updated,
                _ => RecordChange.Updated,
            };
            person = new SalesforceRecordRef(p.ObjectType, id, change);
        }

        SalesforceRecordRef? activity = null;
        var files = new List<SalesforceRecordRef>();
        if (plan.Activity is { } a && response.Find(ActivityRef) is { } activityResponse)
        {
            var created = a.ExternalIdField is null || CreatedFlag(activityResponse);
            activity = new SalesforceRecordRef(a.ObjectType, IdOf(activityResponse), created ? RecordChange.Created : RecordChange.Updated);
            files.AddRange(response.Responses.Where(r => r.ReferenceId.StartsWith(FileRefPrefix, StringComparison.Ordinal))
                .Select(r => new SalesforceRecordRef("ContentVersion", IdOf(r), RecordChange.Created)));

            if (created)
            {
                foreach (var file in deferredFiles)
                {
                    var saved = await client.UploadFileAsync(new SalesforceFileUpload(file.FileName, file.Content, activity.Id), cancellationToken).ConfigureAwait(false);
                    ApiCalls++;
                    files.Add(new SalesforceRecordRef("ContentVersion", saved.Id!, RecordChange.Created));
                }
            }
        }

        return new ExportWriteOutcome(person, activity, files, plan.Owner.OwnerId, ApiCalls);
    }

    private async Task<SalesforceCompositeResponse> SendAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken)
    {
        var response = await client.SendCompositeAsync(request, cancellationToken).ConfigureAwait(false);
        ApiCalls++;
        return response;
    }

    private async Task<string?> FindExistingPersonAsync(ExportWritePlan plan, CancellationToken cancellationToken)
    {
        if (plan.VisitorEmail is null || !Soql.IsIdentifier(plan.Person.ObjectType))
        {
            return null;
        }

        var result = await client.QueryAsync(
            $"SELECT Id FROM {plan.Person.ObjectType} WHERE Email = {Soql.Quote(plan.VisitorEmail)} ORDER BY LastModifiedDate DESC LIMIT 1",
            cancellationToken).ConfigureAwait(false);
        ApiCalls += result.Requests;
        return result.Records.Count > 0 ? result.Records[0]["Id"]?.GetValue<string>() : null;
    }

    private static void ReplaceOwner(ExportWritePlan plan, string? rejected, string? replacement)
    {
        foreach (var fields in new[] { plan.Person.Fields, plan.Activity?.Fields })
        {
            if (fields is null || !string.Equals(fields["OwnerId"]?.GetValue<string>(), rejected, StringComparison.Ordinal))
            {
                continue;
            }

            if (replacement is null)
            {
                fields.Remove("OwnerId");
            }
            else
            {
                fields["OwnerId"] = replacement;
            }
        }

        if (plan.Person.Action == RecordAction.Update && plan.Person.Fields.Count == 0)
        {
            plan.Person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = plan.Person.ObjectType, Id = plan.Person.Id };
        }
    }

    /// <summary>Whether Salesforce rejected the owner (inactive or not a valid User); the batch writer uses the same rule.</summary>
    internal static bool IsOwnerRejection(SalesforceError? error) =>
        error is not null
        && (error.ErrorCode is "INACTIVE_OWNER_OR_USER"
            || (error.ErrorCode is "INVALID_CROSS_REFERENCE_KEY" && (error.Fields.Contains("OwnerId") || error.Message.Contains("owner", StringComparison.OrdinalIgnoreCase))));

    private static bool IsHalted(SalesforceSubresponse response) =>
        SalesforceErrorParser.Parse(response.Body).FirstOrDefault()?.ErrorCode is "PROCESSING_HALTED" or "ALL_OR_NONE_OPERATION_ROLLED_BACK";

    private static string IdOf(SalesforceSubresponse response) =>
        response.Body?["id"]?.GetValue<string>() ?? throw new SalesforceApiException(
            (HttpStatusCode)response.HttpStatusCode, null, $"Salesforce's response to subrequest '{response.ReferenceId}' carried no record id.");

    private static bool CreatedFlag(SalesforceSubresponse response) =>
        response.HttpStatusCode == 201 || (response.Body?["created"] is JsonValue v && v.TryGetValue<bool>(out var created) && created);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Conversation {ConversationId}: subrequest {ReferenceId} failed with {StatusCode} {ErrorCode} (attempt {Attempt})")]
    private static partial void LogSubrequestFailed(ILogger logger, string conversationId, string referenceId, int statusCode, string? errorCode, int attempt);
}
