namespace ChatToSalesforce;

/// <summary>Who sent a <see cref="ChatMessage"/>.</summary>
public enum ChatRole
{
    /// <summary>The visitor.</summary>
    Visitor,

    /// <summary>A human agent.</summary>
    Agent,

    /// <summary>A chatbot.</summary>
    Bot,

    /// <summary>The chat system (joins, transfers, notices).</summary>
    System,
}
