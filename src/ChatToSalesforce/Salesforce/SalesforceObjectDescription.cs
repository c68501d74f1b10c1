namespace ChatToSalesforce.Salesforce;

/// <summary>The describe metadata of an sObject that the SDK validates values against.</summary>
public sealed class SalesforceObjectDescription
{
    private readonly Dictionary<string, SalesforceFieldDescription> _fields;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="name">The sObject name.</param>
    /// <param name="fields">The fields.</param>
    /// <param name="keyPrefix">The 3-character id prefix.</param>
    public SalesforceObjectDescription(string name, IEnumerable<SalesforceFieldDescription> fields, string? keyPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(fields);
        Name = name;
        KeyPrefix = keyPrefix;
        _fields = new Dictionary<string, SalesforceFieldDescription>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            _fields[field.Name] = field;
        }
    }

    /// <summary>Gets the sObject name.</summary>
    public string Name { get; }

    /// <summary>Gets the 3-character record id prefix.</summary>
    public string? KeyPrefix { get; }

    /// <summary>Gets the fields.</summary>
    public IReadOnlyCollection<SalesforceFieldDescription> Fields => _fields.Values;

    /// <summary>Finds a field by name (case-insensitive).</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The field, or <see langword="null"/>.</returns>
    public SalesforceFieldDescription? FindField(string name) => _fields.GetValueOrDefault(name);
}
