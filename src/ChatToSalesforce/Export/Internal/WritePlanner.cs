using System.Globalization;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Transcripts;

namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// Turns one conversation's plan into one unit of typed writes, which Salesforce applies all or nothing: the person
/// (create, update or upsert), the activity linked to it (create, upsert on the conversation key, or update of the
/// activity an earlier export wrote), the campaign membership, and the files not yet attached.
/// </summary>
internal static class WritePlanner
{
    internal const string PersonOp = "person";
    internal const string ActivityOp = "activity";
    internal const string CampaignOp = "campaign";
    internal const string FileOpPrefix = "file";

    /// <summary>Bytes of files a unit carries inline (base64); larger files are uploaded once the activity exists.</summary>
    internal const int InlineBytesPerUnit = 512 * 1024;

    public static SalesforceWriteUnit Build(ExportItem item, SalesforceChatExportOptions options)
    {
        var plan = item.Plan!;
        var unit = new SalesforceWriteUnit { Key = plan.ConversationId };
        var person = plan.Person;
        var personIsWritten = false;
        switch (person.Action)
        {
            case RecordAction.Create:
                unit.Operations.Add(Op(PersonOp, SalesforceWriteKind.Create, person.ObjectType, person.Fields, options));
                personIsWritten = true;
                break;
            case RecordAction.Update:
                unit.Operations.Add(Op(PersonOp, SalesforceWriteKind.Update, person.ObjectType, person.Fields, options) with { Id = person.Id });
                break;
            case RecordAction.Upsert:
                unit.Operations.Add(Op(PersonOp, SalesforceWriteKind.Upsert, person.ObjectType, person.Fields, options) with
                {
                    ExternalIdField = person.ExternalIdField, ExternalIdValue = person.ExternalIdValue,
                });
                personIsWritten = true;
                break;
        }

        var isContact = string.Equals(person.ObjectType, "Contact", StringComparison.OrdinalIgnoreCase);
        var isLead = string.Equals(person.ObjectType, "Lead", StringComparison.OrdinalIgnoreCase);
        item.DeferredFiles = [];
        if (plan.Activity is { } activity)
        {
            var fields = activity.Fields.Clone();
            var references = new Dictionary<string, string>(StringComparer.Ordinal);
            if (activity.PersonLinkField is { } link && (link == "WhoId" ? isContact || isLead : isContact))
            {
                if (personIsWritten)
                {
                    references[link] = PersonOp;
                }
                else if (person.Id is not null)
                {
                    fields[link] = person.Id;
                }
            }

            // Always marked, also when upserted on a key: an export in another mode (a push with other choices, and the
            // export that follows it) finds the activity by its marker in any activity object.
            ActivityMarker.Apply(fields, plan.ActivityKey);

            if (activity.ExternalIdField is { } upsertKey)
            {
                // The key travels in the URL only: a value mapped onto the key field would replace the conversation's key.
                fields.Remove(upsertKey);
            }

            // The fields are this operation's own copy already.
            var op = Op(ActivityOp, SalesforceWriteKind.Create, activity.ObjectType, fields, options, copy: false) with { References = references };
            if (activity.ExternalIdField is { } key)
            {
                op = op with { Kind = SalesforceWriteKind.Upsert, ExternalIdField = key, ExternalIdValue = activity.ExternalIdValue };
            }
            else if (plan.ExistingActivityId is { } existing)
            {
                op = op with { Kind = SalesforceWriteKind.Update, Id = existing };
            }

            unit.Operations.Add(op);
            var inlineBytes = 0L;
            for (var i = 0; i < activity.Files.Count; i++)
            {
                var file = activity.Files[i];
                var name = AttachmentNames.Safe(file.FileName, i + 1);
                if (plan.ExistingFiles.Contains(name))
                {
                    continue;
                }

                if (inlineBytes + file.Content.Length > InlineBytesPerUnit)
                {
                    item.DeferredFiles.Add((i, file));
                    continue;
                }

                inlineBytes += file.Content.Length;
                unit.Operations.Add(new SalesforceWriteOperation
                {
                    Name = FileOpPrefix + i.ToString(CultureInfo.InvariantCulture),
                    Kind = SalesforceWriteKind.Create,
                    ObjectType = "ContentVersion",
                    Fields = new SalesforceFieldValues
                    {
                        ["Title"] = AttachmentNames.Title(name),
                        ["PathOnClient"] = name,
                        ["VersionData"] = Convert.ToBase64String(file.Content.Span),
                    },
                    References = new Dictionary<string, string> { ["FirstPublishLocationId"] = ActivityOp },
                });
            }
        }

        if (plan.CampaignId is { } campaign && (isContact || isLead) && (personIsWritten || person.Id is not null))
        {
            var member = plan.CampaignMemberFields.Clone();
            member["CampaignId"] = campaign;
            var personField = isContact ? "ContactId" : "LeadId";
            var references = new Dictionary<string, string>(StringComparer.Ordinal);
            if (personIsWritten)
            {
                references[personField] = PersonOp;
            }
            else
            {
                member[personField] = person.Id;
            }

            if (plan.CampaignMemberStatus is { } status)
            {
                member["Status"] = status;
            }

            unit.Operations.Insert(Math.Min(unit.Operations.Count, plan.Activity is null ? 1 : 2), new SalesforceWriteOperation
            {
                Name = CampaignOp, Kind = SalesforceWriteKind.Create, ObjectType = "CampaignMember", Fields = member, References = references,
            });
        }

        return unit;
    }

    private static SalesforceWriteOperation Op(string name, SalesforceWriteKind kind, string objectType, SalesforceFieldValues fields, SalesforceChatExportOptions options, bool copy = true) => new()
    {
        Name = name,
        Kind = kind,
        ObjectType = objectType,
        Fields = copy ? fields.Clone() : fields,

        // Assignment rules run on Lead and Case writes: when the SDK sets the owner, they must leave it alone.
        SuppressAssignmentRules = options.SuppressAssignmentRules && fields.ContainsField("OwnerId"),
    };
}
