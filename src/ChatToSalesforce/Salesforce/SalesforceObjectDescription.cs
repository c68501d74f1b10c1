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

    /// <summary>Writes the description as a describe body <see cref="FromJson"/> reads back (what a shared cache stores).</summary>
    /// <returns>The compact describe body.</returns>
    internal JsonObject ToJson()
    {
        var fields = new JsonArray();
        foreach (var f in _fields.Values)
        {
            var picklist = new JsonArray();
            foreach (var value in f.PicklistValues)
            {
                picklist.Add((JsonNode)new JsonObject { ["value"] = value, ["active"] = true });
            }

            var references = new JsonArray();
            foreach (var target in f.ReferenceTo)
            {
                references.Add((JsonNode)JsonValue.Create(target));
            }

            fields.Add((JsonNode)new JsonObject
            {
                ["name"] = f.Name, ["type"] = f.Type, ["length"] = f.Length, ["nillable"] = f.Nillable, ["createable"] = f.Createable,
                ["updateable"] = f.Updateable, ["defaultedOnCreate"] = f.DefaultedOnCreate, ["externalId"] = f.IsExternalId,
                ["restrictedPicklist"] = f.IsRestrictedPicklist, ["unique"] = f.IsUnique, ["label"] = f.Label, ["filterable"] = f.IsFilterable, ["picklistValues"] = picklist, ["referenceTo"] = references,
            });
        }

        return new JsonObject { ["name"] = Name, ["keyPrefix"] = KeyPrefix, ["fields"] = fields };
    }

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
                Label = f["label"] is JsonValue label && label.TryGetValue<string>(out var labelText) ? labelText : null,
                IsFilterable = Bool(f["filterable"], true),
                ReferenceTo = f["referenceTo"] is JsonArray refs ? refs.Select(r => r?.GetValue<string>() ?? string.Empty).ToArray() : [],
            });
        }

        return new SalesforceObjectDescription(name, list, obj["keyPrefix"]?.GetValue<string>());

        static int Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
        static bool Bool(JsonNode? n, bool fallback) => n is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;
    }
}
