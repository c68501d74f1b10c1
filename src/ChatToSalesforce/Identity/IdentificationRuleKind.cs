namespace ChatToSalesforce.Identity;

/// <summary>The kind of an identification rule.</summary>
public enum IdentificationRuleKind
{
    /// <summary>Email, trimmed, compared without case.</summary>
    Email,

    /// <summary>Phone, compared on digits only.</summary>
    Phone,

    /// <summary>An external-id (or any unique) field compared with a source value.</summary>
    ExternalId,

    /// <summary>A custom SOQL query with placeholders.</summary>
    Soql,
}
