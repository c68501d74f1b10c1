using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Export.Internal;

/// <summary>
/// Wraps the transport so that every request of every export in the process (single and batch) waits for a slot of
/// one gate of <see cref="SalesforceChatExportOptions.MaxConcurrency"/> requests.
/// </summary>
internal sealed class GatedSalesforceClient(ISalesforceClient inner, SemaphoreSlim gate) : ISalesforceClient
{
    public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.QueryAsync(soql, cancellationToken), cancellationToken);

    public Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.ReadAsync(reads, cancellationToken), cancellationToken);

    public Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.WriteAsync(units, cancellationToken), cancellationToken);

    public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.DescribeAsync(objectType, cancellationToken), cancellationToken);

    public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.UploadFileAsync(file, cancellationToken), cancellationToken);

    public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => inner.GetConnectionAsync(cancellationToken);

    public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() => inner.GetLimitsAsync(cancellationToken), cancellationToken);

    private async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
