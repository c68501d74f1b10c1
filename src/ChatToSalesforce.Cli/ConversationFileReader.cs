using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatToSalesforce.Cli;

/// <summary>A conversation file that cannot be read: the message names the file, and the line and column where known. Never contains conversation content.</summary>
internal sealed class ConversationFileException(string message) : Exception(message);

/// <summary>
/// Reads conversations from a JSON array, a single JSON object (<c>.json</c>) or JSON Lines (<c>.jsonl</c>/<c>.ndjson</c>, one
/// object per line) into the SDK's <see cref="Conversation"/> model. The whole file is validated before anything is exported.
/// </summary>
/// <remarks>The format is documented in <c>docs/conversation-format.md</c> and <c>docs/conversation.schema.json</c>.</remarks>
internal static class ConversationFileReader
{
    public static IReadOnlyList<Conversation> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConversationFileException($"{path}: cannot be read ({e.GetType().Name}: {e.Message}).");
        }

        var first = text.AsSpan().TrimStart().TrimStart('\uFEFF');
        if (first.IsEmpty)
        {
            throw new ConversationFileException($"{path}: the file is empty; expected a JSON array of conversations or JSON Lines.");
        }

        var extension = Path.GetExtension(path);
        var jsonLines = extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase) || extension.Equals(".ndjson", StringComparison.OrdinalIgnoreCase)
            || (first[0] == '{' && !extension.Equals(".json", StringComparison.OrdinalIgnoreCase));
        var result = new List<Conversation>();
        if (jsonLines)
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                ConversationDto? dto;
                try
                {
                    dto = JsonSerializer.Deserialize(line, ConversationFileJsonContext.Default.ConversationDto);
                }
                catch (JsonException e)
                {
                    throw new ConversationFileException($"{path}: invalid JSON at line {i + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Describe(e)}");
                }

                result.Add(Convert(dto, $"{path}: line {i + 1}"));
            }
        }
        else if (first[0] == '[')
        {
            List<ConversationDto?>? dtos;
            try
            {
                dtos = JsonSerializer.Deserialize(text, ConversationFileJsonContext.Default.ListConversationDto);
            }
            catch (JsonException e)
            {
                throw new ConversationFileException($"{path}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Describe(e)}");
            }

            for (var i = 0; i < (dtos?.Count ?? 0); i++)
            {
                result.Add(Convert(dtos![i], $"{path}: conversation [{i}]"));
            }
        }
        else if (first[0] == '{')
        {
            ConversationDto? dto;
            try
            {
                dto = JsonSerializer.Deserialize(text, ConversationFileJsonContext.Default.ConversationDto);
            }
            catch (JsonException e)
            {
                throw new ConversationFileException($"{path}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Describe(e)}");
            }

            result.Add(Convert(dto, $"{path}: conversation"));
        }
        else
        {
            throw new ConversationFileException($"{path}: invalid JSON at line 1: expected a JSON array '[' of conversations, or JSON Lines (one '{{...}}' object per line).");
        }

        return result;
    }

    /// <summary>The reason of a <see cref="JsonException"/>, with its JSON path but without the position suffix (given separately) or any value.</summary>
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        var reason = (cut >= 0 ? message[..cut] : message).Trim();
        return string.IsNullOrEmpty(e.Path) || e.Path == "$" ? reason : $"{reason} (at {e.Path})";
    }

    private static Conversation Convert(ConversationDto? dto, string where)
    {
        if (dto is null)
        {
            throw new ConversationFileException($"{where}: is null; expected a conversation object.");
        }

        if (string.IsNullOrWhiteSpace(dto.Id))
        {
            throw new ConversationFileException($"{where}: 'id' is required (a stable conversation id; it is the idempotency key).");
        }

        var at = $"{where} (id '{dto.Id}')";
        if (dto.StartedAt is null)
        {
            throw new ConversationFileException($"{at}: 'startedAt' is required (an ISO 8601 date-time with a zone, for example 2026-03-02T09:30:00Z).");
        }

        Uri? requestPage = null;
        if (dto.RequestPage is not null && !Uri.TryCreate(dto.RequestPage, UriKind.Absolute, out requestPage))
        {
            throw new ConversationFileException($"{at}: 'requestPage' is not an absolute URL.");
        }

        var messages = new List<ChatMessage>(dto.Messages?.Count ?? 0);
        for (var i = 0; i < (dto.Messages?.Count ?? 0); i++)
        {
            var m = dto.Messages![i];
            if (m is null || m.Role is null || m.Text is null || m.SentAt is null)
            {
                throw new ConversationFileException($"{at}: messages[{i}] needs 'role', 'text' and 'sentAt'.");
            }

            messages.Add(new ChatMessage { Role = m.Role.Value, SenderName = m.SenderName, Text = m.Text, SentAt = m.SentAt.Value });
        }

        var attachments = new List<ChatAttachment>(dto.Attachments?.Count ?? 0);
        for (var i = 0; i < (dto.Attachments?.Count ?? 0); i++)
        {
            var a = dto.Attachments![i];
            if (a is null || string.IsNullOrWhiteSpace(a.FileName) || a.ContentBase64 is null)
            {
                throw new ConversationFileException($"{at}: attachments[{i}] needs 'fileName' and 'contentBase64'.");
            }

            attachments.Add(new ChatAttachment { FileName = a.FileName, ContentType = a.ContentType, Content = a.ContentBase64 });
        }

        var v = dto.Visitor ?? new VisitorDto();
        return new Conversation
        {
            Id = dto.Id,
            Channel = dto.Channel,
            StartedAt = dto.StartedAt.Value,
            EndedAt = dto.EndedAt,
            Visitor = new ChatVisitor { FirstName = v.FirstName, LastName = v.LastName, Name = v.Name, Email = v.Email, Phone = v.Phone, Company = v.Company },
            Agent = dto.Agent is null ? null : new ChatAgent { Name = dto.Agent.Name, Email = dto.Agent.Email },
            Messages = messages,
            Attachments = attachments,
            Notes = dto.Notes,
            WrapUp = dto.WrapUp,
            RequestPage = requestPage,
            CustomFields = dto.CustomFields ?? new Dictionary<string, string?>(),
        };
    }
}

internal sealed class ConversationDto
{
    public string? Id { get; set; }

    public string? Channel { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public VisitorDto? Visitor { get; set; }

    public AgentDto? Agent { get; set; }

    public List<MessageDto?>? Messages { get; set; }

    public List<AttachmentDto?>? Attachments { get; set; }

    public string? Notes { get; set; }

    public string? WrapUp { get; set; }

    public string? RequestPage { get; set; }

    public Dictionary<string, string?>? CustomFields { get; set; }
}

internal sealed class VisitorDto
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Company { get; set; }
}

internal sealed class AgentDto
{
    public string? Name { get; set; }

    public string? Email { get; set; }
}

internal sealed class MessageDto
{
    public ChatRole? Role { get; set; }

    public string? SenderName { get; set; }

    public string? Text { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}

internal sealed class AttachmentDto
{
    public string? FileName { get; set; }

    public string? ContentType { get; set; }

    public byte[]? ContentBase64 { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConversationDto))]
[JsonSerializable(typeof(List<ConversationDto?>))]
internal sealed partial class ConversationFileJsonContext : JsonSerializerContext;
