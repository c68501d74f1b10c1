namespace ChatToSalesforce.Records;

/// <summary>Decides how the person record is written: created, updated, upserted on a key, or left as it is.</summary>
/// <remarks>
/// It decides; it does not call Salesforce. The unit of work turns the decision into subrequests of the single write
/// request. Honors <see cref="SalesforceChatExportOptions.UpdatePolicy"/> and <see cref="SalesforceChatExportOptions.ProtectedFields"/>.
/// Replace it with <c>builder.UseRecordResolver&lt;T&gt;()</c>.
/// </remarks>
public interface IRecordResolver
{
    /// <summary>Resolves the person record write.</summary>
    /// <param name="context">The match, mapped values and owner.</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The decision.</returns>
    ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken);
}
