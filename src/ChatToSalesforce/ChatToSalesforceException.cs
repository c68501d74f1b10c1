using ChatToSalesforce.Failures.Internal;

namespace ChatToSalesforce;

/// <summary>The base class of the exceptions this library throws.</summary>
/// <remarks>
/// Every instance says what a work queue should do with the conversation that failed: <see cref="FailureKind"/> and, where
/// waiting helps, <see cref="RetryAfter"/> (docs/failures-and-queues.md).
/// </remarks>
public abstract class ChatToSalesforceException : Exception
{
    private readonly TimeSpan? _retryAfter;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A message that never contains secrets or conversation content.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected ChatToSalesforceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance whose kind is fixed by its type (for the SDK's own exceptions).</summary>
    /// <param name="message">A message that never contains secrets or conversation content.</param>
    /// <param name="failureKind">The kind every instance of the type has.</param>
    /// <param name="innerException">The cause, if any.</param>
    private protected ChatToSalesforceException(string message, ExportFailureKind failureKind, Exception? innerException = null)
        : base(message, innerException)
    {
        DeclaredKind = failureKind;
    }

    /// <summary>Gets what the failed conversation needs before it can succeed (retry later, wait for the window, reconnect, fix configuration, rejected data).</summary>
    /// <value>Derived from the error (its type, HTTP status, Salesforce or OAuth error code); the same for every instance of the same error.</value>
    public ExportFailureKind FailureKind => ExportFailureClassifier.Classify(this).Kind;

    /// <summary>Gets the suggested delay before the conversation is tried again, or <see langword="null"/> when a timer will not help.</summary>
    /// <value>
    /// For <see cref="ExportFailureKind.RetryLater"/> a short delay (the SDK has already retried with backoff); for
    /// <see cref="ExportFailureKind.WaitForWindow"/> the time until the API window is expected to free up; <see langword="null"/>
    /// for the kinds that need a person (reconnect, fix configuration, rejected data). A transport may suggest its own delay
    /// when it creates the exception; it is used only for the kinds that retry on a timer.
    /// </value>
    public TimeSpan? RetryAfter
    {
        get => ExportFailureClassifier.Classify(this).RetryAfter;
        init => _retryAfter = value;
    }

    /// <summary>The kind fixed by the exception's type, if any.</summary>
    internal ExportFailureKind? DeclaredKind { get; }

    /// <summary>The delay suggested where the exception was made, if any.</summary>
    internal TimeSpan? SuggestedRetryAfter => _retryAfter;
}
