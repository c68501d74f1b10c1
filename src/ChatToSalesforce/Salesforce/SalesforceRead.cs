namespace ChatToSalesforce.Salesforce;

/// <summary>One read of a <see cref="ISalesforceClient.ReadAsync"/> call: a SOQL query, a describe or the object list.</summary>
public sealed record SalesforceRead
{
    private SalesforceRead(SalesforceReadKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>Gets what is read.</summary>
    public SalesforceReadKind Kind { get; }

    /// <summary>Gets the SOQL query (<see cref="SalesforceReadKind.Query"/>), the sObject name (<see cref="SalesforceReadKind.Describe"/>) or <c>*</c> (<see cref="SalesforceReadKind.ObjectList"/>).</summary>
    public string Text { get; }

    /// <summary>Creates a query read.</summary>
    /// <param name="soql">The query; every literal must come from <see cref="Soql"/>.</param>
    /// <returns>The read.</returns>
    public static SalesforceRead Query(string soql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        return new SalesforceRead(SalesforceReadKind.Query, soql);
    }

    /// <summary>Creates a describe read.</summary>
    /// <param name="objectType">The sObject name.</param>
    /// <returns>The read.</returns>
    public static SalesforceRead Describe(string objectType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        return new SalesforceRead(SalesforceReadKind.Describe, objectType);
    }

    /// <summary>Creates a read of the org's object list (<see cref="SalesforceReadResult.Objects"/>).</summary>
    /// <returns>The read.</returns>
    public static SalesforceRead ObjectList() => new(SalesforceReadKind.ObjectList, "*");

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        SalesforceReadKind.Describe => $"Describe {Text}",
        SalesforceReadKind.ObjectList => "Object list",
        _ => "Query",
    };
}
