namespace ChatToSalesforce.Identity;

/// <summary>Configures how visitors are identified in Salesforce.</summary>
public sealed class IdentityOptions
{
    /// <summary>Gets or sets the identification rules, tried in order; the first rule that finds someone wins.</summary>
    /// <value>Defaults to one rule: <see cref="IdentificationRuleKind.Email"/>.</value>
    public IList<IdentificationRule> Rules { get; set; } = [new IdentificationRule { Kind = IdentificationRuleKind.Email }];

    /// <summary>Gets or sets which objects are searched, and in which order.</summary>
    /// <value>Defaults to <see cref="PersonPrecedence.ModeObjectOnly"/>.</value>
    public PersonPrecedence Precedence { get; set; } = PersonPrecedence.ModeObjectOnly;

    /// <summary>Gets or sets what happens when a rule finds several records.</summary>
    /// <value>Defaults to <see cref="MultipleMatchPolicy.MostRecentlyModified"/>.</value>
    public MultipleMatchPolicy MultipleMatches { get; set; } = MultipleMatchPolicy.MostRecentlyModified;

    /// <summary>Gets or sets the sources that must have a value before a conversation is exported, else it is skipped (for example Mongoose Chat: <c>visitor.firstName</c>, <c>visitor.lastName</c>, <c>visitor.email</c>).</summary>
    /// <value>
    /// <see langword="null"/> (the default) means: <c>visitor.email</c> and <c>visitor.lastName</c> (a last name can come from
    /// splitting <c>visitor.name</c>) for the person modes, nothing for <see cref="ExportMode.Record"/>.
    /// </value>
    public IList<string>? RequiredSources { get; set; }

    /// <summary>Gets or sets whether Person Accounts are matched on <c>Account.PersonEmail</c> (only for orgs with Person Accounts).</summary>
    public bool MatchPersonAccounts { get; set; }
}

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

/// <summary>Which person objects are searched.</summary>
public enum PersonPrecedence
{
    /// <summary>Only the mode's person object (Contact modes: Contact; Lead modes: Lead).</summary>
    ModeObjectOnly,

    /// <summary>Contacts first, then Leads.</summary>
    ContactThenLead,

    /// <summary>Leads first, then Contacts.</summary>
    LeadThenContact,
}

/// <summary>What happens when a rule finds several records.</summary>
public enum MultipleMatchPolicy
{
    /// <summary>Use the most recently modified record.</summary>
    MostRecentlyModified,

    /// <summary>Use the oldest record.</summary>
    Oldest,

    /// <summary>Skip the conversation and report why.</summary>
    Skip,
}
