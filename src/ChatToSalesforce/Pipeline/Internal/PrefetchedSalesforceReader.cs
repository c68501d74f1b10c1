using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// The reader the stages see during a batch export: it answers the queries and describes a chunk prefetched together,
/// and passes anything else to a per-conversation <see cref="BatchedSalesforceReader"/> (a read round of its own).
/// </summary>
/// <remarks>
/// Answers are keyed by the exact SOQL text the default stages issue for one conversation (for example
/// <c>DefaultIdentityMatcher.BuildQuery</c>), so a stage runs its own, unchanged logic on the prefetched records.
/// </remarks>
internal sealed class PrefetchedSalesforceReader(BatchPrefetch prefetch, BatchedSalesforceReader fallback) : ISalesforceReader
{
    public ValueTask<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(soql);
        if (prefetch.TryGetAnswer(soql, out var records, out var error))
        {
            if (error is not null)
            {
                return ValueTask.FromException<SalesforceQueryResult>(error);
            }

            // Each conversation gets its own copies: stages may keep (and the unit of work may edit) what they read.
            var copies = new List<JsonObject>(records.Count);
            foreach (var record in records)
            {
                copies.Add((JsonObject)record.DeepClone());
            }

            return ValueTask.FromResult(new SalesforceQueryResult(copies.Count, copies, 0));
        }

        return fallback.QueryAsync(soql, cancellationToken);
    }

    public ValueTask<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken) =>
        prefetch.TryGetDescribe(objectType, out var description)
            ? ValueTask.FromResult(description)
            : fallback.DescribeAsync(objectType, cancellationToken);

    public ValueTask<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken) => fallback.GetConnectionAsync(cancellationToken);
}
