namespace ChatToSalesforce.Salesforce;

/// <summary>How a <see cref="SalesforceLookup"/> compares its field with its value.</summary>
public enum SalesforceLookupMatch
{
    /// <summary>The field equals the value (merged into <c>IN</c> lists).</summary>
    Equals,

    /// <summary>The field ends with the value (merged into <c>LIKE</c> conditions; <c>%</c> and <c>_</c> in the value are literal).</summary>
    EndsWith,
}
