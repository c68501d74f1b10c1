namespace ChatToSalesforce.Actions;

/// <summary>What kind of failure a bot action met, so a bot can react (retry later, tell the admin, ask the visitor again).</summary>
public enum BotActionFailureKind
{
    /// <summary>The object, a field or the record does not exist (or the integration user cannot see it).</summary>
    NotFound,

    /// <summary>The integration user may not do this (object or field permissions, a read-only field).</summary>
    Permission,

    /// <summary>A value was rejected: wrong type, too long, not in a restricted picklist, a required field missing, a
    /// validation or duplicate rule, or a placeholder without a value.</summary>
    Validation,

    /// <summary>Salesforce could not answer now (unavailable, locked row, limits, network): the same action may succeed later.</summary>
    Transient,

    /// <summary>The key field of a create-or-update matched several records; nothing was written.</summary>
    SeveralMatches,
}
