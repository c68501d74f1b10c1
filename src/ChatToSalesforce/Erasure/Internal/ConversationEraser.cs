using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy.Internal;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Erasure.Internal;

/// <summary>
/// Erasure through the export's own read path (<see cref="ChunkReader"/> rounds) and write transport (one all-or-nothing
/// unit): persons by email → the SDK's activities on them (by the conversation key) → their files and what else still
/// references the person → delete or anonymise.
/// </summary>
internal sealed partial class ConversationEraser(TenantRegistry tenants, ILogger<ConversationEraser> logger) : IConversationEraser
{
    // The activity objects an export writes and the field linking each to its person (a Case links only to Contacts).
    private static readonly (string Object, string PersonField, bool ContactsOnly)[] ActivityLinks =
        ActivityMarker.ActivityObjects.Select(o => (o, ActivityMarker.PersonLink(o), ActivityMarker.PersonLink(o) == "ContactId")).ToArray();

    public async Task<ErasureResult> EraseAsync(ErasureRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Email, nameof(request.Email));
        using var priority = SalesforceApiPriority.Default(ApiWorkPriority.Interactive);
        var tenant = await tenants.GetAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var options = tenant.Options;
        var reader = new ChunkReader(tenant.Client, tenant.Cache, tenant.OrgKey, options.MetadataCacheDuration);

        // Round 1: the person (Contacts and Leads with the email) and the connecting user (who the SDK writes as).
        var contacts = Lookup(reader, "Contact", "Email", request.Email.Trim(), ["Id", "CreatedById"], cancellationToken);
        var leads = Lookup(reader, "Lead", "Email", request.Email.Trim(), ["Id", "CreatedById"], cancellationToken);
        var connection = reader.GetConnectionAsync(cancellationToken).AsTask();
        await reader.RunAsync([contacts, leads, connection], cancellationToken).ConfigureAwait(false);
        var persons = (await contacts.ConfigureAwait(false)).Select(p => ("Contact", p)).Concat((await leads.ConfigureAwait(false)).Select(p => ("Lead", p))).ToList();

        // Round 2: every activity on those persons; the SDK's are those with the conversation key.
        var activityFields = options.ConversationIdField is { } key ? new[] { "Id", "Subject", key } : ["Id", "Subject"];
        var activityReads = new List<(string Object, Task<IReadOnlyList<SalesforceFieldValues>> Read, string PersonId)>();
        foreach (var (personObject, person) in persons)
        {
            foreach (var (activityObject, field, contactsOnly) in ActivityLinks)
            {
                if (!contactsOnly || personObject == "Contact")
                {
                    activityReads.Add((activityObject, Lookup(reader, activityObject, field, Id(person), activityFields, cancellationToken), Id(person)));
                }
            }
        }

