namespace ChatToSalesforce;

/// <summary>A condition a conversation must meet to be exported (for example "only if Student Type = Future Student").</summary>
/// <remarks>Set exactly one of <see cref="Equals"/>, <see cref="NotEquals"/>, <see cref="In"/> or <see cref="Exists"/>. Text comparisons ignore case and surrounding spaces.</remarks>
public sealed class ExportCondition
{
    /// <summary>Gets or sets the value tested, with the same syntax as <see cref="FieldMapping.Source"/>.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets the value the source must equal.</summary>
    public new string? Equals { get; set; }

    /// <summary>Gets or sets a value the source must not equal.</summary>
    public string? NotEquals { get; set; }

    /// <summary>Gets or sets the values one of which the source must equal.</summary>
    public IList<string>? In { get; set; }

    /// <summary>Gets or sets whether the source must have a non-blank value (<see langword="true"/>) or must be blank (<see langword="false"/>).</summary>
    public bool? Exists { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"condition on {Source}";
}
