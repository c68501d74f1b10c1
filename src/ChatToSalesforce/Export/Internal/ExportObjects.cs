using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping.Internal;

namespace ChatToSalesforce.Export.Internal;

/// <summary>The objects an export describes (searched persons, the person, a converted Lead's Contact, the activity, mapping targets).</summary>
internal static class ExportObjects
{
    public static List<string> Described(SalesforceChatExportOptions options, string personObject, string? activityObject)
    {
        var objects = new List<string>(4 + options.FieldMappings.Count);
        foreach (var o in PersonFields.SearchOrder(options))
        {
            PersonFields.AddDistinct(objects, o);
        }

        PersonFields.AddDistinct(objects, personObject);
        if (string.Equals(personObject, "Lead", StringComparison.OrdinalIgnoreCase))
        {
            // A converted Lead is followed to its Contact, which the record resolver then describes.
            PersonFields.AddDistinct(objects, "Contact");
        }

        if (activityObject is not null)
        {
            PersonFields.AddDistinct(objects, activityObject);
        }

        foreach (var mapping in options.FieldMappings)
        {
            if (FieldTarget.TryParse(mapping.Target, out var o, out _))
            {
                PersonFields.AddDistinct(objects, o);
            }
        }

        return objects;
    }
}
