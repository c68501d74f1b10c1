namespace ChatToSalesforce.Testing;

/// <summary>
/// One entry of a Lead or Case assignment rule (<see cref="SalesforceEmulator.AddAssignmentRule"/> or the seed file's
/// <c>assignmentRules</c>). Entries are tried in the order they were added; the first whose conditions hold sets the
/// record's owner. They run on creates and updates through the API when the <c>Sforce-Auto-Assign</c> header is absent or
/// <c>TRUE</c>, and never when it is <c>FALSE</c>, as Salesforce's Assignment Rule header documents.
/// </summary>
public sealed class EmulatorAssignmentRule
{
    /// <summary>The entry's name (for the reader).</summary>
    public required string Name { get; init; }

    /// <summary>The user who becomes the owner when the entry matches.</summary>
    public required string OwnerId { get; init; }

    /// <summary>
    /// Criteria, all of which must hold: field name → expected value (case-insensitive; null means the field is blank).
    /// Empty: the entry matches every record (a catch-all, like a rule's last entry).
    /// </summary>
    public IReadOnlyDictionary<string, string?> When { get; init; } = new Dictionary<string, string?>();
}
