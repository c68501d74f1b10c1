namespace ChatToSalesforce.Identity;

/// <summary>One identification rule.</summary>
public sealed class IdentificationRule
{
    /// <summary>Gets or sets the kind of rule.</summary>
    public IdentificationRuleKind Kind { get; set; }

    /// <summary>Gets or sets the Salesforce field compared (<see cref="IdentificationRuleKind.Phone"/>: defaults to <c>Phone</c>; <see cref="IdentificationRuleKind.ExternalId"/>: required).</summary>
    public string? Field { get; set; }

    /// <summary>Gets or sets where the compared value comes from (<see cref="IdentificationRuleKind.ExternalId"/>), for example <c>custom:visitorId</c>.</summary>
    public string? Source { get; set; }

    /// <summary>Gets or sets the SOQL of a <see cref="IdentificationRuleKind.Soql"/> rule, with placeholders such as <c>{!visitor.email}</c> bound as escaped literals. It must select <c>Id</c>; the first row wins.</summary>
    public string? Soql { get; set; }

    /// <inheritdoc />
    public override string ToString() => Kind.ToString();
}
