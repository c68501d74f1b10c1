namespace ChatToSalesforce.Salesforce;

/// <summary>What a <see cref="SalesforceRead"/> reads.</summary>
public enum SalesforceReadKind
{
    /// <summary>A SOQL query (its first page).</summary>
    Query,

    /// <summary>An sObject describe.</summary>
    Describe,

    /// <summary>The list of the org's sObjects with what the connecting user may do with each (the global describe, <c>GET sobjects</c>).</summary>
    ObjectList,
}
