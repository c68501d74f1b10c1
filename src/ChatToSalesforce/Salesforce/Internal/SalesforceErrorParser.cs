using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Salesforce.Internal;

/// <summary>Turns Salesforce error bodies into <see cref="SalesforceError"/>s and <see cref="SalesforceApiException"/>s.</summary>
/// <remarks>
/// Accepts every shape Salesforce uses: the array <c>[{"message","errorCode","fields"}]</c>, a single object, the per-record
/// <c>{"success":false,"errors":[{"statusCode",...}]}</c> of collections, and <c>duplicateResult</c> details of
/// <c>DUPLICATES_DETECTED</c>. An exception's message carries the context, status, error code, fields and a hint, never
/// Salesforce's own text (it can echo record values); that text is kept on the exception as data (<c>SalesforceMessage</c>, <c>Errors</c>).
/// </remarks>
internal static class SalesforceErrorParser
{
    /// <summary>Codes that only say "another part failed"; the real cause is reported elsewhere.</summary>
    private static readonly string[] ConsequentialCodes = ["PROCESSING_HALTED", "ALL_OR_NONE_OPERATION_ROLLED_BACK"];

    /// <summary>Parses an error body (or a failed subresponse or save-result body).</summary>
    /// <param name="body">The body.</param>
    /// <returns>The errors; empty when the body holds none.</returns>
    public static IReadOnlyList<SalesforceError> Parse(JsonNode? body)
    {
        var errors = new List<SalesforceError>();
        Collect(body, errors, depth: 0);
        return errors;
    }

    /// <summary>Builds the exception for a failed response or subresponse.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="body">The error body.</param>
    /// <param name="context">What was attempted, for example <c>Composite request</c>; never record content.</param>
    /// <param name="failedSubrequest">The reference id of the failing composite subrequest, if any.</param>
    /// <returns>The exception (not thrown).</returns>
    public static SalesforceApiException ToException(int status, JsonNode? body, string context, string? failedSubrequest = null) =>
        FromErrors(status, Parse(body), context, failedSubrequest);

    /// <summary>Builds the exception from parsed errors.</summary>
    public static SalesforceApiException FromErrors(int status, IReadOnlyList<SalesforceError> errors, string context, string? failedSubrequest = null, TimeSpan? retryAfter = null)
    {
        var primary = PickPrimary(errors);
        var kind = SalesforceErrorClassifier.Classify(status, errors);
        var message = new StringBuilder(context);
        if (failedSubrequest is not null)
        {
            message.Append(" (subrequest '").Append(failedSubrequest).Append("')");
        }

        message.Append(": HTTP ").Append(status);
        if (primary is not null)
        {
            if (primary.ErrorCode is not null)
            {
                message.Append(' ').Append(primary.ErrorCode);
            }
            else
            {
                message.Append(" (no error code; Salesforce's message is in SalesforceMessage)");
            }

            if (primary.Fields.Count > 0)
            {
                message.Append(" [").AppendJoin(", ", primary.Fields).Append(']');
            }

            if (errors.Count > 1)
            {
                message.Append(" (and ").Append(errors.Count - 1).Append(errors.Count == 2 ? " more error)" : " more errors)");
            }
        }
        else
        {
            message.Append(", no error details in the response");
        }

        var fields = errors.SelectMany(e => e.Fields).Distinct(StringComparer.Ordinal).ToArray();
        var duplicates = errors.SelectMany(e => e.DuplicateRecordIds).Distinct(StringComparer.Ordinal).ToArray();
        message.Append('.');
        if (SalesforceErrorClassifier.Hint(status, primary) is { } hint)
        {
            message.Append(' ').Append(hint);
        }

        return new SalesforceApiException((HttpStatusCode)status, primary?.ErrorCode, message.ToString(), fields, kind == SalesforceErrorKind.Transient)
        {
            DuplicateRecordIds = duplicates,
            FailedSubrequest = failedSubrequest,
            SalesforceMessage = string.IsNullOrEmpty(primary?.Message) ? null : primary.Message,
            Errors = errors,
            RetryAfter = retryAfter,
        };
    }

    /// <summary>The error that explains a failure: the first one that is not merely "rolled back because another failed".</summary>
    public static SalesforceError? PickPrimary(IReadOnlyList<SalesforceError> errors)
    {
        foreach (var e in errors)
        {
            if (e.ErrorCode is null || !ConsequentialCodes.Contains(e.ErrorCode, StringComparer.Ordinal))
            {
                return e;
            }
        }

        return errors.Count > 0 ? errors[0] : null;
    }

    /// <summary>Whether an error only reports that another subrequest or record failed.</summary>
    public static bool IsConsequential(SalesforceError error) =>
        error.ErrorCode is not null && ConsequentialCodes.Contains(error.ErrorCode, StringComparer.Ordinal);

    /// <summary>Parses one sObject save result (<c>{"id","success","errors","created"}</c>).</summary>
    public static SalesforceSaveResult ParseSaveResult(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return new SalesforceSaveResult(null, false, null, [new SalesforceError(null, "Salesforce returned no result for this record.", [])]);
        }

        var id = String(obj["id"]);
        var success = obj["success"] is JsonValue s && s.TryGetValue<bool>(out var b) ? b : id is not null;
        bool? created = obj["created"] is JsonValue c && c.TryGetValue<bool>(out var cb) ? cb : null;
        var errors = obj["errors"] is JsonArray errs ? Parse(errs) : [];
        return new SalesforceSaveResult(id, success, created, errors);
    }

    private static void Collect(JsonNode? node, List<SalesforceError> errors, int depth)
    {
        if (depth > 4)
        {
            return;
        }

        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, errors, depth + 1);
                }

                break;
            case JsonObject obj when obj["errors"] is JsonArray nested && obj["message"] is null:
                // A save result ({"success":false,"errors":[...]}) or an upsert result.
                Collect(nested, errors, depth + 1);
                break;
            case JsonObject obj:
                var code = String(obj["errorCode"]) ?? String(obj["statusCode"]);
                var message = String(obj["message"]) ?? String(obj["error_description"]);
                if (code is null && message is null)
                {
                    return;
                }

                errors.Add(new SalesforceError(code ?? String(obj["error"]), message ?? string.Empty, Strings(obj["fields"]))
                {
                    DuplicateRecordIds = DuplicateIds(obj["duplicateResult"]),
                });
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                // 300 Multiple Choices lists the URLs of the records an external id matched.
                errors.Add(new SalesforceError("MULTIPLE_CHOICES", "Several records match the external id: " + value.GetValue<string>(), []));
                break;
        }
    }

    private static IReadOnlyList<string> DuplicateIds(JsonNode? duplicateResult)
    {
        if (duplicateResult?["matchResults"] is not JsonArray matchResults)
        {
            return [];
        }

        var ids = new List<string>();
        foreach (var match in matchResults)
        {
            if (match?["matchRecords"] is not JsonArray records)
            {
                continue;
            }

            foreach (var record in records)
            {
                if (String(record?["record"]?["Id"]) is { } id)
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    private static IReadOnlyList<string> Strings(JsonNode? node)
    {
        if (node is not JsonArray array || array.Count == 0)
        {
            return [];
        }

        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (String(item) is { } s)
            {
                list.Add(s);
            }
        }

        return list;
    }

    private static string? String(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
