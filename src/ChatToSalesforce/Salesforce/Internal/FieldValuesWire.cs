using System.Globalization;
using System.Text.Json;

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
            case Utf8FieldText text:
                w.WriteStringValue(text.Utf8);
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
        foreach (var (name, value) in values.Held)
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
    public static SalesforceFieldValues FromRecord(JsonElement record)
    {
        var values = new SalesforceFieldValues();
        Flatten(values, record, prefix: null);
        return values;
    }

    /// <summary>Reads the records of a query response page (anything but an array of objects reads as none).</summary>
    public static List<SalesforceFieldValues> FromRecords(JsonElement records)
    {
        var list = new List<SalesforceFieldValues>(records.ValueKind == JsonValueKind.Array ? records.GetArrayLength() : 0);
        if (records.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in records.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    list.Add(FromRecord(item));
                }
            }
        }

        return list;
    }

    /// <summary>
    /// Reads a page of a query answer (<c>GET query</c>, or a query subrequest's body) as it arrived, without building JSON
    /// nodes: its size, its records, and where the next page is when it is not the last one. A body that is empty or not a
    /// JSON object reads as an empty last page.
    /// </summary>
    public static QueryPage ReadQueryPage(ReadOnlyMemory<byte> body) => TryReadQueryPage(body, out var page) ? page : QueryPage.Empty;

    /// <summary>Reads a page of a query answer; false (and an empty last page) when the body is empty or not a JSON object.</summary>
    public static bool TryReadQueryPage(ReadOnlyMemory<byte> body, out QueryPage page)
    {
        page = QueryPage.Empty;
        if (body.IsEmpty)
        {
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var total = root.TryGetProperty("totalSize", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var n) ? n : 0;
            var records = root.TryGetProperty("records", out var r) ? FromRecords(r) : [];
            var done = !(root.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.False);
            var next = root.TryGetProperty("nextRecordsUrl", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            page = new QueryPage(total, records, done, next);
            return true;
        }
    }

    private static void Flatten(SalesforceFieldValues values, JsonElement record, string? prefix)
    {
        foreach (var property in record.EnumerateObject())
        {
            if (property.NameEquals("attributes"u8))
            {
                continue;
            }

            var path = prefix is null ? property.Name : prefix + "." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    values[path] = null;
                    break;
                case JsonValueKind.Object when value.TryGetProperty("records"u8, out _) && value.TryGetProperty("totalSize"u8, out _):
                    break; // a child-relationship sub-query: not a field value
                case JsonValueKind.Object:
                    Flatten(values, value, path);
                    break;
                case JsonValueKind.Array or JsonValueKind.Undefined:
                    break; // arrays are not field values
                default:
                    values[path] = FromValue(value);
                    break;
            }
        }
    }

    private static object? FromValue(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                return v.GetString();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                if (v.TryGetInt64(out var l))
                {
                    return l;
                }

                if (v.TryGetDecimal(out var d))
                {
                    return d;
                }

                return v.TryGetDouble(out var x) && double.IsFinite(x) ? x : null;
            default:
                return null;
        }
    }
}

/// <summary>A page of a query answer.</summary>
/// <param name="TotalSize">The answer's <c>totalSize</c>: records of all pages.</param>
/// <param name="Records">This page's records.</param>
/// <param name="Done">Whether this is the last page (only <c>"done": false</c> says otherwise).</param>
/// <param name="NextRecordsUrl">Where the next page is, when Salesforce says.</param>
internal sealed record QueryPage(int TotalSize, List<SalesforceFieldValues> Records, bool Done, string? NextRecordsUrl)
{
    public static QueryPage Empty => new(0, [], true, null);
}
