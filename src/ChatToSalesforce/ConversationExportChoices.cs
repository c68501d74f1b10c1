namespace ChatToSalesforce;

/// <summary>
/// Choices made for one export, for example by an agent who clicks "create Lead now" or "create Case now" during the
/// conversation: which person and activity objects to write and who owns them. The configured options decide the rest.
/// </summary>
/// <remarks>
/// A later export of the same conversation (the automatic export at close) finds what this one wrote, by the conversation's
/// marker, in whichever activity object it is, and updates it, with its person, instead of writing a second person or
/// activity (docs/agent-console.md).
/// </remarks>
public sealed class ConversationExportChoices
{
    /// <summary>Gets which person (Contact or Lead) and activity (Task, Case or Event) to write; <see langword="null"/> keeps the configured <see cref="SalesforceChatExportOptions.Mode"/>.</summary>
    /// <value><see cref="ExportMode.Record"/> is not a choice: it writes no person and no activity.</value>
    public ExportMode? Mode { get; init; }

    /// <summary>
    /// Gets the Salesforce User id (15 or 18 characters, starting with <c>005</c>) that owns the activity and a new person,
    /// for example the agent who clicked; <see langword="null"/> keeps the configured owner chain. When Salesforce rejects
    /// it (an inactive user), the configured chain's remaining fallbacks apply.
    /// </summary>
    public string? OwnerId { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"ConversationExportChoices {{ Mode = {Mode?.ToString() ?? "configured"}, Owner = {(OwnerId is null ? "configured" : "chosen")} }}";
}
