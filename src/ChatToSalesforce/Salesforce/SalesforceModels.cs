using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce;

/// <summary>The records a SOQL query returned.</summary>
/// <param name="TotalSize">Salesforce's <c>totalSize</c> (for <c>COUNT()</c> queries, the count).</param>
/// <param name="Records">The records, each with Salesforce's field names (relationship fields as nested objects).</param>
/// <param name="Requests">The API requests the query spent (one per page).</param>
public sealed record SalesforceQueryResult(int TotalSize, IReadOnlyList<JsonObject> Records, int Requests = 1);

/// <summary>A <c>/composite</c> request.</summary>
public sealed class SalesforceCompositeRequest
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
public sealed record SalesforceSubrequest(string Method, string Url, string ReferenceId, JsonNode? Body = null)
{
    /// <summary>Gets headers for this subrequest (for example <c>Sforce-Auto-Assign</c>).</summary>
    public IReadOnlyDictionary<string, string>? HttpHeaders { get; init; }
}

/// <summary>The response of a composite request.</summary>
/// <param name="Responses">One entry per subrequest, in order.</param>
public sealed record SalesforceCompositeResponse(IReadOnlyList<SalesforceSubresponse> Responses)
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
public sealed record SalesforceSubresponse(string ReferenceId, int HttpStatusCode, JsonNode? Body)
{
    /// <summary>Gets whether the subrequest succeeded (2xx).</summary>
    public bool IsSuccess => HttpStatusCode is >= 200 and < 300;
}

/// <summary>An sObject Collections request.</summary>
public sealed class SalesforceCollectionRequest
{
    /// <summary>Gets or sets the operation.</summary>
    public SalesforceCollectionOperation Operation { get; set; }

    /// <summary>Gets or sets the sObject (required for upserts).</summary>
    public string? ObjectType { get; set; }

    /// <summary>Gets or sets the external-id field (upserts).</summary>
    public string? ExternalIdField { get; set; }

    /// <summary>Gets or sets whether one failing record rolls back all of them.</summary>
    public bool AllOrNone { get; set; }

    /// <summary>Gets the records (at most 200); creates carry <c>attributes.type</c>, updates carry <c>Id</c>.</summary>
    public IList<JsonObject> Records { get; } = new List<JsonObject>();

    /// <summary>Gets headers sent with the request.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>An sObject Collections operation.</summary>
public enum SalesforceCollectionOperation
{
    /// <summary>POST: create records.</summary>
    Create,

    /// <summary>PATCH: update records by id.</summary>
    Update,

    /// <summary>PATCH on an external-id field: create or update.</summary>
    Upsert,
}

/// <summary>The result of saving one record.</summary>
/// <param name="Id">The record id, when saved.</param>
/// <param name="Success">Whether the save succeeded.</param>
/// <param name="Created">For upserts, whether the record was created.</param>
/// <param name="Errors">The errors, when it failed.</param>
public sealed record SalesforceSaveResult(string? Id, bool Success, bool? Created, IReadOnlyList<SalesforceError> Errors);

/// <summary>One error Salesforce reported.</summary>
/// <param name="ErrorCode">The <c>errorCode</c> (or <c>statusCode</c>), for example <c>REQUIRED_FIELD_MISSING</c>.</param>
/// <param name="Message">
/// Salesforce's message, verbatim. It can contain record values (<c>invalid email address: ada@…</c>, a phone number a
/// validation rule printed): show it to an operator if you must, but do not log it. <see cref="ToString"/> leaves it out.
/// </param>
/// <param name="Fields">The fields concerned.</param>
public sealed record SalesforceError(string? ErrorCode, string Message, IReadOnlyList<string> Fields)
{
    /// <summary>Gets the ids of records duplicate rules matched (<c>DUPLICATES_DETECTED</c>), when reported.</summary>
    public IReadOnlyList<string> DuplicateRecordIds { get; init; } = [];

    /// <summary>Returns the error code and the fields, never <see cref="Message"/> (it can contain record values).</summary>
    /// <returns>For example <c>INVALID_EMAIL_ADDRESS [Email]</c>.</returns>
    public override string ToString() =>
        (ErrorCode ?? "(no error code)") + (Fields.Count > 0 ? " [" + string.Join(", ", Fields) + "]" : string.Empty);
}

/// <summary>A file to upload as a ContentVersion.</summary>
/// <param name="FileName">The file name (<c>PathOnClient</c>; also the <c>Title</c> without extension).</param>
/// <param name="Content">The bytes.</param>
/// <param name="FirstPublishLocationId">The record the file is linked to.</param>
public sealed record SalesforceFileUpload(string FileName, ReadOnlyMemory<byte> Content, string? FirstPublishLocationId);

/// <summary>Who and where a client is connected.</summary>
/// <param name="InstanceUrl">The instance URL the token response returned (API calls go there).</param>
/// <param name="OrganizationId">The org id, from the identity URL.</param>
/// <param name="UserId">The connecting user's id, from the identity URL.</param>
/// <param name="ApiVersion">The API version used.</param>
public sealed record SalesforceConnection(Uri InstanceUrl, string? OrganizationId, string? UserId, string ApiVersion);
