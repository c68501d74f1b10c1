using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership;

namespace ChatToSalesforce.Records.Internal;

/// <summary>
/// Find-or-create: a new person is created (or upserted on <see cref="SalesforceChatExportOptions.PersonKeyField"/>);
/// an existing one is updated according to <see cref="SalesforceChatExportOptions.UpdatePolicy"/>, never touching
/// <see cref="SalesforceChatExportOptions.ProtectedFields"/>, and is left as it is when nothing changes.
/// </summary>
internal sealed class DefaultRecordResolver : IRecordResolver
{
    public async ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var match = context.Match;
        // A set only where several lookups are made; a new person without a key needs none (the common case of a batch).
        var protectedFields = match.IsFound || options.PersonKeyField is not null
            ? new HashSet<string>(options.ProtectedFields, StringComparer.OrdinalIgnoreCase)
            : null;

        if (match.IsFound)
        {
            var objectType = match.ObjectType!;
            if (match.IsReadOnly || options.UpdatePolicy == UpdatePolicy.Never)
            {
                return new ResolvedRecord { Action = RecordAction.Keep, ObjectType = objectType, Id = match.Id };
            }

            var description = await context.Salesforce.DescribeAsync(objectType, cancellationToken).ConfigureAwait(false);
            var changes = new SalesforceFieldValues();
            foreach (var (field, value) in context.Fields.For(objectType))
            {
                if (protectedFields!.Contains(field) || description.FindField(field) is not { Updateable: true } fieldDescription)
                {
                    continue;
                }

                if (options.UpdatePolicy == UpdatePolicy.FillBlanks && !IsKnownBlank(match.Fields, field))
                {
                    continue;
                }

                if (options.UpdatePolicy == UpdatePolicy.Overwrite && SameValue(match.Fields, fieldDescription, value))
                {
                    continue;
                }

                changes[field] = value;
            }

            var owner = OwnerFor(context.Owner, existing: true);
            if (owner is not null && !protectedFields!.Contains("OwnerId") && !SameRecordId(match.Fields.GetString("OwnerId"), owner))
            {
                changes["OwnerId"] = owner;
            }

            return changes.Count == 0
                ? new ResolvedRecord { Action = RecordAction.Keep, ObjectType = objectType, Id = match.Id }
                : new ResolvedRecord { Action = RecordAction.Update, ObjectType = objectType, Id = match.Id, Fields = changes };
        }

        var fields = context.Fields.For(context.PersonObject).Clone();
        if (OwnerFor(context.Owner, existing: false) is { } newOwner)
        {
            fields["OwnerId"] = newOwner;
        }

        if (options.Mode != ExportMode.Record && options.PersonKeyField is { } keyField
            && ConversationValues.Read(context.Conversation, options.PersonKeySource) is { } key)
        {
            // Upsert: Salesforce creates or updates in the same request as the activity. It cannot tell a new record from
            // an existing one in advance, so protected fields (OwnerId included, by default) are never sent: a person
            // created this way is owned by the connecting user unless OwnerId is removed from ProtectedFields.
            foreach (var field in protectedFields!)
            {
                fields.Remove(field);
            }

            fields.Remove(keyField);
            return new ResolvedRecord { Action = RecordAction.Upsert, ObjectType = context.PersonObject, ExternalIdField = keyField, ExternalIdValue = key, Fields = fields };
        }

        if (NeedsLastName(options, context.PersonObject) && string.IsNullOrWhiteSpace(fields.GetString("LastName")))
        {
            return ResolvedRecord.Skip(context.PersonObject, MissingLastName(context.PersonObject));
        }

        return new ResolvedRecord { Action = RecordAction.Create, ObjectType = context.PersonObject, Fields = fields };
    }

    /// <summary>
    /// The LastName rule, in one place: Salesforce requires LastName to create a Contact or a Lead. The mapper derives it
    /// from <c>visitor.lastName</c> (or the last word of <c>visitor.name</c>); when there is none, a new person is not
    /// created and the export is skipped, before anything is written. An existing person needs none.
    /// </summary>
    internal static bool NeedsLastName(SalesforceChatExportOptions options, string personObject) =>
        options.Mode != ExportMode.Record
        && (string.Equals(personObject, "Contact", StringComparison.OrdinalIgnoreCase) || string.Equals(personObject, "Lead", StringComparison.OrdinalIgnoreCase));

    internal static string MissingLastName(string personObject) =>
        $"No {personObject} matches the visitor and a new one needs a last name (visitor.lastName or visitor.name is missing); nothing was written.";

    /// <summary>The owner id to write: the record-owner marker keeps an existing record's owner and defers to the next strategy for new ones.</summary>
    internal static string? OwnerFor(ResolvedOwner owner, bool existing)
    {
        if (owner.Strategy != OwnerStrategy.RecordOwner)
        {
            return owner.OwnerId;
        }

        return existing ? null : owner.Fallbacks.FirstOrDefault(f => f.Strategy != OwnerStrategy.RecordOwner)?.OwnerId;
    }

    /// <summary>A field counts as blank only when the match read it and it was empty; unread fields are never overwritten.</summary>
    private static bool IsKnownBlank(SalesforceFieldValues current, string field) =>
        current.TryGetValue(field, out var value) && (value is null || (value is string s && string.IsNullOrWhiteSpace(s)));

    /// <summary>Whether the record already holds the value: numbers compare by value, everything else by its text.</summary>
    /// <summary>Whether two record ids name the same record (Salesforce answers 18 characters; an owner may be configured with 15).</summary>
    private static bool SameRecordId(string? current, string id) =>
        current is not null && string.Equals(ChatToSalesforce.Salesforce.Internal.RecordIds.To18(current), ChatToSalesforce.Salesforce.Internal.RecordIds.To18(id), StringComparison.Ordinal);

    private static bool SameValue(SalesforceFieldValues current, SalesforceFieldDescription description, object? value)
    {
        var field = description.Name;
        if (value is null || current[field] is null)
        {
            return false;
        }

        if (current.GetDecimal(field) is { } a && value is long or decimal or double && new SalesforceFieldValues { [field] = value }.GetDecimal(field) is { } b)
        {
            return a == b;
        }

        // Salesforce answers a date-time as 2026-11-21T14:09:00.000+0000; the mapped value is written 2026-11-21T14:09:00Z.
        if (string.Equals(description.Type, "datetime", StringComparison.OrdinalIgnoreCase)
            && current.GetDateTimeOffset(field) is { } x && new SalesforceFieldValues { [field] = value }.GetDateTimeOffset(field) is { } y)
        {
            return x == y;
        }

        return string.Equals(current.GetString(field), new SalesforceFieldValues { [field] = value }.GetString(field), StringComparison.Ordinal);
    }
}
