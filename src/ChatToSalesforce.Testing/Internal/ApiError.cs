using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Internal;

/// <summary>One Salesforce error: errorCode (statusCode in collections), message and fields.</summary>
internal sealed record ApiError(string Code, string Message, IReadOnlyList<string>? Fields = null, JsonObject? DuplicateResult = null)
{
    /// <summary>The single-request shape: <c>{"message","errorCode","fields"}</c> (fields omitted when null).</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (DuplicateResult is not null)
        {
            o["duplicateResult"] = DuplicateResult.DeepClone();
        }

        o["message"] = Message;
        o["errorCode"] = Code;
        if (Fields is not null)
        {
            o["fields"] = Json.Array(Fields);
        }

        return o;
    }

    /// <summary>The collections shape: <c>{"statusCode","message","fields"}</c>.</summary>
    public JsonObject ToItemJson() => new()
    {
        ["statusCode"] = Code,
        ["message"] = Message,
        ["fields"] = Json.Array(Fields ?? []),
    };

    public static JsonArray ToJsonArray(IEnumerable<ApiError> errors)
    {
        var array = new JsonArray();
        foreach (var e in errors)
        {
            array.Add(e.ToJson());
        }

        return array;
    }
}

/// <summary>A whole-request failure that the dispatcher turns into a Salesforce error response.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int status, string code, string message, IReadOnlyList<string>? fields = null)
        : base(message)
    {
        Status = status;
        Errors = [new ApiError(code, message, fields)];
    }

    public ApiException(int status, IReadOnlyList<ApiError> errors)
        : base(errors.Count > 0 ? errors[0].Message : "error")
    {
        Status = status;
        Errors = errors;
    }

    public int Status { get; }

    public IReadOnlyList<ApiError> Errors { get; }

    public static ApiException NotFound() => new(404, "NOT_FOUND", "The requested resource does not exist");

    public static ApiException ParserError(string message) => new(400, "JSON_PARSER_ERROR", message);
}

internal static class Json
{
    public static JsonArray Array(IEnumerable<string> values)
    {
        var a = new JsonArray();
        foreach (var v in values)
        {
            a.Add(v);
        }

        return a;
    }

    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    /// <summary>Reads a JSON number (int, long, double or decimal backed) or a numeric string.</summary>
    public static bool TryNumber(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
        }

        return false;
    }

    public static bool Bool(JsonNode? node, bool fallback = false)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b))
            {
                return b;
            }

            if (v.TryGetValue<string>(out var s) && bool.TryParse(s, out b))
            {
                return b;
            }
        }

        return fallback;
    }
}
