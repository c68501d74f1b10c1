using System.Text.Json.Nodes;

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

    /// <summary>Reads a describe response body (<c>GET sobjects/{name}/describe</c>).</summary>
    /// <param name="describe">The JSON body.</param>
    /// <returns>The description.</returns>
    /// <exception cref="FormatException">The body is not a describe result.</exception>
    internal static SalesforceObjectDescription FromJson(JsonNode describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        if (describe is not JsonObject obj || obj["name"]?.GetValue<string>() is not { } name || obj["fields"] is not JsonArray fields)
        {
            throw new FormatException("The describe response has no 'name' or 'fields'.");
        }

        var list = new List<SalesforceFieldDescription>(fields.Count);
        foreach (var node in fields)
        {
            if (node is not JsonObject f || f["name"]?.GetValue<string>() is not { } fieldName)
            {
                continue;
            }

            var picklist = new List<string>();
            if (f["picklistValues"] is JsonArray values)
            {
                foreach (var v in values)
                {
                    if (v is JsonObject pv && (pv["active"]?.GetValue<bool>() ?? true) && pv["value"]?.GetValue<string>() is { } value)
                    {
                        picklist.Add(value);
                    }
                }
            }

            list.Add(new SalesforceFieldDescription(
                fieldName,
                f["type"]?.GetValue<string>() ?? "string",
                Int(f["length"]),
                Bool(f["nillable"], true),
                Bool(f["createable"], false),
                Bool(f["updateable"], false),
                Bool(f["defaultedOnCreate"], false),
                Bool(f["externalId"], false) || Bool(f["idLookup"], false) && fieldName.EndsWith("__c", StringComparison.OrdinalIgnoreCase),
                Bool(f["restrictedPicklist"], false),
                picklist)
            {
                IsUnique = Bool(f["unique"], false),
                ReferenceTo = f["referenceTo"] is JsonArray refs ? refs.Select(r => r?.GetValue<string>() ?? string.Empty).ToArray() : [],
            });
        }

        return new SalesforceObjectDescription(name, list, obj["keyPrefix"]?.GetValue<string>());

        static int Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
        static bool Bool(JsonNode? n, bool fallback) => n is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;
    }
}

/// <summary>The describe metadata of one field.</summary>
/// <param name="Name">The API name.</param>
/// <param name="Type">Salesforce's field type, for example <c>string</c>, <c>email</c>, <c>picklist</c>, <c>datetime</c>.</param>
/// <param name="Length">The maximum length in characters (text fields), else 0.</param>
/// <param name="Nillable">Whether the field may be empty.</param>
/// <param name="Createable">Whether the field can be set on create.</param>
/// <param name="Updateable">Whether the field can be set on update.</param>
/// <param name="DefaultedOnCreate">Whether Salesforce fills it on create when it is not given.</param>
/// <param name="IsExternalId">Whether it is an external-id field.</param>
/// <param name="IsRestrictedPicklist">Whether only <paramref name="PicklistValues"/> are accepted.</param>
/// <param name="PicklistValues">The active picklist values.</param>
public sealed record SalesforceFieldDescription(
    string Name,
    string Type,
    int Length,
    bool Nillable,
    bool Createable,
    bool Updateable,
    bool DefaultedOnCreate,
    bool IsExternalId,
    bool IsRestrictedPicklist,
    IReadOnlyList<string> PicklistValues)
{
    /// <summary>Gets whether the field is unique.</summary>
    public bool IsUnique { get; init; }

    /// <summary>Gets the objects a reference field points to.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    /// <summary>Gets whether the field must be given on create (not nillable, not defaulted, createable, not boolean).</summary>
    public bool IsRequiredOnCreate => !Nillable && !DefaultedOnCreate && Createable && !string.Equals(Type, "boolean", StringComparison.OrdinalIgnoreCase);
}
