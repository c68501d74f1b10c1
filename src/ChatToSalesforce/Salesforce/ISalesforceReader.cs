namespace ChatToSalesforce.Salesforce;

/// <summary>The reads a stage may make during an export. Reads are gathered and sent together.</summary>
/// <remarks>
/// Queries and describes requested by the identity matcher and the owner resolver before they first await are sent
/// in one <c>/composite</c> request (one API call). To keep that economy, start every query you need, then await them
/// (for example with <c>Task.WhenAll</c>); a query started after an await costs another round trip. Describe results
/// and agent Users are cached per org.
/// </remarks>
public interface ISalesforceReader
{
    /// <summary>Runs a SOQL query as part of the current read round.</summary>
    /// <param name="soql">The query; build literals with <see cref="Soql"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    ValueTask<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken);

    /// <summary>Describes an sObject (cached per org).</summary>
    /// <param name="objectType">The sObject name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The description.</returns>
    ValueTask<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken);

    /// <summary>Gets the connection (org, connecting user).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The connection.</returns>
    ValueTask<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken);
}
