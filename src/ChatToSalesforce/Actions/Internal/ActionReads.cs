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

    /// <summary>
    /// Copies a request's values by name, without case (as placeholders and sources are matched); <paramref name="problem"/>
    /// names the two names when two differ only in case (which one to use is unclear). Values are never in the problem.
    /// </summary>
    public static Dictionary<string, string?> RequestValues(IReadOnlyDictionary<string, string?> values, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(values);
        problem = null;
        var copy = new Dictionary<string, string?>(values.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            if (!copy.TryAdd(name, value) && problem is null)
            {
                var first = copy.Keys.First(k => StringComparer.OrdinalIgnoreCase.Equals(k, name));
                problem = $"Values: '{first}' and '{name}' differ only in case, and value names are matched without case, so which one to use is unclear; give each value once.";
            }
        }

        return copy;
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
