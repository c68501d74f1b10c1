using System.Net;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Reads Salesforce error bodies: the array form, the single-object form, and per-record <c>statusCode</c> errors.</summary>
internal static class SalesforceErrorParser
{
    private static readonly string[] TransientCodes = ["SERVER_UNAVAILABLE", "UNABLE_TO_LOCK_ROW", "QUERY_TIMEOUT", "UNKNOWN_EXCEPTION"];

    public static IReadOnlyList<SalesforceError> Parse(JsonNode? body)
    {
        var errors = new List<SalesforceError>();
        switch (body)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonObject o)
                    {
                        errors.Add(ParseOne(o));
                    }
                    else if (item is JsonValue v && v.TryGetValue<string>(out var url))
                    {
                        errors.Add(new SalesforceError("MULTIPLE_CHOICES", $"Several records match: {url}", []));
                    }
                }

                break;
            case JsonObject obj when obj["errors"] is JsonArray nested:
                errors.AddRange(Parse(nested));
                break;
            case JsonObject obj:
                errors.Add(ParseOne(obj));
                break;
        }

        return errors;
    }

    public static SalesforceApiException ToException(int status, JsonNode? body, string context, string? failedSubrequest = null)
    {
        var errors = Parse(body);
        var first = errors.FirstOrDefault();
        var code = first?.ErrorCode;
        var message = first?.Message ?? "Salesforce returned no error details.";
        var transient = status is 500 or 502 or 503 or 504
            || (code is not null && TransientCodes.Contains(code))
            || message.Contains("UNABLE_TO_LOCK_ROW", StringComparison.Ordinal);
        var where = failedSubrequest is null ? string.Empty : $" (subrequest '{failedSubrequest}')";
        return new SalesforceApiException((HttpStatusCode)status, code, $"{context}{where}: {code}: {message}", first?.Fields, transient)
        {
            DuplicateRecordIds = errors.SelectMany(e => e.DuplicateRecordIds).Distinct().ToArray(),
            FailedSubrequest = failedSubrequest,
        };
    }

    private static SalesforceError ParseOne(JsonObject o)
    {
        var code = Str(o["errorCode"]) ?? Str(o["statusCode"]) ?? Str(o["error"]);
        var message = Str(o["message"]) ?? Str(o["error_description"]) ?? string.Empty;
        var fields = o["fields"] is JsonArray f ? f.Select(x => Str(x) ?? string.Empty).Where(x => x.Length > 0).ToArray() : [];
        var duplicates = new List<string>();
        if (o["duplicateResult"]?["matchResults"] is JsonArray matchResults)
        {
            foreach (var mr in matchResults)
            {
                if (mr?["matchRecords"] is JsonArray records)
                {
                    foreach (var r in records)
                    {
                        if (Str(r?["record"]?["Id"]) is { } id)
                        {
                            duplicates.Add(id);
                        }
                    }
                }
            }
        }

        return new SalesforceError(code, message, fields) { DuplicateRecordIds = duplicates };
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
