namespace ChatToSalesforce.Mapping;

/// <summary>Turns a conversation into Salesforce field values for the person, the activity and other targets.</summary>
/// <remarks>
/// Values are validated against describe metadata (read through <see cref="FieldMappingContext.Salesforce"/>, cached per
/// org): unknown or non-writable fields are configuration errors; text is truncated to the field length; restricted
/// picklist values follow <see cref="SalesforceChatExportOptions.RestrictedPicklistPolicy"/>. Replace it with
/// <c>builder.UseFieldMapper&lt;T&gt;()</c>.
/// </remarks>
public interface IFieldMapper
{
    /// <summary>Maps the conversation.</summary>
    /// <param name="context">The conversation, options and reader.</param>
    /// <param name="cancellationToken">Cancels the mapping.</param>
    /// <returns>The values per object.</returns>
    ValueTask<FieldMap> MapAsync(FieldMappingContext context, CancellationToken cancellationToken);
}
