using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>The default REST transport. Being replaced by the full implementation (transport issue).</summary>
internal sealed class SalesforceRestClient : ISalesforceClient
{
    public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<SalesforceCompositeResponse> SendCompositeAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<SalesforceSaveResult>> SendCollectionAsync(SalesforceCollectionRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
