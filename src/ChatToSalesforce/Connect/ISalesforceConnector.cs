namespace ChatToSalesforce.Connect;

/// <summary>
/// "Connect to Salesforce" for a tenant: the OAuth 2.0 web-server flow with PKCE, from the authorization URL to the stored
/// refresh token, and "Disconnect". Registered by <c>AddSalesforceChatExport</c>; needs an <see cref="ISalesforceConnectionStore"/>.
/// </summary>
public interface ISalesforceConnector
{
    /// <summary>
    /// Builds the authorization URL to send the admin's browser to, with a <c>state</c> that is bound to the tenant,
    /// single-use and expiring, and a PKCE (S256) challenge whose verifier never leaves the server.
    /// </summary>
    /// <param name="request">The tenant, the login host and the callback URL.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The URL to redirect to, and its state.</returns>
    /// <exception cref="ArgumentException">The request is invalid (the message names the property).</exception>
    ValueTask<SalesforceAuthorizationStart> StartAsync(SalesforceConnectRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes the flow on the callback: validates the state, exchanges the code (with the verifier, and the client
    /// secret when the app has one), reads the identity, and stores the connection. Never throws for what Salesforce or the
    /// browser sent: every outcome is a result (connected, denied, or failed with a specific error), and nothing is stored
    /// unless connected.
    /// </summary>
    /// <param name="callback">The callback's query values and the callback URL they arrived at.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What to show the admin.</returns>
    ValueTask<SalesforceConnectResult> CompleteAsync(SalesforceCallback callback, CancellationToken cancellationToken = default);

    /// <summary>Revokes the tenant's refresh token at Salesforce and deletes the connection from the store.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was done.</returns>
    ValueTask<SalesforceDisconnectResult> DisconnectAsync(string tenantId, CancellationToken cancellationToken = default);
}
