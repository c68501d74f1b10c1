namespace ChatToSalesforce;

/// <summary>Maps a conversation value (or a constant) to a Salesforce field.</summary>
/// <remarks>
/// <see cref="Source"/>: <c>visitor.firstName</c>, <c>visitor.lastName</c>, <c>visitor.name</c>, <c>visitor.email</c>,
/// <c>visitor.phone</c>, <c>visitor.company</c>, <c>agent.name</c>, <c>agent.email</c>, <c>conversation.id</c>,
/// <c>conversation.channel</c>, <c>conversation.startedAt</c>, <c>conversation.endedAt</c>, <c>conversation.requestPage</c>,
/// <c>conversation.notes</c>, <c>conversation.wrapUp</c>, or <c>custom:&lt;key&gt;</c>. Set exactly one of <see cref="Source"/>
/// and <see cref="Value"/>. <see cref="Target"/> is <c>&lt;Object&gt;.&lt;Field&gt;</c>, for example <c>Contact.Mongoose_Student_Type__c</c>.
/// </remarks>
public sealed class FieldMapping
{
    /// <summary>Gets or sets where the value comes from.</summary>
    public string? Source { get; set; }

    /// <summary>Gets or sets a constant value (instead of <see cref="Source"/>).</summary>
    public string? Value { get; set; }

    /// <summary>Gets or sets the Salesforce field written, as <c>&lt;Object&gt;.&lt;Field&gt;</c>.</summary>
    public string Target { get; set; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"{Source ?? "(constant)"} -> {Target}";
}
