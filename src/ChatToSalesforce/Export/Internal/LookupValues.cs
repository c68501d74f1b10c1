using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Export.Internal;

/// <summary>The values a keyed lookup must not send: answered before any call, so one bad value never fails a shared query.</summary>
internal static class LookupValues
{
    /// <summary>Characters Salesforce allows in one string of a WHERE clause (API-FACTS §6).</summary>
    internal const int MaxLength = 3_000;

    /// <summary>
    /// Returns <see langword="null"/> when the value can be sent; an empty string when no record can match it (the
    /// lookup answers "none"); otherwise why the value cannot be looked up.
    /// </summary>
    public static string? Reject(SalesforceLookup lookup)
    {
        var value = lookup.Value;
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value.Length > MaxLength)
        {
            return $"The value looked up in {lookup.ObjectType}.{lookup.Field} is {value.Length} characters long; Salesforce compares at most {MaxLength}.";
        }

        if (value.Any(char.IsControl))
        {
            // Salesforce never stores control characters in these fields: nothing can match.
            return string.Empty;
        }

        if (IsIdField(lookup.Field))
        {
            // Salesforce rejects a malformed id in a filter (INVALID_QUERY_FILTER_OPERATOR); such an id matches nothing.
            return value.Length is 15 or 18 && value.All(char.IsAsciiLetterOrDigit) ? null : string.Empty;
        }

        return null;
    }

    /// <summary>Whether the lookup's field holds record ids (Salesforce answers them in their 18-character form).</summary>
    public static bool IsIdField(string field) =>
        string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase) || IsStandardReference(field);

    private static bool IsStandardReference(string field) =>
        field is "OwnerId" or "WhoId" or "WhatId" or "AccountId" or "ContactId" or "LeadId" or "PersonContactId" or "ConvertedContactId" or "CampaignId" or "FirstPublishLocationId" or "LinkedEntityId";
}
