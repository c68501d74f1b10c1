namespace ChatToSalesforce;

/// <summary>The base class of the exceptions this library throws.</summary>
public abstract class ChatToSalesforceException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A message that never contains secrets or conversation content.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected ChatToSalesforceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
