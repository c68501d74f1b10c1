namespace ChatToSalesforce.Actions;

/// <summary>A "create a record" bot action: an object and field values, optionally updating the record a key field finds.</summary>
public sealed class CreateRecordRequest
{
    /// <summary>Gets the tenant whose org is written; <see langword="null"/> (the default) is the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the object to create, for example <c>Lead</c>, <c>Case</c> or <c>Chat_Survey__c</c>.</summary>
    public required string ObjectType { get; init; }

    /// <summary>Gets the values by field API name, as text (bot variables); each is converted to the field's type.
    /// A <see langword="null"/> or blank value is left out.</summary>
    public required IReadOnlyDictionary<string, string?> Fields { get; init; }

    /// <summary>Gets the field of <see cref="Fields"/> that identifies an existing record to update instead of creating
    /// one (LoyJoy's key field, Comm100's "update if it exists"); <see langword="null"/> (the default) always creates.</summary>
    /// <remarks>An external-id field is upserted in one call; another filterable field is looked up first. When the key
    /// matches several records, nothing is written and the result is <see cref="BotActionFailureKind.SeveralMatches"/>.</remarks>
    public string? KeyField { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"Create {ObjectType} ({Fields.Count} field(s){(KeyField is null ? string.Empty : ", key " + KeyField)})";
}
