namespace ChatToSalesforce.Salesforce.Internal;

// The transport's description of one REST request, in its own file so the client stays under 500 lines.
internal sealed partial class SalesforceRestClient
{
    private sealed record Operation(
        string Name,
        HttpMethod Method,
        string Path,
        Func<HttpContent>? Content = null,
        IEnumerable<KeyValuePair<string, string>>? Headers = null,
        bool RetrySafe = false)
    {
        /// <summary>A bounded tag value (no object names): the first word of the name.</summary>
        public string Tag => Name.Split(' ')[0];
    }
}
