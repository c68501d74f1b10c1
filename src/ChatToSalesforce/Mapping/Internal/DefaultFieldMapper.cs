using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Mapping.Internal;

/// <summary>
/// Maps the visitor's name, email, phone and company to the person objects, then applies
/// <see cref="SalesforceChatExportOptions.FieldMappings"/>; every value is checked against describe metadata.
/// </summary>
internal sealed class DefaultFieldMapper : IFieldMapper
{
    internal const string CampaignMemberObject = "CampaignMember";

    public async ValueTask<FieldMap> MapAsync(FieldMappingContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var conversation = context.Conversation;
        var map = new FieldMap();
        var pending = new List<(string Setting, string Object, string Field, string? Value)>(8 + options.FieldMappings.Count);

        if (options.Mode != ExportMode.Record)
        {
            foreach (var person in PersonFields.PersonObjects(options, context.PersonObject))
            {
                void Add(string field, string source)
                {
                    if (ConversationValues.Read(conversation, source) is { } value)
                    {
                        pending.Add(("(standard mapping)", person, field, value));
                    }
                }

                Add("FirstName", "visitor.firstName");
                Add("LastName", "visitor.lastName");
                Add("Email", "visitor.email");
                Add("Phone", "visitor.phone");
                if (string.Equals(person, "Lead", StringComparison.OrdinalIgnoreCase))
                {
                    pending.Add(("(standard mapping)", person, "Company", ConversationValues.Read(conversation, "visitor.company") ?? options.LeadCompanyPlaceholder));
                }
            }
        }

        List<string>? writable = null;
        for (var i = 0; i < options.FieldMappings.Count; i++)
        {
            var mapping = options.FieldMappings[i];
            var setting = $"FieldMappings[{i}]";
            _ = FieldTarget.TryParse(mapping.Target, out var objectType, out var field);
            writable ??= WrittenObjects(options, context.PersonObject, context.ActivityObject).ToList();
            if (!writable.Contains(objectType, StringComparer.OrdinalIgnoreCase))
            {
                throw new ExportConfigurationException(setting + ".Target",
                    $"the object '{objectType}' is not written in mode {options.Mode}; map to one of {string.Join(", ", writable)}.");
            }

            // A mapping without a value for this conversation is still checked against the describe, so a missing
            // field is reported the same way whatever the conversation holds (the identity query selects it anyway).
            pending.Add((setting, objectType, field, mapping.Value ?? ConversationValues.Read(conversation, mapping.Source!)));
        }

        foreach (var (setting, objectType, field, value) in pending)
        {
            var description = await context.Salesforce.DescribeAsync(objectType, cancellationToken).ConfigureAwait(false);
            var target = FieldTarget.Name(objectType, field);
            var fieldDescription = description.FindField(field)
                ?? throw new ExportConfigurationException(setting + ".Target", $"the field {target} does not exist in this org (or the integration user cannot see it); create it or fix the mapping.");
            if (!fieldDescription.Createable && !fieldDescription.Updateable)
            {
                throw new ExportConfigurationException(setting + ".Target", $"the field {target} cannot be written (it is read-only, formula or system-managed); map to a writable field.");
            }

            if (value is null)
            {
                continue;
            }

            var converted = FieldValues.Convert(fieldDescription, value, target, options.RestrictedPicklistPolicy, out var problem);
            if (problem is not null)
            {
                map.AddWarning(problem);
            }

            if (converted is not null)
            {
                map.Set(objectType, fieldDescription.Name, converted);
            }
        }

        return map;
    }

    /// <summary>The objects a mapping may target in the context's mode.</summary>
    /// <summary>The objects an export in the options' mode writes, so the only ones a mapping may target.</summary>
    internal static IEnumerable<string> WrittenObjects(SalesforceChatExportOptions options, string personObject, string? activityObject)
    {
        if (options.Mode == ExportMode.Record)
        {
            yield return personObject;
            yield break;
        }

        foreach (var person in PersonFields.PersonObjects(options, personObject))
        {
            yield return person;
        }

        if (activityObject is not null)
        {
            yield return activityObject;
        }

        if (options.CampaignId is not null)
        {
            yield return CampaignMemberObject;
        }
    }
}
