using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Identity;

/// <summary>The outcome of identity matching.</summary>
public sealed record IdentityMatch
{
    private IdentityMatch(string? objectType, string? id, SalesforceFieldValues? fields, string? skipReason)
    {
        ObjectType = objectType;
        Id = id;
        Fields = fields ?? new();
        SkipReason = skipReason;
    }

    /// <summary>Gets a match meaning "nobody found; create the person".</summary>
    public static IdentityMatch None { get; } = new(null, null, null, null);

    /// <summary>Gets the sObject of the matched record.</summary>
    public string? ObjectType { get; }

    /// <summary>Gets the matched record's id.</summary>
    public string? Id { get; }

    /// <summary>Gets the matched record's current field values (used by <see cref="UpdatePolicy.FillBlanks"/> and the record-owner strategy).</summary>
    public SalesforceFieldValues Fields { get; }

    /// <summary>Gets why the export must be skipped, if it must.</summary>
    public string? SkipReason { get; }

    /// <summary>Gets whether a record was found.</summary>
    public bool IsFound => Id is not null;

    /// <summary>Gets the converted Lead this match was followed from, if any (the Lead itself is never updated).</summary>
    public string? ConvertedLeadId { get; init; }

    /// <summary>Gets whether the found record must not be updated (for example a Contact reached through a converted Lead is still updatable, but a Lead whose conversion left no Contact is not).</summary>
    public bool IsReadOnly { get; init; }

    /// <summary>Gets a description of how the match was made (rule name), for logs and previews. Never contains personal data.</summary>
    public string? Rule { get; init; }

    /// <summary>Creates a match on an existing record.</summary>
    /// <param name="objectType">The sObject.</param>
    /// <param name="id">The record id.</param>
    /// <param name="fields">The record's current values, if read.</param>
    /// <returns>The match.</returns>
    public static IdentityMatch Found(string objectType, string id, SalesforceFieldValues? fields = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new(objectType, id, fields, null);
    }

    /// <summary>Creates an outcome that skips the export.</summary>
    /// <param name="reason">Why; shown to the host in <see cref="ConversationExportResult.SkipReason"/>. No personal data.</param>
    /// <returns>The match.</returns>
    public static IdentityMatch Skip(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(null, null, null, reason);
    }

    /// <inheritdoc />
    public override string ToString() => SkipReason is not null ? "Skip" : IsFound ? $"{ObjectType} {Id}" : "None";
}
