using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce;

/// <summary>The Salesforce REST transport the exporter's unit of work talks through.</summary>
/// <remarks>
/// The default implementation authenticates, retries what is safe to repeat, parses <c>Sforce-Limit-Info</c> and maps
/// errors to <see cref="SalesforceApiException"/>. Replace it with <c>builder.UseSalesforceClient&lt;T&gt;()</c> to use the
/// host's own transport. URLs in requests are relative to the versioned data root (<c>sobjects/Contact</c>, <c>query?q=...</c>);
/// the client expands them to <c>/services/data/vXX.X/...</c>. Implementations must be thread-safe.
/// </remarks>
public interface ISalesforceClient
{
    /// <summary>Runs a SOQL query and follows <c>nextRecordsUrl</c> until all records are read.</summary>
    /// <param name="soql">The query; every literal must come from <see cref="Soql"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The records and the number of API requests spent.</returns>
    Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default);

    /// <summary>Sends a <c>/composite</c> request (one API call). Subrequest failures are reported in the response, not thrown.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One response per subrequest, in order.</returns>
    Task<SalesforceCompositeResponse> SendCompositeAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sends an sObject Collections request (<c>/composite/sobjects</c>, up to 200 records, one API call).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One save result per record, in order.</returns>
    Task<IReadOnlyList<SalesforceSaveResult>> SendCollectionAsync(SalesforceCollectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes an sObject (fields, types, lengths, picklists).</summary>
    /// <param name="objectType">The sObject name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The description.</returns>
    Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default);

    /// <summary>Uploads a file as a ContentVersion with a multipart request (for files too large for a composite body).</summary>
    /// <param name="file">The file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The save result of the ContentVersion.</returns>
    Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default);

    /// <summary>Authenticates (if needed) and returns who and where the client is connected.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the org's limits (<c>GET /limits</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The raw limits document.</returns>
    Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default);
}
