namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>
/// A <see cref="ISalesforceClient.WriteAsync"/> call that took several graph requests, one of which failed as a whole: the
/// results of the units the other requests carried, and the failure (<see cref="Exception.InnerException"/>) of that request.
/// </summary>
/// <remarks>
/// Without it the failure of a later request would hide what the earlier ones committed, and those units would be reported
/// failed although they exist. The write engine unwraps it: only the units of the failed request are in doubt.
/// </remarks>
internal sealed class IncompleteWriteException : Exception
{
    public IncompleteWriteException(IReadOnlyList<SalesforceWriteResult?> written, int apiCalls, Exception failure)
        : base(failure.Message, failure)
    {
        Written = written;
        ApiCalls = apiCalls;
    }

    /// <summary>
    /// Gets one result per unit of the call: as answered for the units of the requests Salesforce answered, not processed
    /// (<see cref="SalesforceWriteResult.NotProcessed"/>) for those of the requests not sent, and <see langword="null"/> for
    /// the units of the request that failed (their outcome is what <see cref="Exception.InnerException"/> says).
    /// </summary>
    public IReadOnlyList<SalesforceWriteResult?> Written { get; }

    /// <summary>Gets the API calls of the requests Salesforce answered.</summary>
    public int ApiCalls { get; }
}
