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

    /// <summary>Reads the named fields of a record as text; a relationship path (<c>Account.Name</c>) reads the related record's field.</summary>
    public static Dictionary<string, string?> Values(SalesforceFieldValues record, IEnumerable<string> fields)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            values[field] = record.GetString(field);
        }

        return values;
    }
}
