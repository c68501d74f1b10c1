using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Identity.Internal;

/// <summary>The person objects a mode writes and the fields the SDK reads back from an existing person.</summary>
internal static class PersonFields
{
    public static readonly string[] ContactStandard = ["FirstName", "LastName", "Email", "Phone"];
    public static readonly string[] LeadStandard = ["FirstName", "LastName", "Email", "Phone", "Company"];

    /// <summary>The fields to select when matching, so <see cref="UpdatePolicy.FillBlanks"/> knows what is blank.</summary>
    public static IReadOnlyList<string> ToRead(SalesforceChatExportOptions options, string objectType)
    {
        var fields = new List<string> { "Id", "CreatedDate", "LastModifiedDate" };
        if (string.Equals(objectType, "Contact", StringComparison.OrdinalIgnoreCase))
        {
            fields.Add("OwnerId");
            AddRange(fields, ContactStandard);
        }
        else if (string.Equals(objectType, "Lead", StringComparison.OrdinalIgnoreCase))
        {
            fields.Add("OwnerId");
            AddRange(fields, LeadStandard);
            AddDistinct(fields, "IsConverted");
            AddDistinct(fields, "ConvertedContactId");
        }

        if (options.Mode != ExportMode.Record)
        {
            foreach (var rule in options.Identity.Rules)
            {
                if (rule.Kind is Identity.IdentificationRuleKind.Phone or Identity.IdentificationRuleKind.ExternalId && rule.Field is { } ruleField)
                {
                    AddDistinct(fields, ruleField);
                }
            }
        }

        foreach (var mapping in options.FieldMappings)
        {
            if (FieldTarget.TryParse(mapping.Target, out var obj, out var field) && string.Equals(obj, objectType, StringComparison.OrdinalIgnoreCase))
            {
                AddDistinct(fields, field);
            }
        }

        return fields;
    }

    /// <summary>
    /// Whether a person record read with <see cref="ToRead"/> is a converted Lead: never updated, and never itself the
    /// person a conversation is written to (identity matching follows it to its Contact).
    /// </summary>
    public static bool IsConvertedLead(string objectType, SalesforceFieldValues record) =>
        string.Equals(objectType, "Lead", StringComparison.OrdinalIgnoreCase) && record.GetBoolean("IsConverted") == true;

    /// <summary>Adds a name unless the list has it (ignoring case). The lists are a handful of names: no set is needed.</summary>
    internal static void AddDistinct(List<string> names, string name)
    {
        foreach (var existing in names)
        {
            if (string.Equals(existing, name, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        names.Add(name);
    }

    /// <summary>The person objects a mode searches and writes: <see cref="SearchOrder"/> plus the mode's own, without repeats.</summary>
    public static List<string> PersonObjects(SalesforceChatExportOptions options, string personObject)
    {
        var objects = new List<string>(3);
        foreach (var o in SearchOrder(options))
        {
            AddDistinct(objects, o);
        }

        AddDistinct(objects, personObject);
        return objects;
    }

    private static void AddRange(List<string> fields, string[] names)
    {
        foreach (var name in names)
        {
            AddDistinct(fields, name);
        }
    }

    /// <summary>The person sObject of a mode.</summary>
    public static string PersonObject(SalesforceChatExportOptions options) => options.Mode switch
    {
        ExportMode.LeadAndTask or ExportMode.LeadAndCase or ExportMode.LeadAndEvent => "Lead",
        ExportMode.Record => options.Record.ObjectType ?? "Record",
        _ => "Contact",
    };

    /// <summary>The activity sObject of a mode, or <see langword="null"/> for the generic record mode.</summary>
    public static string? ActivityObject(ExportMode mode) => mode switch
    {
        ExportMode.ContactAndCase or ExportMode.LeadAndCase => "Case",
        ExportMode.ContactAndEvent or ExportMode.LeadAndEvent => "Event",
        ExportMode.Record => null,
        _ => "Task",
    };

    /// <summary>The person objects searched, in order.</summary>
    public static IReadOnlyList<string> SearchOrder(SalesforceChatExportOptions options)
    {
        var person = PersonObject(options);
        if (options.Mode == ExportMode.Record)
        {
            return [person];
        }

        return options.Identity.Precedence switch
        {
            Identity.PersonPrecedence.ContactThenLead => ["Contact", "Lead"],
            Identity.PersonPrecedence.LeadThenContact => ["Lead", "Contact"],
            _ => [person],
        };
    }
}
