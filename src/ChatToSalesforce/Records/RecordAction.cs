namespace ChatToSalesforce.Records;

/// <summary>How a record is written.</summary>
public enum RecordAction
{
    /// <summary>Create a new record.</summary>
    Create,

    /// <summary>Update the existing record <see cref="ResolvedRecord.Id"/>.</summary>
    Update,

    /// <summary>Upsert on <see cref="ResolvedRecord.ExternalIdField"/> = <see cref="ResolvedRecord.ExternalIdValue"/>.</summary>
    Upsert,

    /// <summary>Use the existing record <see cref="ResolvedRecord.Id"/> as it is.</summary>
    Keep,
}
