namespace ChatToSalesforce.Transcripts;

/// <summary>A file attached to the activity.</summary>
/// <param name="FileName">The file name.</param>
/// <param name="Content">The bytes.</param>
/// <param name="ContentType">The MIME type, if known.</param>
public sealed record TranscriptFile(string FileName, ReadOnlyMemory<byte> Content, string? ContentType = null)
{
    /// <inheritdoc />
    public override string ToString() => $"TranscriptFile ({Content.Length} bytes)";
}
