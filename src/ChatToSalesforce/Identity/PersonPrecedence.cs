namespace ChatToSalesforce.Identity;

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
