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

    /// <summary>Write nothing for this conversation: the export is skipped with <see cref="ResolvedRecord.SkipReason"/>
    /// (for example a new Contact or Lead without a last name, which Salesforce would reject).</summary>
    Skip,
}
