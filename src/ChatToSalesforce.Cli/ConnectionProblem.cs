namespace ChatToSalesforce.Cli;

/// <summary>
/// A failure that is not about one conversation but about the connection: the credentials were rejected, Salesforce
/// could not be reached, or the daily API limit is reached. Every further conversation would fail the same way, so
/// <c>export</c> stops at the first one and <c>check</c> reports it; both exit with <see cref="CliApp.ConnectionFailed"/>.
/// </summary>
/// <param name="Summary">One line for the operator: what happened and what to do.</param>
internal sealed record ConnectionProblem(string Summary)
{
    /// <summary>Classifies an error: a <see cref="ConnectionProblem"/> when it concerns the connection, otherwise <see langword="null"/>.</summary>
    /// <param name="error">The error of a failed conversation or request.</param>
    /// <param name="target">Where the CLI connects (the instance URL or the emulator).</param>
    /// <returns>The problem, or <see langword="null"/> for an error of one conversation (a validation rule, a duplicate).</returns>
    public static ConnectionProblem? From(Exception? error, string target) => error switch
    {
        SalesforceAuthenticationException { Error: "temporarily_unavailable" } e => new($"Salesforce could not be reached at {target}: {e.Message} Check the network and InstanceUrl, then run the export again."),
        SalesforceAuthenticationException { Error: null } e => new($"Authentication failed: {e.Message}"),
        SalesforceAuthenticationException e => new($"Salesforce rejected the credentials ({Detail(e)}). Check Authentication in the configuration (and the Salesforce__Authentication__* environment variables) with 'chat2sf check'."),
        SalesforceApiException { ErrorCode: "INVALID_SESSION_ID" } => new("Salesforce ended the session and a new one could not be obtained (INVALID_SESSION_ID); the connected app or the integration user may have been revoked. Check it with 'chat2sf check'."),
        SalesforceApiException { ErrorCode: "REQUEST_LIMIT_EXCEEDED" } => new("The org's daily API limit is reached (REQUEST_LIMIT_EXCEEDED); run the export again when the 24-hour window allows more calls."),
        SalesforceApiException { ErrorCode: "NETWORK_ERROR" or "TIMEOUT" } e => new($"Salesforce could not be reached at {target} ({e.ErrorCode}). Check the network and InstanceUrl, then run the export again."),
        HttpRequestException => new($"Salesforce could not be reached at {target}. Check the network and InstanceUrl, then run the export again."),
        _ => null,
    };

    private static string Detail(SalesforceAuthenticationException e) => e.ErrorDescription is null ? e.Error! : $"{e.Error}: {e.ErrorDescription}";
}
