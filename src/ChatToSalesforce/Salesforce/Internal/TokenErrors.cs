namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Turns OAuth token endpoint errors into <see cref="SalesforceAuthenticationException"/>s with an actionable hint.</summary>
/// <remarks>
/// The message carries the flow, the status, the OAuth <c>error</c> code and a hint; Salesforce's own <c>error_description</c>
/// is kept verbatim in <see cref="SalesforceAuthenticationException.ErrorDescription"/> only, like every text Salesforce writes.
/// </remarks>
internal static class TokenErrors
{
    public static SalesforceAuthenticationException ToException(SalesforceAuthFlow flow, int status, string? error, string? description)
    {
        var hint = Hint(flow, error, description)
                   ?? (string.IsNullOrEmpty(description) ? null : "Salesforce's description of the error is in ErrorDescription.");
        return new SalesforceAuthenticationException(
            error,
            description,
            $"Salesforce refused the token request ({flow} flow, HTTP {status}{(error is null ? string.Empty : ", " + error)}).{(hint is null ? string.Empty : " " + hint)}");
    }

    /// <summary>Token-endpoint descriptions of <c>invalid_grant</c> that mean a setting is wrong (not that the grant is gone).</summary>
    public static readonly string[] ConfigurationGrantDescriptions =
    [
        "audience is invalid", "invalid assertion", "request not supported on this domain", "IP restricted", "expired authorization code",
    ];

    /// <summary>
    /// The one rule for whether a token endpoint answer says the grant is gone for good (a revoked, expired or rotated-away
    /// refresh token, an inactive or frozen user or org, an app that is blocked or not approved): only the customer
    /// reconnecting helps. A wrong setting (<see cref="ConfigurationGrantDescriptions"/>, an unknown client), a server error or
    /// an unreachable endpoint is never a lost grant.
    /// </summary>
    public static bool IsGrantGone(string? error, string? description) =>
        (error?.ToLowerInvariant() is "inactive_user" or "inactive_org" or "invalid_app_access" or "oauth_app_blocked"
            || (error == "invalid_grant" && !ConfigurationGrantDescriptions.Any(d => (description ?? string.Empty).Contains(d, StringComparison.OrdinalIgnoreCase))));

    public static string? Hint(SalesforceAuthFlow flow, string? error, string? description)
    {
        var d = description ?? string.Empty;
        bool Has(string text) => d.Contains(text, StringComparison.OrdinalIgnoreCase);

        if (Has("hasn't approved this consumer") || Has("has not approved this consumer"))
        {
            return "The user is not pre-authorized for the app: in the External Client App (or connected app) set the OAuth policy 'Admin approved users are pre-authorized' and assign the integration user's profile or a permission set; for a sandbox also use LoginUrl https://test.salesforce.com.";
        }

        if (Has("audience is invalid"))
        {
            return "The JWT audience is wrong: set Authentication.LoginUrl to https://login.salesforce.com for production or https://test.salesforce.com for a sandbox.";
        }

        if (Has("request not supported on this domain"))
        {
            return "This flow must use the org's My Domain token URL (https://yourdomain.my.salesforce.com): set InstanceUrl to the My Domain and remove Authentication.TokenUrl if it points at login/test.salesforce.com.";
        }

        if (Has("expired access/refresh token"))
        {
            return flow == SalesforceAuthFlow.RefreshToken
                ? "The refresh token was revoked, expired, or already rotated away (reusing a rotated token revokes it): the user must authorize the app again. Register an ISalesforceRefreshTokenStore so rotated tokens are persisted."
                : "The token has expired; request a new one.";
        }

        if (Has("invalid assertion"))
        {
            return "The JWT signature did not verify: the certificate uploaded to the External Client App must match Authentication.PrivateKeyPem, and Authentication.ClientId must be that app's consumer key.";
        }

        if (Has("expired authorization code"))
        {
            return "The JWT assertion was considered expired: check this machine's clock (exp is now + 3 minutes, in seconds).";
        }

        if (Has("authentication failure"))
        {
            return "Salesforce refused the credentials; check the user's Login History in Setup for the reason (wrong user, IP restrictions, or a disabled flow).";
        }

        if (Has("inactive user") || Has("user is inactive"))
        {
            return "The integration user is inactive; activate it or use another user.";
        }

        if (Has("IP restricted"))
        {
            return "The login came from an IP address outside the profile's or app's allowed ranges; relax the IP policy for the app or allow this host's address.";
        }

        if (Has("inactive organization"))
        {
            return "The org is inactive (expired trial or deleted sandbox).";
        }

        return error switch
        {
            "invalid_client_id" => "The consumer key (Authentication.ClientId) is not known to this org: copy it from the External Client App's OAuth settings, and check the app is available in this org (a new app can take a few minutes to propagate).",
            "invalid_client" => "The consumer key or secret is wrong (Authentication.ClientId / ClientSecret), or the app does not allow this flow (enable it in the External Client App's OAuth settings).",
            "unsupported_grant_type" => "The app does not allow this flow: enable it in the External Client App's OAuth settings (for example 'Enable Client Credentials Flow' with a Run As user).",
            "invalid_request" => "The token request was malformed; check Authentication.ClientId, Username and the token URL.",
            _ => null,
        };
    }
}
