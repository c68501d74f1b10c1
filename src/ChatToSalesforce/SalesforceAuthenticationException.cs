namespace ChatToSalesforce;

/// <summary>The SDK could not obtain a Salesforce access token.</summary>
public sealed class SalesforceAuthenticationException : ChatToSalesforceException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="error">The OAuth <c>error</c>, for example <c>invalid_grant</c>.</param>
    /// <param name="errorDescription">The OAuth <c>error_description</c>.</param>
    /// <param name="message">A message that says what to do; never contains secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SalesforceAuthenticationException(string? error, string? errorDescription, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        ErrorDescription = errorDescription;
    }

    /// <summary>Gets the OAuth <c>error</c> code.</summary>
    public string? Error { get; }

    /// <summary>Gets the OAuth <c>error_description</c>.</summary>
    public string? ErrorDescription { get; }

    /// <summary>Whether Salesforce said the grant is gone (revoked or expired refresh token, inactive or frozen user, blocked app): only a reconnect helps.</summary>
    internal bool GrantGone => Salesforce.Internal.TokenErrors.IsGrantGone(Error, ErrorDescription);
}
