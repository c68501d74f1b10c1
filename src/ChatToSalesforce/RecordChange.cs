namespace ChatToSalesforce;

/// <summary>What an export did to a record.</summary>
public enum RecordChange
{
    /// <summary>The record was created.</summary>
    Created,

    /// <summary>The record existed and was updated.</summary>
    Updated,

    /// <summary>The record existed and was left as it was.</summary>
    Unchanged,
}
