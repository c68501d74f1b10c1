namespace ChatToSalesforce.Journal.Internal;

/// <summary>The journal's failure kinds, as stored (text, so the store outlives any enum's numbering).</summary>
internal static class FailureKinds
{
    public const string RetryLater = "retry-later";
    public const string WaitForWindow = "wait-for-window";
    public const string Reconnect = "reconnect";
    public const string FixConfiguration = "fix-configuration";
    public const string RejectedData = "rejected-data";

    public static IReadOnlyList<string> All { get; } = [RetryLater, WaitForWindow, Reconnect, FixConfiguration, RejectedData];

    /// <summary>Reads a kind as a user types it: <c>fix-configuration</c>, <c>FixConfiguration</c> or <c>fix_configuration</c>.</summary>
    public static string? Parse(string text)
    {
        var plain = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return All.FirstOrDefault(k => string.Equals(k.Replace("-", string.Empty, StringComparison.Ordinal), plain, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The SDK's failure kind (<see cref="ConversationExportResult.FailureKind"/>, one classification for the SDK and the journal), as stored text.</summary>
internal static class FailureClassifier
{
    public static string Classify(ConversationExportResult result) =>
        result.FailureKind is { } kind ? Text(kind) : FailureKinds.RetryLater;

    /// <summary>The kind of an exception an export threw (the SDK classifies it as it would a failed result).</summary>
    public static string Classify(Exception error) => Classify(ConversationExportResult.Failed(string.Empty, error));

    public static string Text(ExportFailureKind kind) => kind switch
    {
        ExportFailureKind.RetryLater => FailureKinds.RetryLater,
        ExportFailureKind.WaitForWindow => FailureKinds.WaitForWindow,
        ExportFailureKind.Reconnect => FailureKinds.Reconnect,
        ExportFailureKind.FixConfiguration => FailureKinds.FixConfiguration,
        _ => FailureKinds.RejectedData,
    };

    public static string? ErrorCodeOf(Exception? error) => error switch
    {
        SalesforceApiException api => api.ErrorCode,
        SalesforceAuthenticationException auth => auth.Error,
        _ => null,
    };
}
