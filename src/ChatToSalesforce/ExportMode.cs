namespace ChatToSalesforce;

/// <summary>Which records an export writes.</summary>
public enum ExportMode
{
    /// <summary>Find or create a Contact; log a completed Task with the transcript (Mongoose Chat).</summary>
    ContactAndTask,

    /// <summary>Find or create a Lead; log a Task per chat (sales mode).</summary>
    LeadAndTask,

    /// <summary>Find or create a Contact; open a Case per chat (support mode).</summary>
    ContactAndCase,

    /// <summary>Find or create a Lead; open a Case per chat.</summary>
    LeadAndCase,

    /// <summary>Find or create a Contact; log an Event spanning the conversation.</summary>
    ContactAndEvent,

    /// <summary>Find or create a Lead; log an Event spanning the conversation (for example a booked meeting).</summary>
    LeadAndEvent,

    /// <summary>Write one record of any sObject (custom ones included) from <see cref="SalesforceChatExportOptions.FieldMappings"/> (LoyJoy); see <see cref="SalesforceChatExportOptions.Record"/>.</summary>
    Record,
}
