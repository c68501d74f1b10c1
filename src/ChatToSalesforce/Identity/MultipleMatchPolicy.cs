namespace ChatToSalesforce.Identity;

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
