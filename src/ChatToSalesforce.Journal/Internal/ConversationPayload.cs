using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatToSalesforce.Journal.Internal;

/// <summary>A kept failed conversation as stored: gzip-compressed JSON of the whole <see cref="Conversation"/> (content included).</summary>
internal static class ConversationPayload
{
    public static byte[] Encode(Conversation conversation)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, conversation, PayloadJsonContext.Default.Conversation);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a kept conversation, or returns <see langword="null"/> when the stored bytes are not one (corrupted, or written by another program).</summary>
    public static Conversation? TryDecode(byte[] payload)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
            return JsonSerializer.Deserialize(gzip, PayloadJsonContext.Default.Conversation);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Conversation))]
internal sealed partial class PayloadJsonContext : JsonSerializerContext;
