using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Actions;

/// <summary>The record actions a chatbot flow runs during a conversation, and the metadata a flow builder lists.</summary>
/// <remarks>
/// <para>Every action answers with a <see cref="BotActionResult"/> shaped for a bot engine: an outcome to branch on
/// (<c>NotFound</c> is a normal outcome, not an error), the values per field to put into variables, and for a failure
/// its classification and Salesforce's own message as data. Salesforce failures are results, not exceptions.</para>
/// <para>Values are checked against the object's cached describe before anything is written (object, field, createable,
/// type, length, restricted picklist); a problem fails the action naming the object and field, and nothing is sent.
/// Reads share the export's read path (batched, describes cached per org); writes go through the export's write
/// transport. Registered by <c>AddSalesforceChatExport</c>.</para>
/// </remarks>
public interface IChatbotActions
{
    /// <summary>Creates a record of any object, custom ones included, or updates the existing one found by a key field.</summary>
    /// <param name="request">The object, the values and the optional key field.</param>
    /// <param name="cancellationToken">Cancels the action.</param>
    /// <returns><c>Created</c> or <c>Updated</c> with the record id, or <c>Failed</c> (nothing written).</returns>
    Task<BotActionResult> CreateRecordAsync(CreateRecordRequest request, CancellationToken cancellationToken = default);

    /// <summary>Finds the most recently modified record whose field equals a value, and reads the chosen fields.</summary>
    /// <param name="request">The object, the field and value to search by, and the fields to return.</param>
    /// <param name="cancellationToken">Cancels the action.</param>
    /// <returns><c>Found</c> with the values, <c>NotFound</c>, or <c>Failed</c>.</returns>
    Task<BotActionResult> FindRecordAsync(FindRecordRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs an admin's SOQL template with its placeholders bound to the conversation's values; the first row wins.</summary>
    /// <param name="request">The template (validated when it was parsed) and the values.</param>
    /// <param name="cancellationToken">Cancels the action.</param>
    /// <returns><c>Found</c> with the SELECTed fields' values, <c>NotFound</c>, or <c>Failed</c> (also when a placeholder has no value).</returns>
    Task<BotActionResult> FindRecordBySoqlAsync(SoqlFindRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the org's objects the integration user can create or query (for a flow builder's object picker).</summary>
    /// <param name="tenantId">The tenant; <see langword="null"/> is the org configured at start-up.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The objects, by name, each saying whether it can be created and queried. Cached like describes.</returns>
    Task<IReadOnlyList<SalesforceObjectSummary>> GetObjectsAsync(string? tenantId = null, CancellationToken cancellationToken = default);

    /// <summary>Lists an object's createable fields, required ones apart, with types, lengths and picklist values (from the cached describe).</summary>
    /// <param name="objectType">The object, for example <c>Lead</c> or <c>Chat_Survey__c</c>.</param>
    /// <param name="tenantId">The tenant; <see langword="null"/> is the org configured at start-up.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The fields.</returns>
    /// <exception cref="ExportConfigurationException">The object does not exist or the integration user cannot see it.</exception>
    Task<CreatableFields> GetCreatableFieldsAsync(string objectType, string? tenantId = null, CancellationToken cancellationToken = default);
}
