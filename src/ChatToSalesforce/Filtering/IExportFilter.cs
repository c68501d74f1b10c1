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
