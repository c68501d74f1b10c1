namespace ChatToSalesforce.Filtering;

/// <summary>Decides whether a conversation is exported at all. All filters must pass.</summary>
/// <remarks>
/// The default filter evaluates <see cref="SalesforceChatExportOptions.Filters"/>. Add more with
/// <c>builder.AddExportFilter&lt;T&gt;()</c>; they run in registration order and the first that declines wins.
/// A declined conversation makes no Salesforce call.
/// </remarks>
public interface IExportFilter
{
    /// <summary>Evaluates the conversation.</summary>
    /// <param name="context">The conversation and options.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>Whether to export, and why not.</returns>
    ValueTask<ExportFilterResult> EvaluateAsync(ExportFilterContext context, CancellationToken cancellationToken);
}

/// <summary>The input of <see cref="IExportFilter"/>.</summary>
public sealed class ExportFilterContext
{
    /// <summary>Gets the conversation.</summary>
    public required Conversation Conversation { get; init; }

    /// <summary>Gets the options in force.</summary>
    public required SalesforceChatExportOptions Options { get; init; }

    /// <summary>The tenant the conversation belongs to (<see cref="Conversation.TenantId"/>); <see langword="null"/> for the org configured at start-up.</summary>
    public string? TenantId { get; init; }
}

/// <summary>The outcome of an export filter.</summary>
public sealed class ExportFilterResult
{
    private ExportFilterResult(string? skipReason) => SkipReason = skipReason;

    /// <summary>Gets a result that lets the export proceed.</summary>
    public static ExportFilterResult Export { get; } = new(null);

    /// <summary>Gets why the export is skipped, or <see langword="null"/> when it proceeds.</summary>
    public string? SkipReason { get; }

    /// <summary>Gets whether the export proceeds.</summary>
    public bool ShouldExport => SkipReason is null;

    /// <summary>Creates a result that skips the export.</summary>
    /// <param name="reason">Why; no personal data.</param>
    /// <returns>The result.</returns>
    public static ExportFilterResult Skip(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(reason);
    }
}
