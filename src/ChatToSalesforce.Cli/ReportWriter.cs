using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Cli;

/// <summary>Writes <c>--report</c>: the run's summary and every conversation's outcome with its record ids (format in docs/cli.md). Never contains conversation content.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Build(ExportRun run)
    {
        var conversations = new JsonArray();
        foreach (var r in run.Results)
        {
            conversations.Add(Outcome(r));
        }

        var invalid = new JsonArray();
        foreach (var i in run.Invalid)
        {
            invalid.Add(new JsonObject { ["where"] = i.Where, ["line"] = i.Line, ["reason"] = i.Reason });
        }

        return new JsonObject
        {
            ["file"] = run.File,
            ["target"] = run.Target,
            ["startedAt"] = run.StartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["completedAt"] = run.CompletedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["cancelled"] = run.Cancelled,
            ["stoppedEarly"] = run.StoppedBecause,
            ["exitCode"] = run.ExitCode,
            ["summary"] = new JsonObject
            {
                ["total"] = run.Total,
                ["exported"] = run.Exported,
                ["skipped"] = run.Skipped,
                ["failed"] = run.Failed,
                ["notStarted"] = run.Total - run.Results.Count,
                ["invalid"] = run.Invalid.Count,
                ["apiCalls"] = run.ApiCalls,
            },
            ["apiUsage"] = run.UsageUsed is null ? null : new JsonObject { ["used"] = run.UsageUsed, ["limit"] = run.UsageLimit },
            ["conversations"] = conversations,
            ["invalid"] = invalid,
        };
    }

    public static async Task WriteAsync(string path, ExportRun run, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, Build(run).ToJsonString(Indented) + Environment.NewLine, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Outcome(ConversationExportResult r)
    {
        var files = new JsonArray();
        foreach (var f in r.Files)
        {
            files.Add(Ref(f));
        }

        var warnings = new JsonArray();
        foreach (var w in r.Warnings)
        {
            warnings.Add(w);
        }

        return new JsonObject
        {
            ["id"] = r.ConversationId,
            ["tenantId"] = r.TenantId,
            ["status"] = JsonNamingPolicy.CamelCase.ConvertName(r.Status.ToString()),
            ["skipReason"] = r.SkipReason,
            ["error"] = r.Error is null ? null : new JsonObject
            {
                ["type"] = r.Error.GetType().Name,
                ["errorCode"] = (r.Error as SalesforceApiException)?.ErrorCode,
                ["message"] = r.Error.Message,
            },
            ["person"] = Ref(r.Person),
            ["activity"] = Ref(r.Activity),
            ["files"] = files,
            ["ownerId"] = r.OwnerId,
            ["apiCalls"] = r.ApiCalls,
            ["warnings"] = warnings,
        };
    }

    private static JsonObject? Ref(SalesforceRecordRef? r) => r is null ? null : new JsonObject
    {
        ["objectType"] = r.ObjectType,
        ["id"] = r.Id,
        ["change"] = JsonNamingPolicy.CamelCase.ConvertName(r.Change.ToString()),
    };
}

/// <summary>The outcome of an export run.</summary>
internal sealed class ExportRun
{
    public required string File { get; init; }

    public required string Target { get; init; }

    public required int Total { get; init; }

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset CompletedAt { get; set; }

    public List<ConversationExportResult> Results { get; } = [];

    public bool Cancelled { get; set; }

    /// <summary>Gets or sets why the export stopped before the end (rejected credentials, unreachable org), or <see langword="null"/>.</summary>
    public string? StoppedBecause { get; set; }

    /// <summary>Gets the input skipped with <c>--skip-invalid</c>.</summary>
    public IReadOnlyList<InvalidInput> Invalid { get; init; } = [];

    public long? UsageUsed { get; set; }

    public long? UsageLimit { get; set; }

    public int ExitCode { get; set; }

    /// <summary>Gets whether the run exports for tenants (<c>--tenants</c>): summaries per tenant, and no tenant's failure stops the others.</summary>
    public bool PerTenant { get; init; }

    public int Exported => Results.Count(r => r.Status == ExportStatus.Exported);

    public int Skipped => Results.Count(r => r.Status == ExportStatus.Skipped);

    public int Failed => Results.Count(r => r.Status == ExportStatus.Failed);

    public int ApiCalls => Results.Sum(r => r.ApiCalls);
}
