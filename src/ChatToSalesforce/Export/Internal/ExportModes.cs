using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// An export in another mode than the configured one: per-call choices (push now) and an export that follows what an
/// earlier export of the same conversation wrote in another person or activity object.
/// </summary>
internal static class ExportModes
{
    /// <summary>The mode that writes a person object and an activity object.</summary>
    public static ExportMode Of(string personObject, string activityObject)
    {
        var lead = string.Equals(personObject, "Lead", StringComparison.OrdinalIgnoreCase);
        return activityObject.ToUpperInvariant() switch
        {
            "CASE" => lead ? ExportMode.LeadAndCase : ExportMode.ContactAndCase,
            "EVENT" => lead ? ExportMode.LeadAndEvent : ExportMode.ContactAndEvent,
            _ => lead ? ExportMode.LeadAndTask : ExportMode.ContactAndTask,
        };
    }

    /// <summary>Checks per-call choices; the message says what is wrong in the caller's terms.</summary>
    public static void Validate(ConversationExportChoices choices)
    {
        if (choices.Mode is { } mode && (!Enum.IsDefined(mode) || mode == ExportMode.Record))
        {
            throw new ArgumentException($"The export choice Mode '{mode}' cannot be used for one export: choose a person and an activity (ContactAndTask, LeadAndTask, ContactAndCase, LeadAndCase, ContactAndEvent or LeadAndEvent).", nameof(choices));
        }

        if (choices.OwnerId is { } owner && !RecordIds.IsUserId(owner))
        {
            throw new ArgumentException("The export choice OwnerId is not a Salesforce User id; use the 15- or 18-character id that starts with 005 (the agent's User record).", nameof(choices));
        }
    }

    /// <summary>The options of an export with these choices (the configured options are never changed).</summary>
    public static SalesforceChatExportOptions With(SalesforceChatExportOptions options, ConversationExportChoices choices)
    {
        var result = choices.Mode is { } mode && mode != options.Mode ? WithMode(options, mode) : options;
        if (choices.OwnerId is { } owner)
        {
            result = ReferenceEquals(result, options) ? options.Copy() : result;
            result.DefaultOwnerId = owner;

            // The chosen owner first; the configured chain's other strategies remain its fallbacks.
            result.OwnerStrategies = [OwnerStrategy.DefaultOwner, .. options.OwnerStrategies.Where(s => s is not OwnerStrategy.AgentUser and not OwnerStrategy.DefaultOwner)];
        }

        return result;
    }

    /// <summary>
    /// The options in another mode. Mappings to objects the other mode does not write are left out (a Contact mapping
    /// when a Lead is written), so they fail neither this export nor the configured one.
    /// </summary>
    public static SalesforceChatExportOptions WithMode(SalesforceChatExportOptions options, ExportMode mode)
    {
        var copy = options.Copy();
        copy.Mode = mode;
        var written = DefaultFieldMapper.WrittenObjects(copy, PersonFields.PersonObject(copy), PersonFields.ActivityObject(mode)).ToList();
        copy.FieldMappings = options.FieldMappings
            .Where(m => !FieldTarget.TryParse(m.Target, out var objectType, out _) || written.Contains(objectType, StringComparer.OrdinalIgnoreCase))
            .ToList();

        return copy;
    }
}
