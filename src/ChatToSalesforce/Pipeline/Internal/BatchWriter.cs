using System.Text.Json.Nodes;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// The write side of a batch chunk, as sObject Collections (<c>allOrNone=false</c>, 200 records per call): persons first
/// (creates, updates and upserts, each a collection), then the activities linked to the person ids, then campaign
/// members and files together.
/// </summary>
/// <remarks>
/// <para>Persons are written once per chunk: two conversations of the same new visitor (same email) create one person,
/// and an existing person several conversations update is updated once, with their changes merged (the first
/// conversation's values win, except under <see cref="UpdatePolicy.Overwrite"/>).</para>
/// <para>A record Salesforce rejects fails only the conversations that own it, with Salesforce's error. A person rejected as
/// <c>DUPLICATES_DETECTED</c> is the existing record: the matched id is used (looked up by email when Salesforce does not
/// report it); an update it rejects that way leaves the matched person as it was. A conversation whose person was not
/// written has no activity written. An owner Salesforce rejects as inactive or invalid is replaced by the conversation's
/// next fallback owner and the record is sent again (with the others rejected that way, in one more request).</para>
/// </remarks>
internal sealed class BatchWriter(ISalesforceClient client, SalesforceChatExportOptions options, OrgMetadataCache cache)
{
    /// <summary>Records per sObject Collections request.</summary>
    internal const int CollectionLimit = 200;

    /// <summary>Resends of records whose owner Salesforce rejected (one per fallback owner; the chain is at most 4 long).</summary>
    private const int MaxRounds = 4;

    public async Task WriteAsync(List<BatchItem> items, ChunkContext context, CancellationToken cancellationToken)
    {
        // Person writes run chunk after chunk, so a visitor new to two chunks is created once.
        await context.PreviousPersonsWritten.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WritePersonsAsync(items, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.PersonsWritten.TrySetResult();
        }

        await WriteActivitiesAsync(items.Where(i => i.Error is null && i.Plan!.Activity is not null).ToList(), cancellationToken).ConfigureAwait(false);
        await WriteRelatedAsync(items.Where(i => i.Error is null).ToList(), cancellationToken).ConfigureAwait(false);
    }

