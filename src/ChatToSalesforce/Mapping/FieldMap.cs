using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Mapping;

/// <summary>Salesforce field values per sObject, produced by <see cref="IFieldMapper"/>.</summary>
public sealed class FieldMap
{
    private readonly Dictionary<string, SalesforceFieldValues> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _warnings = [];

    /// <summary>Gets the objects that have values.</summary>
    public IEnumerable<string> Objects => _values.Keys;

    /// <summary>Gets the warnings (truncations, dropped picklist values). They name fields, never values.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Gets the values for an sObject (an empty object when none are mapped).</summary>
    /// <param name="objectType">The sObject.</param>
    /// <returns>The values; changes to it change the map.</returns>
    public SalesforceFieldValues For(string objectType)
    {
        ArgumentNullException.ThrowIfNull(objectType);
        if (!_values.TryGetValue(objectType, out var values))
        {
            values = new();
            _values[objectType] = values;
        }

        return values;
    }

    /// <summary>Sets a value.</summary>
    /// <param name="objectType">The sObject.</param>
    /// <param name="field">The field.</param>
    /// <param name="value">The value: text, a boolean, a number, a date, a date-time or <see langword="null"/>, which clears the field (see <see cref="SalesforceFieldValues"/>).</param>
    /// <exception cref="ArgumentException">The value is not one a Salesforce field holds.</exception>
    public void Set(string objectType, string field, object? value) => For(objectType).Set(field, value);

    /// <summary>Adds a warning.</summary>
    /// <param name="warning">The warning; must not contain conversation content.</param>
    public void AddWarning(string warning) => _warnings.Add(warning);

    /// <inheritdoc />
    public override string ToString() => $"FieldMap ({string.Join(", ", _values.Select(v => $"{v.Key}: {v.Value.Count} fields"))})";
}
