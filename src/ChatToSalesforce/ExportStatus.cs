namespace ChatToSalesforce;

/// <summary>The outcome kind of an export.</summary>
public enum ExportStatus
{
    /// <summary>The transcript was written to Salesforce.</summary>
    Exported,

    /// <summary>Nothing was written: a filter did not hold, or the identity was insufficient. See <see cref="ConversationExportResult.SkipReason"/>.</summary>
    Skipped,

    /// <summary>The export failed (batch exports only; single exports throw). See <see cref="ConversationExportResult.Error"/>.</summary>
    Failed,
}
