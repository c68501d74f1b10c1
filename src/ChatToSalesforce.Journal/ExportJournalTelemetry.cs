namespace ChatToSalesforce.Journal;

/// <summary>The names the export journal publishes metrics and logs under.</summary>
/// <remarks>Subscribe with <c>AddMeter(ExportJournalTelemetry.MeterName)</c>. Log event ids are 4000–4099.</remarks>
public static class ExportJournalTelemetry
{
    /// <summary>The name of the journal's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "ChatToSalesforce.Journal";

    /// <summary>Counter (<c>{outcome}</c>): outcomes written to the store (tag <c>chat_to_salesforce.export.status</c>).</summary>
    public const string RecordsWrittenMetric = "chat_to_salesforce.journal.records.written";

    /// <summary>Counter (<c>{write}</c>): writes to the store that failed (tag <c>error.type</c>: a short code such as <c>sqlite_full</c> or <c>unreachable</c>).</summary>
    public const string WriteFailuresMetric = "chat_to_salesforce.journal.write.failures";

    /// <summary>Counter (<c>{outcome}</c>): outcomes dropped because the store stayed unwritable longer than the in-memory buffer could hold.</summary>
    public const string RecordsDroppedMetric = "chat_to_salesforce.journal.records.dropped";

    /// <summary>Observable gauge (<c>{outcome}</c>): outcomes kept in memory, waiting for the store.</summary>
    public const string RecordsBufferedMetric = "chat_to_salesforce.journal.records.buffered";
}
