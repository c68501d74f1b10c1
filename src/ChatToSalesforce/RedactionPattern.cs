namespace ChatToSalesforce;

/// <summary>A named pattern of <see cref="RedactionOptions.Patterns"/>.</summary>
public sealed class RedactionPattern
{
    /// <summary>Gets or sets the name used in start-up errors, for example <c>Ticket numbers</c>. Never the matched text.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the regular expression (.NET syntax, culture-invariant, case-sensitive unless it says <c>(?i)</c>).</summary>
    public string Pattern { get; set; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"RedactionPattern '{Name}'";
}
