namespace ChatToSalesforce;

/// <summary>A file shared during a chat; exported as a Salesforce File linked to the activity.</summary>
public sealed class ChatAttachment
{
    /// <summary>Gets the file name, including its extension.</summary>
    public string FileName { get; init; } = string.Empty;

    /// <summary>Gets the MIME type, if known.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the file's bytes.</summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"ChatAttachment ({Content.Length} bytes)";
}
