namespace ChatToSalesforce.Salesforce;

/// <summary>Record writes Salesforce applies all together or not at all (one conversation's person, activity, files, ...).</summary>
public sealed class SalesforceWriteUnit
{
    /// <summary>Gets or sets a label for diagnostics (the conversation id); never sent as data.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets the operations, in order; an operation may reference only earlier ones.</summary>
    public IList<SalesforceWriteOperation> Operations { get; } = new List<SalesforceWriteOperation>();
}
