namespace ChatToSalesforce;

/// <summary>What happens when a mapped value is not one of a restricted picklist's values.</summary>
public enum PicklistPolicy
{
    /// <summary>Leave the field out and report a warning.</summary>
    Drop,

    /// <summary>Fail the export with a clear error.</summary>
    Fail,
}
