using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>
/// Checks a bot's field values against the object's describe and converts them to the fields' types, before anything is
/// written: an unknown field, a field the user cannot set, a value of the wrong type, too long or outside a restricted
/// picklist, or a missing required field is a failure naming the object and field (never a silent cut or drop, as the
/// export's mapping does). Conversion is the export's (<see cref="FieldValues"/>).
/// </summary>
internal static class RecordValues
{
    private static readonly string[] TextTypes = ["string", "textarea", "phone", "url", "email", "picklist", "multipicklist", "combobox", "encryptedstring", "reference", "id"];

    /// <summary>Converts the values; returns the first problem, or <see langword="null"/> with <paramref name="values"/> filled.</summary>
    /// <param name="description">The object's describe.</param>
    /// <param name="fields">The bot's values.</param>
    /// <param name="creating">Whether a record may be created (required fields are checked and fields must be createable).</param>
    /// <param name="updating">Whether a record may be updated (fields must be updateable).</param>
    /// <param name="values">The converted values.</param>
    public static BotActionFailure? Build(SalesforceObjectDescription description, IReadOnlyDictionary<string, string?> fields, bool creating, bool updating, out SalesforceFieldValues values)
    {
        var objectType = description.Name;
        values = new();
        foreach (var (name, raw) in fields)
        {
            if (!Soql.IsIdentifier(name) || name.Contains('.', StringComparison.Ordinal))
            {
                return BotFailures.Checked(BotActionFailureKind.NotFound, "INVALID_FIELD", objectType, name, $"{objectType}.{name}: is not a field API name; use the field's API name, for example LastName or Chat_Topic__c.");
            }

            if (description.FindField(name) is not { } field)
            {
                return BotFailures.Checked(BotActionFailureKind.NotFound, "INVALID_FIELD", objectType, name, $"{objectType}.{name}: the field does not exist or the integration user cannot see it (field-level security).");
            }

            if ((creating && !field.Createable) || (updating && !field.Updateable))
            {
                var what = creating && updating ? "set" : creating ? "set when creating a record" : "updated";
                return BotFailures.Checked(BotActionFailureKind.Permission, "INVALID_FIELD_FOR_INSERT_UPDATE", objectType, field.Name, $"{objectType}.{field.Name}: the field cannot be {what} by the integration user.");
            }

            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var target = $"{objectType}.{field.Name}";
            var type = field.Type.ToLowerInvariant();
            var text = FieldValues.StripControlCharacters(raw);
            if (TextTypes.Contains(type) && field.Length > 0 && text.Trim().Length > field.Length && type is not ("picklist" or "multipicklist"))
            {
                return BotFailures.Checked(BotActionFailureKind.Validation, "STRING_TOO_LONG", objectType, field.Name, $"{target}: the value is {text.Trim().Length} characters long; the field holds at most {field.Length}.");
            }

            var converted = FieldValues.Convert(field, text, target, PicklistPolicy.Drop, out var problem);
            if (problem is not null || converted is null)
            {
                return type switch
                {
                    "picklist" or "multipicklist" => BotFailures.Checked(BotActionFailureKind.Validation, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", objectType, field.Name, $"{target}: the value is not one of the restricted picklist's values ({string.Join(", ", field.PicklistValues.Take(25))})."),
                    "email" => BotFailures.Checked(BotActionFailureKind.Validation, "INVALID_EMAIL_ADDRESS", objectType, field.Name, $"{target}: the value is not a valid email address."),
                    _ => BotFailures.Checked(BotActionFailureKind.Validation, "INVALID_TYPE_ON_FIELD_IN_RECORD", objectType, field.Name, $"{target}: the value is not a valid {field.Type}."),
                };
            }

            values[field.Name] = converted;
        }

        if (creating && !updating)
        {
            foreach (var field in description.Fields.Where(f => f.IsRequiredOnCreate).OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                if (!values.ContainsField(field.Name))
                {
                    return BotFailures.Checked(BotActionFailureKind.Validation, "REQUIRED_FIELD_MISSING", objectType, field.Name, $"{objectType}.{field.Name}: is required to create a {objectType}; give it a value.");
                }
            }
        }

        return null;
    }
}
