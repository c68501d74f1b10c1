using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>A <c>/composite</c> request.</summary>
internal sealed class SalesforceCompositeRequest
{
    /// <summary>Gets or sets whether one failing subrequest rolls back all of them.</summary>
    public bool AllOrNone { get; set; } = true;

    /// <summary>Gets the subrequests (at most 25, of which at most 5 queries or collections).</summary>
    public IList<SalesforceSubrequest> Subrequests { get; } = new List<SalesforceSubrequest>();

    /// <summary>Gets headers sent with the composite request itself (for example <c>Sforce-Auto-Assign</c>).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One subrequest of a composite request.</summary>
/// <param name="Method">GET, POST, PATCH, PUT or DELETE.</param>
/// <param name="Url">The URL relative to the versioned data root, for example <c>sobjects/Task</c>; may contain <c>@{ref.id}</c> references.</param>
/// <param name="ReferenceId">The reference id other subrequests use.</param>
/// <param name="Body">The JSON body, if any.</param>
internal sealed record SalesforceSubrequest(string Method, string Url, string ReferenceId, JsonNode? Body = null)
{
    /// <summary>Gets headers for this subrequest (for example <c>Sforce-Auto-Assign</c>).</summary>
    public IReadOnlyDictionary<string, string>? HttpHeaders { get; init; }
}

/// <summary>The response of a composite request.</summary>
/// <param name="Responses">One entry per subrequest, in order.</param>
internal sealed record SalesforceCompositeResponse(IReadOnlyList<SalesforceSubresponse> Responses)
{
    /// <summary>Finds the response of a subrequest.</summary>
    /// <param name="referenceId">The reference id.</param>
    /// <returns>The response, or <see langword="null"/>.</returns>
    public SalesforceSubresponse? Find(string referenceId)
    {
        foreach (var response in Responses)
        {
            if (string.Equals(response.ReferenceId, referenceId, StringComparison.Ordinal))
            {
                return response;
            }
        }

        return null;
    }
}

/// <summary>The response of one composite subrequest.</summary>
/// <param name="ReferenceId">The subrequest's reference id.</param>
/// <param name="HttpStatusCode">The subrequest's status code.</param>
/// <param name="Body">The body (a save result, a query result, or an error array), if any.</param>
internal sealed record SalesforceSubresponse(string ReferenceId, int HttpStatusCode, JsonNode? Body)
{
    /// <summary>Gets whether the subrequest succeeded (2xx).</summary>
    public bool IsSuccess => HttpStatusCode is >= 200 and < 300;
}
