namespace ChatToSalesforce.Salesforce;

/// <summary>Who and where a client is connected.</summary>
/// <param name="InstanceUrl">The instance URL the token response returned (API calls go there).</param>
/// <param name="OrganizationId">The org id, from the identity URL.</param>
/// <param name="UserId">The connecting user's id, from the identity URL.</param>
/// <param name="ApiVersion">The API version used.</param>
public sealed record SalesforceConnection(Uri InstanceUrl, string? OrganizationId, string? UserId, string ApiVersion);
