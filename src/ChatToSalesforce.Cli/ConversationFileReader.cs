using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace ChatToSalesforce.Cli;

/// <summary>A conversation file that cannot be read: the message names the file, and the line and column where known. Never contains conversation content.</summary>
internal sealed class ConversationFileException(string message) : Exception(message);

/// <summary>How a conversation file is read.</summary>
/// <param name="AssumeUtc">Read a date-time without a zone as UTC instead of rejecting it.</param>
/// <param name="SkipInvalid">Skip a bad JSON Lines line (or a bad conversation of an array) and list it, instead of stopping.</param>
internal sealed record ConversationFileOptions(bool AssumeUtc = false, bool SkipInvalid = false);

/// <summary>A line (JSON Lines) or conversation (array) that was skipped with <c>--skip-invalid</c>.</summary>
/// <param name="Where">The line (<c>line 7</c>) or position (<c>conversation [3]</c>).</param>
/// <param name="Line">The 1-based line, for JSON Lines.</param>
/// <param name="Reason">Why it is invalid; never quotes conversation content.</param>
internal sealed record InvalidInput(string Where, int? Line, string Reason);

/// <summary>What was read: the conversations to export and, with <c>--skip-invalid</c>, the ones that were skipped as invalid.</summary>
internal sealed record ConversationFile(IReadOnlyList<Conversation> Conversations, IReadOnlyList<InvalidInput> Invalid);

/// <summary>
/// Reads conversations from a JSON array, a single JSON object (<c>.json</c>) or JSON Lines (<c>.jsonl</c>/<c>.ndjson</c>, one
/// object per line) into the SDK's <see cref="Conversation"/> model. The whole file is validated before anything is exported.
/// </summary>
/// <remarks>The format is documented in <c>docs/conversation-format.md</c> and <c>docs/conversation.schema.json</c>.</remarks>
internal static class ConversationFileReader
{
    private static readonly string[] RoleNames = ["visitor", "agent", "bot", "system"];

    // ISO 8601 as JSON carries it: a date, optionally a time (minutes, seconds, fractions), optionally a zone.
    private static readonly Regex IsoDateTime = new(
        @"^\d{4}-\d{2}-\d{2}(?<time>[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(?<zone>[Zz]|[+-]\d{2}:?\d{2})?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
        TimeSpan.FromSeconds(1));

    public static IReadOnlyList<Conversation> Read(string path) => Read(path, new ConversationFileOptions()).Conversations;

