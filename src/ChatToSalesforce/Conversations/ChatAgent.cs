namespace ChatToSalesforce;

/// <summary>The agent (human or bot operator) who handled a chat.</summary>
public sealed class ChatAgent
{
    /// <summary>Gets the agent's display name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the agent's email, matched against active Salesforce Users to pick the owner.</summary>
    public string? Email { get; init; }

    /// <inheritdoc />
    public override string ToString() => "ChatAgent";
}
