namespace ChatToSalesforce.Ownership;

/// <summary>A way of choosing an owner.</summary>
public enum OwnerStrategy
{
    /// <summary>The active Salesforce User whose email matches the agent's.</summary>
    AgentUser,

    /// <summary>Keep the existing person's owner (new records fall through to the next strategy).</summary>
    RecordOwner,

    /// <summary><see cref="SalesforceChatExportOptions.DefaultOwnerId"/>.</summary>
    DefaultOwner,

    /// <summary>Leave <c>OwnerId</c> unset: the connecting (integration) user.</summary>
    ConnectingUser,
}
