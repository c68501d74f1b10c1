namespace ChatToSalesforce.Salesforce;

/// <summary>The reads a stage may make during an export. Reads are gathered and sent together.</summary>
/// <remarks>
/// <para>An export runs the stages of a whole chunk of conversations (a single export is a chunk of one) against one
/// reader. Reads started before a stage awaits are sent together, in one <c>/composite</c> request per round, for every
/// conversation of the chunk. Keyed lookups (<see cref="LookupAsync"/>) of different conversations are merged into
/// shared <c>IN</c> queries, so a stage that uses them is batched: prefer them to <see cref="QueryAsync"/>, which sends
/// one query per conversation.</para>
/// <para>To keep that economy, start every read you need, then await them (for example with <c>Task.WhenAll</c>);
/// a read started after an await costs another round. Describe results are cached per org. A lookup value Salesforce
/// rejects fails only the conversations that asked for it.</para>
/// </remarks>
public interface ISalesforceReader
{
    /// <summary>Finds the records whose field matches a value, as part of the current read round (merged with the
    /// same lookup of other conversations).</summary>
    /// <param name="lookup">The lookup.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The matching records, most recently modified first (relationship fields under their path, for example <c>Owner.Name</c>); each caller gets its own copies.</returns>
    ValueTask<IReadOnlyList<SalesforceFieldValues>> LookupAsync(SalesforceLookup lookup, CancellationToken cancellationToken);

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
