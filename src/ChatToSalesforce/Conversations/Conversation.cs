namespace ChatToSalesforce;

/// <summary>A closed chat conversation to export into Salesforce.</summary>
/// <remarks>
/// Every property can be set in an object initializer; collections are never <see langword="null"/>
/// (they default to empty). The SDK never writes message text, names or emails to logs or exception messages.
/// </remarks>
public sealed class Conversation
{
    /// <summary>Gets the host's identifier of the conversation (stable across re-exports; used as the idempotency key).</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>
    /// The tenant (the customer whose Salesforce org receives this conversation), as the host's
    /// <see cref="Tenancy.ISalesforceTenantStore"/> knows it; <see langword="null"/> for the org configured at start-up.
    /// </summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the channel the conversation happened on, for example <c>web</c>, <c>whatsapp</c> or <c>bot</c>.</summary>
    public string? Channel { get; init; }

    /// <summary>Gets when the conversation started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the conversation ended, if it has.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets the visitor (the person the Contact or Lead represents).</summary>
    public ChatVisitor Visitor { get; init; } = new();

    /// <summary>Gets the agent who handled the conversation, if any.</summary>
    public ChatAgent? Agent { get; init; }

    /// <summary>Gets the messages in the order they were sent.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    /// <summary>Gets the files shared during the conversation.</summary>
    public IReadOnlyList<ChatAttachment> Attachments { get; init; } = [];

    /// <summary>Gets the agent's notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the wrap-up (disposition) the agent chose.</summary>
    public string? WrapUp { get; init; }

    /// <summary>Gets the page the visitor started the chat from.</summary>
    public Uri? RequestPage { get; init; }

    /// <summary>Gets the captured custom fields (pre-chat form answers, bot variables), addressed as <c>custom:&lt;key&gt;</c>.</summary>
    public IReadOnlyDictionary<string, string?> CustomFields { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets how many values redaction removed before export (set on the redacted copy the stages see; 0 otherwise).</summary>
    internal int RedactedValues { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"Conversation {Id} ({Messages.Count} messages)";
}
