using System.Globalization;
using System.Text.Json.Nodes;
using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy.Internal;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>Runs an action's reads through the export's read path (one <see cref="ChunkReader"/>: batched rounds, cached describes).</summary>
internal static class ActionReads
{
    /// <summary>Runs <paramref name="work"/> against a reader of the tenant's org; returns its value and the API calls spent.</summary>
    public static async Task<(T Value, int ApiCalls)> RunAsync<T>(TenantContext tenant, Func<ISalesforceReader, Task<T>> work, CancellationToken cancellationToken)
    {
        var reader = new ChunkReader(tenant.Client, tenant.Cache, tenant.OrgKey, tenant.Options.MetadataCacheDuration);
        var task = work(reader);
        await reader.RunAsync([task], cancellationToken).ConfigureAwait(false);
        return (await task.ConfigureAwait(false), reader.ApiCalls);
    }

    /// <summary>Reads the named fields of a record as text; a relationship path (<c>Account.Name</c>) follows the nested objects.</summary>
    public static Dictionary<string, string?> Values(JsonObject record, IEnumerable<string> fields)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            JsonNode? node = record;
            foreach (var segment in field.Split('.'))
            {
                node = node is JsonObject o ? Get(o, segment) : null;
            }

            values[field] = Text(node);
        }

        return values;
    }

    /// <summary>A JSON value as text: strings as they are, numbers and booleans invariantly, null and objects as <see langword="null"/>.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<decimal>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    private static JsonNode? Get(JsonObject o, string name)
    {
        if (o.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in o)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
