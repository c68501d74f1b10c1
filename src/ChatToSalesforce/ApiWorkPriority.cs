namespace ChatToSalesforce;

/// <summary>
/// What kind of work an API call serves, for <see cref="ApiBudgetOptions"/>: as the org's daily allocation fills up,
/// backfills stop first, then live exports; lookups and bot actions during a conversation continue the longest.
/// </summary>
public enum ApiWorkPriority
{
    /// <summary>Exporting history (<c>ExportManyAsync</c>, by default).</summary>
    Backfill,

    /// <summary>Exporting a conversation that just closed (<c>ExportAsync</c>, by default).</summary>
    Live,

    /// <summary>During the conversation: the agent console's visitor lookup and the chatbot actions (including the records they create).</summary>
    Interactive,
}
