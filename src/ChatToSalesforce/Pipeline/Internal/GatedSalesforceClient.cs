using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// Wraps the transport for one chunk of a batch export: every request waits for a slot of the batch's
/// <see cref="SalesforceChatExportOptions.MaxConcurrency"/> gate, and the API calls spent are counted.
/// </summary>
internal sealed class GatedSalesforceClient(ISalesforceClient inner, SemaphoreSlim gate) : ISalesforceClient
{
    private int _apiCalls;

    /// <summary>Gets the API calls spent through this client.</summary>
    public int ApiCalls => Volatile.Read(ref _apiCalls);

    public async Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(() => inner.QueryAsync(soql, cancellationToken), 0, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _apiCalls, result.Requests);
        return result;
    }

    public Task<SalesforceCompositeResponse> SendCompositeAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.SendCompositeAsync(request, cancellationToken), 1, cancellationToken);

    public Task<IReadOnlyList<SalesforceSaveResult>> SendCollectionAsync(SalesforceCollectionRequest request, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.SendCollectionAsync(request, cancellationToken), 1, cancellationToken);

    public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.DescribeAsync(objectType, cancellationToken), 1, cancellationToken);

    public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.UploadFileAsync(file, cancellationToken), 1, cancellationToken);

    public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => inner.GetConnectionAsync(cancellationToken);

    public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.GetLimitsAsync(cancellationToken), 1, cancellationToken);

    private async Task<T> RunAsync<T>(Func<Task<T>> call, int calls, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Counted when sent: a request that failed on the wire may still have reached Salesforce.
            Interlocked.Add(ref _apiCalls, calls);
            return await call().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
