namespace ChatToSalesforce.Connect;

/// <summary>The start of a connection: the URL to redirect the admin's browser to.</summary>
/// <param name="AuthorizationUrl">Salesforce's authorization URL with the client id, callback, scopes, state and PKCE challenge.</param>
/// <param name="State">The state the callback must bring back (single use).</param>
/// <param name="ExpiresAt">When the state expires.</param>
public sealed record SalesforceAuthorizationStart(Uri AuthorizationUrl, string State, DateTimeOffset ExpiresAt);
