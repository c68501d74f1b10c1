namespace ChatToSalesforce;

/// <summary>One message of a chat.</summary>
public sealed class ChatMessage
{
    /// <summary>Gets who sent the message.</summary>
    public ChatRole Role { get; init; }

    /// <summary>Gets the sender's display name.</summary>
    public string? SenderName { get; init; }

    /// <summary>Gets the message text.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Gets when the message was sent.</summary>
    public DateTimeOffset SentAt { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"ChatMessage ({Role}, {Text.Length} chars)";
}