        await reader.RunAsync(activityReads.Select(a => (Task)a.Read).ToList(), cancellationToken).ConfigureAwait(false);
        var ours = new List<(string Object, string Id)>();
        var subjects = new Dictionary<string, string?>(StringComparer.Ordinal);
        var othersByPerson = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (activityObject, read, personId) in activityReads)
        {
            foreach (var activity in await read.ConfigureAwait(false))
            {
                if (IsOurs(activity, options.ConversationIdField, request.ConversationIds))
                {
                    ours.Add((activityObject, Id(activity)));
                    subjects[Id(activity)] = activity.GetString("Subject");
                }
                else
                {
                    othersByPerson[personId] = othersByPerson.GetValueOrDefault(personId) + 1;
                }
            }
        }

        // Round 3: the files published on the SDK's activities.
        var fileReads = ours.Select(a => Lookup(reader, "ContentVersion", "FirstPublishLocationId", a.Id, ["Id", "ContentDocumentId"], cancellationToken)).ToList();
        await reader.RunAsync(fileReads, cancellationToken).ConfigureAwait(false);
        var documents = new List<string>();
        foreach (var read in fileReads)
        {
            documents.AddRange((await read.ConfigureAwait(false)).Select(v => v.GetString("ContentDocumentId")).OfType<string>());
        }

        var userId = (await connection.ConfigureAwait(false)).UserId;
        var kept = new List<string>();
        var personsToErase = new List<(string Object, string Id)>();
        foreach (var (personObject, person) in persons)
        {
            var why = !request.IncludePerson ? "not asked (IncludePerson is off)"
                : request.ConversationIds.Count > 0 ? "only some conversations were erased"
                : !string.Equals(person.GetString("CreatedById"), userId, StringComparison.Ordinal) ? "not created by the SDK's integration user"
                : othersByPerson.ContainsKey(Id(person)) ? "other activities still reference it"
                : null;
            if (why is null)
            {
                personsToErase.Add((personObject, Id(person)));
            }
            else
            {
                kept.Add($"{personObject} {Id(person)}: {why}");
            }
        }

        var deleted = new List<SalesforceRecordRef>();
        var anonymized = new List<SalesforceRecordRef>();
        var operations = new List<SalesforceWriteOperation>();
        foreach (var document in documents.Distinct(StringComparer.Ordinal))
        {
            operations.Add(Delete("ContentDocument", document, operations.Count));
            deleted.Add(new SalesforceRecordRef("ContentDocument", document, RecordChange.Updated));
        }

        var erase = ours.Concat(personsToErase).ToList();
        foreach (var (objectType, id) in erase)
        {
            var isPerson = objectType is "Contact" or "Lead";
            if (request.Mode == ErasureMode.Delete)
            {
                operations.Add(Delete(objectType, id, operations.Count));
                deleted.Add(new SalesforceRecordRef(objectType, id, RecordChange.Updated));
            }
            else
            {
                operations.Add(new SalesforceWriteOperation
                {
                    Name = "erase" + operations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = SalesforceWriteKind.Update, ObjectType = objectType, Id = id,
                    Fields = isPerson ? AnonymousPerson() : AnonymousActivity(objectType, subjects.GetValueOrDefault(id)),
                });
                anonymized.Add(new SalesforceRecordRef(objectType, id, RecordChange.Updated));
            }
        }

        var calls = reader.ApiCalls;
        if (operations.Count > 0)
        {
            var unit = new SalesforceWriteUnit { Key = "erasure" };
            foreach (var operation in operations)
            {
                unit.Operations.Add(operation);
            }

            var written = await tenant.Client.WriteAsync([unit], cancellationToken).ConfigureAwait(false);
            calls += written.ApiCalls;
            if (written.Units[0] is { Success: false } failed)
            {
                var error = failed.Failure?.Errors.FirstOrDefault();
                throw new SalesforceApiException(System.Net.HttpStatusCode.BadRequest, error?.ErrorCode, "Salesforce refused the erasure; nothing was erased (all or nothing). Check the integration user's delete permission on the objects named in the error.", error?.Fields ?? []);
            }
        }

        LogErased(logger, request.TenantId, deleted.Count, anonymized.Count);
        return new ErasureResult { Deleted = deleted, Anonymized = anonymized, Kept = kept, ApiCalls = calls };
    }

    private static bool IsOurs(SalesforceFieldValues activity, string? conversationIdField, IReadOnlyList<string> only)
    {
        var subject = activity.GetString("Subject") ?? string.Empty;
        var key = conversationIdField is not null ? activity.GetString(conversationIdField) : null;
        if (only.Count > 0)
        {
            return only.Any(id => ActivityMarker.IsKeyOf(key, id) || ActivityMarker.BelongsTo(subject, id));
        }

        return key is not null || ActivityMarker.IsMarked(subject);
    }

    private static Task<IReadOnlyList<SalesforceFieldValues>> Lookup(ChunkReader reader, string objectType, string field, string value, IReadOnlyList<string> fields, CancellationToken cancellationToken) =>
        reader.LookupAsync(new SalesforceLookup { ObjectType = objectType, Field = field, Value = value, Fields = fields }, cancellationToken).AsTask();

    private static string Id(SalesforceFieldValues record) => record.GetString("Id")!;

    private static SalesforceWriteOperation Delete(string objectType, string id, int index) => new()
    {
        Name = "erase" + index.ToString(System.Globalization.CultureInfo.InvariantCulture), Kind = SalesforceWriteKind.Delete, ObjectType = objectType, Id = id, Fields = new(),
    };

    private static SalesforceFieldValues AnonymousPerson() => new() { ["FirstName"] = null, ["LastName"] = "Erased", ["Email"] = null, ["Phone"] = null };

    private static SalesforceFieldValues AnonymousActivity(string objectType, string? subject)
    {
        // The subject names the visitor ("Chat with {visitor}"): only its conversation marker stays, so a re-run finds it.
        var marker = subject?.LastIndexOf("[chat ", StringComparison.Ordinal) is int at and >= 0 ? " " + subject[at..] : string.Empty;
        var fields = new SalesforceFieldValues { ["Description"] = "Erased on request.", ["Subject"] = "Erased on request." + marker };
        if (objectType == "Case")
        {
            // What the transcript writer copied from the visitor onto the Case.
            fields["SuppliedName"] = null;
            fields["SuppliedEmail"] = null;
            fields["SuppliedPhone"] = null;
            fields["SuppliedCompany"] = null;
        }

        return fields;
    }

    [LoggerMessage(EventId = 220, EventName = "Erased", Level = LogLevel.Information, Message = "Erasure in tenant {TenantId}: {Deleted} record(s) deleted, {Anonymized} anonymised")]
    private static partial void LogErased(ILogger logger, string? tenantId, int deleted, int anonymized);
}
