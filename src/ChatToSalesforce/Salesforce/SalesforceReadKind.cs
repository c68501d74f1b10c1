namespace ChatToSalesforce.Salesforce;

/// <summary>What a <see cref="SalesforceRead"/> reads.</summary>
public enum SalesforceReadKind
{
    /// <summary>A SOQL query (its first page).</summary>
    Query,

    /// <summary>An sObject describe.</summary>
    Describe,
}
