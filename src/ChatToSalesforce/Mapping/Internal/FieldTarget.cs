using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Mapping.Internal;

/// <summary>Parses mapping targets of the form <c>&lt;Object&gt;.&lt;Field&gt;</c>.</summary>
internal static class FieldTarget
{
    public static bool TryParse(string? target, out string objectType, out string field)
    {
        objectType = string.Empty;
        field = string.Empty;
        if (string.IsNullOrWhiteSpace(target))
        {
            return false;
        }

        var dot = target.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == target.Length - 1 || target.IndexOf('.', dot + 1) >= 0)
        {
            return false;
        }

        objectType = target[..dot];
        field = target[(dot + 1)..];
        return Soql.IsIdentifier(objectType) && Soql.IsIdentifier(field);
    }
}
