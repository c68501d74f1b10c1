namespace ChatToSalesforce.Actions;

/// <summary>Looks a chat visitor up in Salesforce while the conversation is going on (the agent console).</summary>
/// <remarks>
/// The lookup applies the export's identification: the same <see cref="SalesforceChatExportOptions.Identity"/> rules,
/// precedence and several-matches policy, through the registered identity matcher, so the console shows the person the
/// export will write to. It costs one API call when nothing is cached and none while the same lookup is cached
/// (<see cref="ChatActionOptions.CacheDuration"/>). Registered by <c>AddSalesforceChatExport</c>.
/// </remarks>
public interface IVisitorLookup
{
    /// <summary>Finds the Contacts, Leads or Person Accounts the visitor is in Salesforce.</summary>
    /// <param name="request">What is known about the visitor, and the fields to return.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The match and the other records the deciding rule found; "nobody" is a normal result.</returns>
    /// <exception cref="ArgumentException">A requested field is not written as <c>Object.Field</c>, or two names of <see cref="VisitorLookupRequest.Values"/> differ only in case.</exception>
    /// <exception cref="SalesforceApiException">Salesforce rejected the lookup (for example a requested field does not exist).</exception>
    Task<VisitorLookupResult> LookupAsync(VisitorLookupRequest request, CancellationToken cancellationToken = default);
}