    public static ConversationFile Read(string path, ConversationFileOptions options)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConversationFileException($"{path}: cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}).");
        }

        var text = Decode(path, bytes);
        var first = text.AsSpan().TrimStart();
        if (first.IsEmpty)
        {
            throw new ConversationFileException($"{path}: the file is empty; expected a JSON array of conversations or JSON Lines.");
        }

        var extension = Path.GetExtension(path);
        var jsonLines = extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase) || extension.Equals(".ndjson", StringComparison.OrdinalIgnoreCase)
            || (first[0] == '{' && !extension.Equals(".json", StringComparison.OrdinalIgnoreCase));
        var result = new List<Conversation>();
        var invalid = new List<InvalidInput>();
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

                var where = $"line {i + 1}";
                try
                {
                    ConversationDto? dto;
                    try
                    {
                        dto = JsonSerializer.Deserialize(line, ConversationFileJsonContext.Default.ConversationDto);
                    }
                    catch (JsonException e)
                    {
                        throw new ConversationFileException($"invalid JSON at line {i + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Describe(e)}");
                    }

                    result.Add(Convert(dto, where, options));
                }
                catch (ConversationFileException e) when (options.SkipInvalid)
                {
                    invalid.Add(new InvalidInput(where, i + 1, e.Message));
                }
                catch (ConversationFileException e)
                {
                    throw new ConversationFileException($"{path}: {e.Message}");
                }
            }
        }
        else if (first[0] == '[')
        {
            List<(int Index, ConversationDto? Dto)> dtos;
            try
            {
                dtos = (JsonSerializer.Deserialize(text, ConversationFileJsonContext.Default.ListConversationDto) ?? []).Select((d, i) => (i, (ConversationDto?)d)).ToList();
            }
            catch (JsonException) when (options.SkipInvalid && ArrayElements(text) is { } elements)
            {
                // The array is well-formed JSON: one conversation of the wrong shape (an unknown property, a number for a
                // string) is skipped and listed like any other invalid conversation, instead of stopping the batch.
                dtos = [];
                for (var i = 0; i < elements.Count; i++)
                {
                    try
                    {
                        dtos.Add((i, elements[i].Deserialize(ConversationFileJsonContext.Default.ConversationDto)));
                    }
                    catch (JsonException e)
                    {
                        invalid.Add(new InvalidInput($"conversation [{i}]", null, $"conversation [{i}]: {Describe(e)}"));
                    }
                }
            }
            catch (JsonException e)
            {
                throw new ConversationFileException($"{path}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Describe(e)}");
            }

            foreach (var (i, dto) in dtos)
            {
                var where = $"conversation [{i}]";
                try
                {
                    result.Add(Convert(dto, where, options));
                }
                catch (ConversationFileException e) when (options.SkipInvalid)
                {
                    invalid.Add(new InvalidInput(where, null, e.Message));
                }
                catch (ConversationFileException e)
                {
                    throw new ConversationFileException($"{path}: {e.Message}");
                }
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

            try
            {
                result.Add(Convert(dto, "conversation", options));
            }
            catch (ConversationFileException e)
            {
                throw new ConversationFileException($"{path}: {e.Message}");
            }
        }
        else
        {
            throw new ConversationFileException($"{path}: invalid JSON at line 1: expected a JSON array '[' of conversations, or JSON Lines (one '{{...}}' object per line).");
        }

        return new ConversationFile(result, invalid);
    }

    /// <summary>The elements of a syntactically valid JSON array (cloned), or <see langword="null"/> when it is not one.</summary>
    private static List<JsonElement>? ArrayElements(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decodes the file: UTF-8 (with or without a BOM), or UTF-16/UTF-32 with a BOM. Anything else (Latin-1, Windows-1252)
    /// is rejected with the offset of the first byte that is not UTF-8, instead of being read with U+FFFD in names.
    /// </summary>
    private static string Decode(string path, byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        Encoding? bomEncoding = span switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true),
            [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true),
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
            _ => null,
        };
        if (bomEncoding is not null)
        {
            try
            {
                return bomEncoding.GetString(bytes, bomEncoding.Preamble.Length, bytes.Length - bomEncoding.Preamble.Length);
            }
            catch (DecoderFallbackException)
            {
                throw new ConversationFileException($"{path}: starts with a {bomEncoding.WebName.ToUpperInvariant()} byte order mark but is not valid {bomEncoding.WebName.ToUpperInvariant()}; save it as UTF-8.");
            }
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            span = span[3..];
        }

        var chars = new char[span.Length];
        var status = Utf8.ToUtf16(span, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
        if (status == OperationStatus.Done)
        {
            return new string(chars, 0, charsWritten);
        }

        var offset = bytesRead + (bytes.Length - span.Length);
        var line = 1 + bytes.AsSpan(0, offset).Count((byte)'\n');
        var lineStart = bytes.AsSpan(0, offset).LastIndexOf((byte)'\n') + 1;
        throw new ConversationFileException(string.Create(CultureInfo.InvariantCulture,
            $"{path}: is not UTF-8: byte 0x{bytes[offset]:X2} at offset {offset} (line {line}, column {offset - lineStart + 1}) is not valid UTF-8. Conversation files must be UTF-8; if the file is Latin-1 (ISO-8859-1), convert it with: iconv -f latin1 -t utf-8 '{Path.GetFileName(path)}' > converted{Path.GetExtension(path)} (for Windows-1252 use -f cp1252)."));
    }

    /// <summary>The reason of a <see cref="JsonException"/> in the file's terms (JSON property names and types, not .NET types), with its JSON path but without the position suffix (given separately) or any value.</summary>
    internal static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        var reason = (cut >= 0 ? message[..cut] : message).Trim();
        var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? string.Empty : $" (at {e.Path})";

        if (Regex.Match(reason, @"^The JSON value could not be converted to (?<type>.+?)\.?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) is { Success: true } wrongType)
        {
            var property = e.Path is { Length: > 0 } p && p != "$" ? $"'{p.TrimStart('$').TrimStart('.')}'" : "the file";
            return $"{property} has the wrong type: expected {Expected(wrongType.Groups["type"].Value)}{at}";
        }

        if (Regex.Match(reason, @"^The JSON property '(?<name>.*)' could not be mapped to any \.NET member contained in type '(?<type>.+)'\.?$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            var known = KnownProperties(unknown.Groups["type"].Value);
            var hint = DependencyInjection.Internal.SectionOptionsBinder.Nearest(name, known) is { } nearest
                ? $"; did you mean '{nearest}'?"
                : known.Count > 0 ? $"; known properties here: {string.Join(", ", known)}" : string.Empty;
            return $"unknown property '{name}'{at}{hint}";
        }

        // Any other reader message: never let a .NET type name through.
        reason = Regex.Replace(reason, @"'?(ChatToSalesforce\.Cli\.\w+|System\.[\w`\.\[\], ]+)'?", "a value of another type", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return reason + at;
    }

    private static string Expected(string dotnetType) => dotnetType switch
    {
        _ when dotnetType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array [ ... ]",
        _ when dotnetType.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "an object whose values are strings, for example { \"Student Type\": \"Future Student\" }",
        "System.String" => "a string in double quotes",
        "ChatToSalesforce.Cli.ConversationDto" => "a conversation object { \"id\": ..., \"startedAt\": ... }",
        "ChatToSalesforce.Cli.VisitorDto" => "an object with the visitor's firstName, lastName, name, email, phone, company",
        "ChatToSalesforce.Cli.AgentDto" => "an object with the agent's name and email",
        "ChatToSalesforce.Cli.MessageDto" => "a message object { \"role\", \"senderName\", \"text\", \"sentAt\" }",
        "ChatToSalesforce.Cli.AttachmentDto" => "an attachment object { \"fileName\", \"contentType\", \"contentBase64\" }",
        _ => "a value of another type (see docs/conversation-format.md)",
    };

    private static IReadOnlyList<string> KnownProperties(string dotnetType)
    {
        System.Text.Json.Serialization.Metadata.JsonTypeInfo? info = dotnetType switch
        {
            "ChatToSalesforce.Cli.ConversationDto" => ConversationFileJsonContext.Default.ConversationDto,
            "ChatToSalesforce.Cli.VisitorDto" => ConversationFileJsonContext.Default.VisitorDto,
            "ChatToSalesforce.Cli.AgentDto" => ConversationFileJsonContext.Default.AgentDto,
            "ChatToSalesforce.Cli.MessageDto" => ConversationFileJsonContext.Default.MessageDto,
            "ChatToSalesforce.Cli.AttachmentDto" => ConversationFileJsonContext.Default.AttachmentDto,
            _ => null,
        };
        return info is null ? [] : info.Properties.Select(p => p.Name).ToList();
    }

    private static Conversation Convert(ConversationDto? dto, string where, ConversationFileOptions options)
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
        var startedAt = DateTime(dto.StartedAt, "startedAt", at, options)
            ?? throw new ConversationFileException($"{at}: 'startedAt' is required (an ISO 8601 date-time with a zone, for example 2026-03-02T09:30:00Z).");
        var endedAt = DateTime(dto.EndedAt, "endedAt", at, options);

        Uri? requestPage = null;
        // On Linux and macOS, Uri reads "/admissions" as the absolute file:///admissions: a path is not a request page.
        if (dto.RequestPage is not null && (!Uri.TryCreate(dto.RequestPage, UriKind.Absolute, out requestPage) || requestPage.IsFile))
        {
            throw new ConversationFileException($"{at}: 'requestPage' is not an absolute URL; expected for example https://www.acme.example/admissions.");
        }

        var messages = new List<ChatMessage>(dto.Messages?.Count ?? 0);
        for (var i = 0; i < (dto.Messages?.Count ?? 0); i++)
        {
            var m = dto.Messages![i];
            if (m is null || m.Role is null || m.Text is null || m.SentAt is null)
            {
                throw new ConversationFileException($"{at}: messages[{i}] needs 'role', 'text' and 'sentAt'.");
            }

            if (!Enum.TryParse<ChatRole>(m.Role, ignoreCase: true, out var role) || !RoleNames.Contains(m.Role, StringComparer.OrdinalIgnoreCase))
            {
                throw new ConversationFileException($"{at}: messages[{i}].role is '{m.Role}'; expected one of {string.Join(", ", RoleNames)}.");
            }

            var sentAt = DateTime(m.SentAt, $"messages[{i}].sentAt", at, options)!.Value;
            messages.Add(new ChatMessage { Role = role, SenderName = m.SenderName, Text = m.Text, SentAt = sentAt });
        }

        var attachments = new List<ChatAttachment>(dto.Attachments?.Count ?? 0);
        for (var i = 0; i < (dto.Attachments?.Count ?? 0); i++)
        {
            var a = dto.Attachments![i];
            if (a is null || string.IsNullOrWhiteSpace(a.FileName) || a.ContentBase64 is null)
            {
                throw new ConversationFileException($"{at}: attachments[{i}] needs 'fileName' and 'contentBase64'.");
            }

            byte[] content;
            try
            {
                content = System.Convert.FromBase64String(a.ContentBase64);
            }
            catch (FormatException)
            {
                throw new ConversationFileException($"{at}: attachments[{i}].contentBase64 is not base64; expected the file's bytes in base64, for example \"Q2hlY2tsaXN0Cg==\".");
            }

            attachments.Add(new ChatAttachment { FileName = a.FileName, ContentType = a.ContentType, Content = content });
        }

        var v = dto.Visitor ?? new VisitorDto();
        return new Conversation
        {
            Id = dto.Id,
            TenantId = string.IsNullOrWhiteSpace(dto.TenantId) ? null : dto.TenantId,
            Channel = dto.Channel,
            StartedAt = startedAt,
            EndedAt = endedAt,
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

    /// <summary>
    /// Reads an ISO 8601 date-time. One without a zone is rejected (it would be read in the zone of whoever runs the CLI,
    /// so dates would shift between machines) unless <see cref="ConversationFileOptions.AssumeUtc"/> says it is UTC.
    /// </summary>
    private static DateTimeOffset? DateTime(string? value, string field, string at, ConversationFileOptions options)
    {
        if (value is null)
        {
            return null;
        }

        var match = IsoDateTime.Match(value);
        if (!match.Success
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            throw new ConversationFileException($"{at}: '{field}' is '{value}', which is not an ISO 8601 date-time; expected for example 2026-03-02T09:30:00Z or 2026-03-02T10:30:00+01:00.");
        }

        if (!match.Groups["zone"].Success && !options.AssumeUtc)
        {
            throw new ConversationFileException($"{at}: '{field}' is '{value}', which has no time zone, so it could mean a different instant on every machine; write it with a zone ({(match.Groups["time"].Success ? value : value + "T00:00:00")}Z for UTC, or an offset such as +01:00), or pass --assume-utc to read date-times without a zone as UTC.");
        }

        return parsed;
    }
}

internal sealed class ConversationDto
{
    public string? Id { get; set; }

    public string? TenantId { get; set; }

    public string? Channel { get; set; }

    public string? StartedAt { get; set; }

    public string? EndedAt { get; set; }

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
    public string? Role { get; set; }

    public string? SenderName { get; set; }

    public string? Text { get; set; }

    public string? SentAt { get; set; }
}

internal sealed class AttachmentDto
{
    public string? FileName { get; set; }

    public string? ContentType { get; set; }

    public string? ContentBase64 { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConversationDto))]
[JsonSerializable(typeof(List<ConversationDto?>))]
[JsonSerializable(typeof(VisitorDto))]
[JsonSerializable(typeof(AgentDto))]
[JsonSerializable(typeof(MessageDto))]
[JsonSerializable(typeof(AttachmentDto))]
internal sealed partial class ConversationFileJsonContext : JsonSerializerContext;