    private async Task WritePersonsAsync(List<BatchItem> items, ChunkContext context, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, PersonGroup>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            var plan = item.Plan!;
            var person = plan.Person;
            string key;
            string? emailKey = null;
            switch (person.Action)
            {
                case RecordAction.Keep:
                    item.PersonId = person.Id;
                    item.Person = new SalesforceRecordRef(person.ObjectType, person.Id!, RecordChange.Unchanged);
                    continue;
                case RecordAction.Create:
                    emailKey = options.Mode != ExportMode.Record && plan.VisitorEmail is { } email ? person.ObjectType + "|" + email.ToLowerInvariant() : null;
                    if (emailKey is not null && context.CreatedPersons.TryGetValue(emailKey, out var created))
                    {
                        item.PersonId = created;
                        item.Person = new SalesforceRecordRef(person.ObjectType, created, RecordChange.Unchanged);
                        continue;
                    }

                    key = "create|" + (emailKey ?? "#" + item.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case RecordAction.Update:
                    key = "update|" + person.ObjectType + "|" + person.Id;
                    break;
                default:
                    key = "upsert|" + person.ObjectType + "|" + person.ExternalIdField + "|" + person.ExternalIdValue;
                    break;
            }

            if (!groups.TryGetValue(key, out var group))
            {
                group = new PersonGroup(person, emailKey);
                groups[key] = group;
            }

            group.Add(item, overwrite: person.Action == RecordAction.Update && options.UpdatePolicy == UpdatePolicy.Overwrite);
        }

        var calls = new List<(SalesforceCollectionRequest Request, List<PersonGroup> Groups)>();
        foreach (var slice in groups.Values.Where(g => g.Person.Action == RecordAction.Create).Chunk(CollectionLimit))
        {
            calls.Add((Request(SalesforceCollectionOperation.Create, null, null, slice.Select(g => WithType(g.Person.ObjectType, g.Record))), slice.ToList()));
        }

        foreach (var slice in groups.Values.Where(g => g.Person.Action == RecordAction.Update).Chunk(CollectionLimit))
        {
            calls.Add((Request(SalesforceCollectionOperation.Update, null, null, slice.Select(g => WithId(g.Person.ObjectType, g.Person.Id!, g.Record))), slice.ToList()));
        }

        foreach (var byKey in groups.Values.Where(g => g.Person.Action == RecordAction.Upsert).GroupBy(g => (g.Person.ObjectType, g.Person.ExternalIdField)))
        {
            foreach (var slice in byKey.Chunk(CollectionLimit))
            {
                var records = slice.Select(g =>
                {
                    var record = WithType(g.Person.ObjectType, g.Record);
                    record[g.Person.ExternalIdField!] = g.Person.ExternalIdValue;
                    return record;
                });
                calls.Add((Request(SalesforceCollectionOperation.Upsert, byKey.Key.ObjectType, byKey.Key.ExternalIdField, records), slice.ToList()));
            }
        }

        var duplicates = new List<PersonGroup>();
        await SendAllAsync(calls, (group, result, record) =>
        {
            if (!result.Success && IsOwnerRejection(result.Errors) && group.Leader.FallBackOwner(record, cache, options))
            {
                return true;
            }

            if (result.Success && result.Id is { } id)
            {
                group.Written(id, group.Person.Action switch
                {
                    RecordAction.Create => RecordChange.Created,
                    RecordAction.Upsert => result.Created == true ? RecordChange.Created : RecordChange.Updated,
                    _ => RecordChange.Updated,
                });
                if (group.EmailKey is not null && group.Person.Action == RecordAction.Create)
                {
                    context.CreatedPersons[group.EmailKey] = id;
                }
            }
            else if (group.Person.Action == RecordAction.Create && result.Errors.FirstOrDefault()?.ErrorCode == "DUPLICATES_DETECTED")
            {
                if (result.Errors.SelectMany(e => e.DuplicateRecordIds).FirstOrDefault() is { } existing)
                {
                    group.Duplicate(existing);
                }
                else
                {
                    duplicates.Add(group);
                }
            }
            else if (group.Person.Action == RecordAction.Update && result.Errors.FirstOrDefault()?.ErrorCode == "DUPLICATES_DETECTED")
            {
                // The update would make the matched person a duplicate of another record: it is still the person
                // identity matching found, so it is kept as it is (as a single export does).
                group.Kept($"Salesforce duplicate rules rejected the update of the {group.Person.ObjectType}; it was left as it was.");
            }
            else
            {
                group.Fail(item => ToException(result.Errors, $"Salesforce rejected the {group.Person.ObjectType} of conversation '{item.Conversation!.Id}'"));
            }

            return false;
        }, (group, ex) => group.Fail(_ => ex), cancellationToken).ConfigureAwait(false);

        if (duplicates.Count > 0)
        {
            await ResolveDuplicatesAsync(duplicates, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Duplicate rules matched, but Salesforce did not say which record: look the persons up by email, together.</summary>
    private async Task ResolveDuplicatesAsync(List<PersonGroup> duplicates, CancellationToken cancellationToken)
    {
        foreach (var byObject in duplicates.GroupBy(g => g.Person.ObjectType, StringComparer.OrdinalIgnoreCase))
        {
            var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var emails = byObject.Select(g => g.Leader.Plan!.VisitorEmail).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (Soql.IsIdentifier(byObject.Key))
            {
                foreach (var list in BatchPrefetch.InLists(emails))
                {
                    try
                    {
                        var result = await client.QueryAsync($"SELECT Id, Email FROM {byObject.Key} WHERE Email IN {list} ORDER BY LastModifiedDate DESC", cancellationToken).ConfigureAwait(false);
                        foreach (var record in result.Records)
                        {
                            if (record["Email"]?.GetValue<string>() is { } email && record["Id"]?.GetValue<string>() is { } id)
                            {
                                found.TryAdd(email.Trim(), id);
                            }
                        }
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Reported below as the duplicate rule's error.
                    }
                }
            }

            foreach (var group in byObject)
            {
                if (group.Leader.Plan!.VisitorEmail is { } email && found.TryGetValue(email, out var id))
                {
                    group.Duplicate(id);
                }
                else
                {
                    group.Fail(_ => new SalesforceApiException(System.Net.HttpStatusCode.BadRequest, "DUPLICATES_DETECTED",
                        $"Salesforce duplicate rules matched an existing {group.Person.ObjectType}, but it could not be found by email."));
                }
            }
        }
    }

    private async Task WriteActivitiesAsync(List<BatchItem> items, CancellationToken cancellationToken)
    {
        var calls = new List<(SalesforceCollectionRequest Request, List<BatchItem> Items)>();
        foreach (var byKey in items.GroupBy(i => (i.Plan!.Activity!.ObjectType, i.Plan.Activity.ExternalIdField)))
        {
            foreach (var slice in byKey.Chunk(CollectionLimit))
            {
                var records = slice.Select(item =>
                {
                    var activity = item.Plan!.Activity!;
                    var record = WithType(activity.ObjectType, activity.Fields);
                    var personType = item.Person?.ObjectType ?? item.Plan.Person.ObjectType;
                    var isContact = string.Equals(personType, "Contact", StringComparison.OrdinalIgnoreCase);
                    var isLead = string.Equals(personType, "Lead", StringComparison.OrdinalIgnoreCase);
                    if (activity.PersonLinkField is { } link && item.PersonId is { } personId && (link == "WhoId" ? isContact || isLead : isContact))
                    {
                        record[link] = personId;
                    }

                    if (activity.ExternalIdField is { } key)
                    {
                        record[key] = activity.ExternalIdValue;
                    }

                    item.ApplyOwnerFallbacks(record);
                    return record;
                });
                var request = byKey.Key.ExternalIdField is { } field
                    ? Request(SalesforceCollectionOperation.Upsert, byKey.Key.ObjectType, field, records)
                    : Request(SalesforceCollectionOperation.Create, null, null, records);
                calls.Add((request, slice.ToList()));
            }
        }

        await SendAllAsync(calls, (item, result, record) =>
        {
            var activity = item.Plan!.Activity!;
            if (!result.Success && IsOwnerRejection(result.Errors) && item.FallBackOwner(record, cache, options))
            {
                return true;
            }

            if (result.Success && result.Id is { } id)
            {
                var created = activity.ExternalIdField is null || result.Created == true;
                item.Activity = new SalesforceRecordRef(activity.ObjectType, id, created ? RecordChange.Created : RecordChange.Updated);
            }
            else
            {
                item.Error = ToException(result.Errors, $"Salesforce rejected the {activity.ObjectType} of conversation '{item.Conversation!.Id}'");
            }

            return false;
        }, (item, ex) => item.Error = ex, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Campaign members, then files of activities this batch created (a re-export does not attach them twice).</summary>
    private async Task WriteRelatedAsync(List<BatchItem> items, CancellationToken cancellationToken)
    {
        var entries = new List<RelatedRecord>();
        var members = new Dictionary<string, RelatedRecord>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var plan = item.Plan!;
            var personType = item.Person?.ObjectType;
            var isContact = string.Equals(personType, "Contact", StringComparison.OrdinalIgnoreCase);
            var isLead = string.Equals(personType, "Lead", StringComparison.OrdinalIgnoreCase);
            if (plan.CampaignId is { } campaign && item.PersonId is { } personId && (isContact || isLead))
            {
                if (members.TryGetValue(campaign + "|" + personId, out var existing))
                {
                    existing.Items.Add(item);
                }
                else
                {
                    var record = WithType("CampaignMember", plan.CampaignMemberFields);
                    record["CampaignId"] = campaign;
                    record[isContact ? "ContactId" : "LeadId"] = personId;
                    if (plan.CampaignMemberStatus is { } status)
                    {
                        record["Status"] = status;
                    }

                    var entry = new RelatedRecord(record, 0, null) { Items = { item } };
                    members[campaign + "|" + personId] = entry;
                    entries.Add(entry);
                }
            }
        }

        foreach (var item in items)
        {
            if (item.Activity is not { Change: RecordChange.Created } activity)
            {
                continue;
            }

            foreach (var file in item.Plan!.Activity!.Files)
            {
                if (file.Content.Length > ExportUnitOfWork.InlineFileLimit)
                {
                    // Too large for a JSON body: a multipart upload of its own, charged to this conversation.
                    try
                    {
                        item.OwnCalls++;
                        var saved = await client.UploadFileAsync(new SalesforceFileUpload(file.FileName, file.Content, activity.Id), cancellationToken).ConfigureAwait(false);
                        item.Files.Add(new SalesforceRecordRef("ContentVersion", saved.Id!, RecordChange.Created));
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        item.Error ??= ex;
                    }

                    continue;
                }

                entries.Add(new RelatedRecord(new JsonObject
                {
                    ["attributes"] = new JsonObject { ["type"] = "ContentVersion" },
                    ["Title"] = Path.GetFileNameWithoutExtension(file.FileName),
                    ["PathOnClient"] = file.FileName,
                    ["VersionData"] = Convert.ToBase64String(file.Content.Span),
                    ["FirstPublishLocationId"] = activity.Id,
                }, file.Content.Length, file.FileName) { Items = { item } });
            }
        }

        // Slices of at most 200 records and ExportUnitOfWork.MaxInlineFileBytes of file content.
        var calls = new List<(SalesforceCollectionRequest Request, List<RelatedRecord> Entries)>();
        var current = new List<RelatedRecord>();
        var bytes = 0L;
        foreach (var entry in entries)
        {
            if (current.Count > 0 && (current.Count == CollectionLimit || bytes + entry.Bytes > ExportUnitOfWork.MaxInlineFileBytes))
            {
                calls.Add((Request(SalesforceCollectionOperation.Create, null, null, current.Select(e => e.Record)), current));
                current = [];
                bytes = 0;
            }

            current.Add(entry);
            bytes += entry.Bytes;
        }

        if (current.Count > 0)
        {
            calls.Add((Request(SalesforceCollectionOperation.Create, null, null, current.Select(e => e.Record)), current));
        }

        await SendAllAsync(calls, (entry, result, _) =>
        {
            foreach (var item in entry.Items)
            {
                if (result.Success && entry.FileName is not null)
                {
                    item.Files.Add(new SalesforceRecordRef("ContentVersion", result.Id!, RecordChange.Created));
                }
                else if (!result.Success && entry.FileName is null && result.Errors.FirstOrDefault()?.ErrorCode is "DUPLICATE_VALUE" or "DUPLICATES_DETECTED")
                {
                    item.Plan!.Warnings.Add("The person is already a member of the campaign.");
                }
                else if (!result.Success)
                {
                    var what = entry.FileName is null ? "campaign membership" : "file";
                    item.Error ??= ToException(result.Errors, $"Salesforce rejected the {what} of conversation '{item.Conversation!.Id}'");
                }
            }

            return false;
        }, (entry, ex) =>
        {
            foreach (var item in entry.Items)
            {
                item.Error ??= ex;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the collection requests concurrently (through the batch's gate) and maps each save result back to its owner.
    /// <paramref name="onResult"/> returns <see langword="true"/> to send the record again (it changed it, for example to
    /// a fallback owner); those records go out together in another round.
    /// </summary>
    private async Task SendAllAsync<T>(
        List<(SalesforceCollectionRequest Request, List<T> Owners)> calls,
        Func<T, SalesforceSaveResult, JsonObject, bool> onResult,
        Action<T, Exception> onFailure,
        CancellationToken cancellationToken)
    {
        for (var round = 0; calls.Count > 0; round++)
        {
            var sends = calls.Select(c => client.SendCollectionAsync(c.Request, cancellationToken)).ToArray();
            try
            {
                await Task.WhenAll(sends).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Reported per request below.
            }

            cancellationToken.ThrowIfCancellationRequested();
            var again = new List<(SalesforceCollectionRequest Template, T Owner, JsonObject Record)>();
            for (var c = 0; c < calls.Count; c++)
            {
                var (request, owners) = calls[c];
                if (!sends[c].IsCompletedSuccessfully)
                {
                    var error = sends[c].Exception?.InnerException ?? new OperationCanceledException();
                    foreach (var owner in owners)
                    {
                        onFailure(owner, error);
                    }

                    continue;
                }

                var results = sends[c].Result;
                for (var i = 0; i < owners.Count; i++)
                {
                    if (i >= results.Count)
                    {
                        onFailure(owners[i], new SalesforceApiException(System.Net.HttpStatusCode.InternalServerError, "UNEXPECTED_RESPONSE",
                            $"Salesforce returned {results.Count} save results for {owners.Count} records."));
                    }
                    else if (onResult(owners[i], results[i], request.Records[i]) && round < MaxRounds)
                    {
                        again.Add((request, owners[i], request.Records[i]));
                    }
                }
            }

            calls = [];
            foreach (var same in again.GroupBy(a => (a.Template.Operation, a.Template.ObjectType, a.Template.ExternalIdField)))
            {
                foreach (var slice in same.Chunk(CollectionLimit))
                {
                    calls.Add((Request(same.Key.Operation, same.Key.ObjectType, same.Key.ExternalIdField, slice.Select(a => a.Record)), slice.Select(a => a.Owner).ToList()));
                }
            }
        }
    }

    private SalesforceCollectionRequest Request(SalesforceCollectionOperation operation, string? objectType, string? externalIdField, IEnumerable<JsonObject> records)
    {
        var request = new SalesforceCollectionRequest { Operation = operation, ObjectType = objectType, ExternalIdField = externalIdField, AllOrNone = false };
        foreach (var record in records)
        {
            request.Records.Add(record);
        }

        if (options.SuppressAssignmentRules && request.Records.Any(r => r.ContainsKey("OwnerId")))
        {
            request.Headers["Sforce-Auto-Assign"] = "FALSE";
        }

        if (options.DuplicateRuleHeader is { } duplicateHeader)
        {
            request.Headers["Sforce-Duplicate-Rule-Header"] = duplicateHeader;
        }

        return request;
    }

    private static JsonObject WithType(string objectType, JsonObject fields)
    {
        var record = new JsonObject { ["attributes"] = new JsonObject { ["type"] = objectType } };
        foreach (var (field, value) in fields)
        {
            record[field] = value?.DeepClone();
        }

        return record;
    }

    private static JsonObject WithId(string objectType, string id, JsonObject fields)
    {
        var record = WithType(objectType, fields);
        record["Id"] = id;
        return record;
    }

    /// <summary>Salesforce refused the owner (inactive, or not a valid User): the next fallback owner is tried, as in a single export.</summary>
    internal static bool IsOwnerRejection(IReadOnlyList<SalesforceError> errors) =>
        ExportUnitOfWork.IsOwnerRejection(errors.FirstOrDefault());

    /// <summary>Turns a record's save errors into the exception a single export would have thrown.</summary>
    internal static SalesforceApiException ToException(IReadOnlyList<SalesforceError> errors, string context)
    {
        var body = new JsonArray();
        foreach (var error in errors)
        {
            var fields = new JsonArray();
            foreach (var field in error.Fields)
            {
                fields.Add((JsonNode?)JsonValue.Create(field));
            }

            body.Add((JsonNode)new JsonObject { ["errorCode"] = error.ErrorCode, ["message"] = error.Message, ["fields"] = fields });
        }

        return SalesforceErrorParser.ToException(400, body, context);
    }

    /// <summary>One person record of the chunk and the conversations that share it.</summary>
    private sealed class PersonGroup(ResolvedRecord person, string? emailKey)
    {
        private readonly List<BatchItem> _items = [];

        public ResolvedRecord Person { get; } = person;

        public string? EmailKey { get; } = emailKey;

        public JsonObject Record { get; } = [];

        public BatchItem Leader => _items[0];

        public void Add(BatchItem item, bool overwrite)
        {
            foreach (var (field, value) in item.Plan!.Person.Fields)
            {
                if (overwrite || !Record.ContainsKey(field))
                {
                    Record[field] = value?.DeepClone();
                }
            }

            _items.Add(item);
        }

        public void Written(string id, RecordChange change)
        {
            for (var i = 0; i < _items.Count; i++)
            {
                _items[i].PersonId = id;

                // The first conversation created the person; the others found it.
                var own = i == 0 || change == RecordChange.Updated ? change : RecordChange.Unchanged;
                _items[i].Person = new SalesforceRecordRef(Person.ObjectType, id, own);
            }
        }

        public void Duplicate(string existingId)
        {
            foreach (var item in _items)
            {
                item.PersonId = existingId;
                item.Person = new SalesforceRecordRef(Person.ObjectType, existingId, RecordChange.Unchanged);
                item.Plan!.Warnings.Add($"Salesforce duplicate rules matched an existing {Person.ObjectType}; the transcript was linked to it.");
            }
        }

        public void Kept(string warning)
        {
            foreach (var item in _items)
            {
                item.PersonId = Person.Id;
                item.Person = new SalesforceRecordRef(Person.ObjectType, Person.Id!, RecordChange.Unchanged);
                item.Plan!.Warnings.Add(warning);
            }
        }

        public void Fail(Func<BatchItem, Exception> error)
        {
            foreach (var item in _items)
            {
                item.Error = error(item);
            }
        }
    }

    private sealed record RelatedRecord(JsonObject Record, long Bytes, string? FileName)
    {
        public List<BatchItem> Items { get; } = [];
    }
}
