namespace ChatToSalesforce.Salesforce;

/// <summary>What a <see cref="SalesforceWriteOperation"/> does.</summary>
public enum SalesforceWriteKind
{
    /// <summary>Creates a record.</summary>
    Create,

    /// <summary>Updates the record <see cref="SalesforceWriteOperation.Id"/>.</summary>
    Update,

    /// <summary>Creates or updates the record whose external-id field holds the key.</summary>
    Upsert,

    /// <summary>Delete the record <see cref="SalesforceWriteOperation.Id"/> (to the recycle bin); no fields.</summary>
    Delete,
}
