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
