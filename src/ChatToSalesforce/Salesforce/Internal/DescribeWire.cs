using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Describe results as JSON: Salesforce's describe body, and the compact form a shared metadata cache stores.</summary>
internal static class DescribeWire
{
    /// <summary>Writes the description as a describe body <see cref="FromJson"/> reads back (what a shared cache stores).</summary>
    /// <param name="description">The description.</param>
    /// <returns>The compact describe body.</returns>
    public static JsonObject ToJson(SalesforceObjectDescription description)
    {
        var fields = new JsonArray();
        foreach (var f in description.Fields)
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

        return new JsonObject { ["name"] = description.Name, ["keyPrefix"] = description.KeyPrefix, ["fields"] = fields };
    }

    /// <summary>Reads a describe response body (<c>GET sobjects/{name}/describe</c>).</summary>
    /// <param name="describe">The JSON body.</param>
    /// <returns>The description.</returns>
    /// <exception cref="FormatException">The body is not a describe result.</exception>
    public static SalesforceObjectDescription FromJson(JsonNode describe)
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
