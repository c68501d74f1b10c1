using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>The one place where <see cref="SalesforceFieldValues"/> meet Salesforce's JSON: request bodies and query records.</summary>
internal static class FieldValuesWire
{
    /// <summary>Writes one value as Salesforce expects it in a request body.</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case decimal d:
                w.WriteNumberValue(d);
                break;
            case double d:
                w.WriteNumberValue(d);
                break;
            case DateTimeOffset d:
                w.WriteStringValue(d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            case DateOnly d:
                w.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly t:
                w.WriteStringValue(t.ToString("HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            default:
                // SalesforceFieldValues refuses anything else when it is set.
                throw new InvalidOperationException("A field value of an unsupported kind reached the wire.");
        }
    }

    /// <summary>Writes the values as the properties of the current JSON object, leaving out <paramref name="skip"/>.</summary>
    public static void WriteProperties(Utf8JsonWriter w, SalesforceFieldValues values, IReadOnlyDictionary<string, string>? skip = null)
    {
        foreach (var (name, value) in values)
        {
            if (skip is not null && skip.ContainsKey(name))
            {
                continue;
            }

            w.WritePropertyName(name);
            WriteValue(w, value);
        }
    }

    /// <summary>Reads a record of a query response: <c>attributes</c> left out, relationship objects flattened to their
    /// SOQL paths (<c>Owner.Name</c>), child-relationship sub-query results left out.</summary>
    public static SalesforceFieldValues FromRecord(JsonObject record)
    {
        var values = new SalesforceFieldValues();
        Flatten(values, record, prefix: null);
        return values;
    }

    /// <summary>Reads the records of a query response page.</summary>
    public static List<SalesforceFieldValues> FromRecords(JsonNode? records)
    {
        var list = new List<SalesforceFieldValues>();
        if (records is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is JsonObject o)
                {
                    list.Add(FromRecord(o));
                }
            }
        }

        return list;
    }

    private static void Flatten(SalesforceFieldValues values, JsonObject record, string? prefix)
    {
        foreach (var (name, node) in record)
        {
            if (string.Equals(name, "attributes", StringComparison.Ordinal))
            {
                continue;
            }

            var path = prefix is null ? name : prefix + "." + name;
            switch (node)
            {
                case null:
                    values[path] = null;
                    break;
                case JsonObject child when child.ContainsKey("records") && child.ContainsKey("totalSize"):
                    break; // a child-relationship sub-query: not a field value
                case JsonObject child:
                    Flatten(values, child, path);
                    break;
                case JsonValue v:
                    values[path] = FromValue(v);
                    break;
                default:
                    break; // arrays are not field values
            }
        }
    }

    private static object? FromValue(JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                return v.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                if (v.TryGetValue<long>(out var l))
                {
                    return l;
                }

                if (v.TryGetValue<decimal>(out var d))
                {
                    return d;
                }

                return v.TryGetValue<double>(out var x) && double.IsFinite(x) ? x : null;
            default:
                return null;
        }
    }

}
