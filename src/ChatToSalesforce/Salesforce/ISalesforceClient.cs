using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce;

/// <summary>The Salesforce REST transport the exporter's unit of work talks through.</summary>
/// <remarks>
/// The default implementation authenticates, retries what is safe to repeat, parses <c>Sforce-Limit-Info</c> and maps
/// errors to <see cref="SalesforceApiException"/>. Replace it with <c>builder.UseSalesforceClient&lt;T&gt;()</c> to use the
/// host's own transport: it speaks typed operations (queries, keyed reads, units of record writes, file uploads), never
/// URLs or JSON envelopes, so a host implements what Salesforce does, not how our wire format looks. Implementations
/// must be thread-safe. See docs/resilience.md ("Your own transport").
/// </remarks>
public interface ISalesforceClient
{
    /// <summary>Runs a SOQL query and follows <c>nextRecordsUrl</c> until all records are read.</summary>
    /// <param name="soql">The query; every literal must come from <see cref="Soql"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The records and the number of API requests spent.</returns>
    Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default);

    /// <summary>Sends reads (queries and describes) together, in as few API calls as Salesforce allows.</summary>
    /// <param name="reads">The reads.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per read, in order (a read Salesforce rejects carries its error; it is not thrown), and the API calls spent.</returns>
    /// <remarks>A query returns its first page; <see cref="SalesforceReadResult.HasMorePages"/> says when more follow.</remarks>
    Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default);

    /// <summary>Writes units of records, each applied all or nothing, in as few API calls as Salesforce allows.</summary>
    /// <param name="units">The units (one per conversation).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per unit, in order, and the API calls spent.</returns>
    /// <remarks>
    /// A unit Salesforce rejects is reported in its result, not thrown; its writes were rolled back. An exception means
    /// the outcome of the call is unknown unless it says otherwise (<see cref="SalesforceApiException.IsTransient"/> on a
    /// response Salesforce sent before processing): never resend such a call blindly.
    /// </remarks>
    Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default);

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
