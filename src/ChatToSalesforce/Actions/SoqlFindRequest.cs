namespace ChatToSalesforce.Actions;

/// <summary>A "find a record by SOQL" bot action: a validated template and the values its placeholders take.</summary>
public sealed class SoqlFindRequest
{
    /// <summary>Gets the tenant whose org is searched; <see langword="null"/> (the default) is the org configured at start-up.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the template, parsed and validated when the bot action was configured.</summary>
    public required BotSoqlTemplate Template { get; init; }

    /// <summary>Gets the conversation whose values fill placeholders such as <c>{!Visitor.Email}</c>, if any.</summary>
    public Conversation? Conversation { get; init; }

    /// <summary>Gets values by placeholder name (<c>visitor.email</c>, <c>custom:orderNumber</c>); they win over the conversation's.</summary>
    public IReadOnlyDictionary<string, string?> Values { get; init; } = new Dictionary<string, string?>();

    /// <inheritdoc />
    public override string ToString() => $"Find by SOQL on {Template.ObjectType}";
}
