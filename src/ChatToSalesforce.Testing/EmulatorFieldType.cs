namespace ChatToSalesforce.Testing;

/// <summary>The data type of a field, as reported by describe (<c>type</c>).</summary>
public enum EmulatorFieldType
{
    /// <summary>Single-line text (<c>string</c>).</summary>
    Text,
    /// <summary>Long text (<c>textarea</c>).</summary>
    TextArea,
    /// <summary>An email address (<c>email</c>), validated on write.</summary>
    Email,
    /// <summary>A phone number (<c>phone</c>).</summary>
    Phone,
    /// <summary>A URL (<c>url</c>).</summary>
    Url,
    /// <summary>A decimal number (<c>double</c>).</summary>
    Number,
    /// <summary>A whole number (<c>int</c>).</summary>
    Integer,
    /// <summary>A currency amount (<c>currency</c>).</summary>
    Currency,
    /// <summary>A checkbox (<c>boolean</c>); never null, defaults to false.</summary>
    Boolean,
    /// <summary>A calendar date (<c>date</c>), <c>yyyy-MM-dd</c>.</summary>
    Date,
    /// <summary>A UTC timestamp (<c>datetime</c>).</summary>
    DateTime,
    /// <summary>A picklist (<c>picklist</c>), optionally restricted to its values.</summary>
    Picklist,
    /// <summary>A lookup to another object (<c>reference</c>).</summary>
    Reference,
}
