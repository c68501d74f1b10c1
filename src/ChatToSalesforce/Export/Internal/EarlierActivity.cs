using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Export.Internal;

/// <summary>The activity an earlier export of the conversation (session) wrote, in whichever activity object, and the person it links to.</summary>
/// <param name="ObjectType">The activity object it was found in.</param>
/// <param name="ActivityId">The activity.</param>
/// <param name="PersonId">The person it links to, if any.</param>
/// <param name="ElsewhereThanConfigured">Whether it was found in another activity object than the mode in force writes (a push with other choices).</param>
internal sealed record EarlierActivity(string ObjectType, string ActivityId, string? PersonId, bool ElsewhereThanConfigured)
{
    // What a search in an object the integration user cannot read (or the org does not have) answers: nothing was pushed there.
    private static readonly string[] NotReadable = ["INVALID_TYPE", "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY"];

    /// <summary>
    /// Gets the person object of the export that wrote the activity: the object <see cref="PersonId"/> is (Contact or Lead).
    /// A Case pushed into another object than the configured one without a Contact was pushed for a Lead (a Case links only
    /// to Contacts); a Case of the configured object without one (its Contact deleted, say) says nothing.
    /// </summary>
    public string? PersonObject => RecordIds.PersonObjectOf(PersonId)
        ?? (PersonId is null && ElsewhereThanConfigured && string.Equals(ObjectType, "Case", StringComparison.OrdinalIgnoreCase) ? "Lead" : null);

    /// <summary>
    /// Queues the lookups in the reader's current round (before any await, so they travel with the export's other reads):
    /// the configured activity object by the activity key when it needs a look (always when following pushes), and the other
    /// activity objects by the marker (<see cref="Actions.ChatActionOptions.FollowPushedExports"/>). The configured object's
    /// activity wins.
    /// </summary>
    public static Task<EarlierActivity?>? Find(ISalesforceReader reader, Conversation conversation, ActivityKey key, SalesforceChatExportOptions options, string activityObject, CancellationToken cancellationToken)
    {
        var lookups = new List<(string ObjectType, Task<IReadOnlyList<SalesforceFieldValues>> Records, bool Elsewhere)>(3);
        // With a conversation id field the configured object is upserted on the key, so it is looked up only to find
        // missing files, or to follow a push's person (FollowPushedExports).
        if (ActivityMarker.NeedsLookup(conversation, options) || options.Actions.FollowPushedExports)
        {
            lookups.Add((activityObject, reader.LookupAsync(ActivityMarker.Lookup(activityObject, key, options.ConversationIdField), cancellationToken).AsTask(), false));
        }

        if (options.Actions.FollowPushedExports)
        {
            foreach (var other in ActivityMarker.ActivityObjects.Where(o => !string.Equals(o, activityObject, StringComparison.OrdinalIgnoreCase)))
            {
                lookups.Add((other, reader.LookupAsync(ActivityMarker.Lookup(other, key, conversationIdField: null), cancellationToken).AsTask(), true));
            }
        }

        return lookups.Count == 0 ? null : PickAsync(lookups, key);
    }

    private static async Task<EarlierActivity?> PickAsync(List<(string ObjectType, Task<IReadOnlyList<SalesforceFieldValues>> Records, bool Elsewhere)> lookups, ActivityKey key)
    {
        EarlierActivity? found = null;
        foreach (var (objectType, records, elsewhere) in lookups)
        {
            IReadOnlyList<SalesforceFieldValues> answer;
            try
            {
                answer = await records.ConfigureAwait(false);
            }
            catch (SalesforceApiException ex) when (elsewhere && NotReadable.Contains(ex.ErrorCode))
            {
                continue;
            }

            // Salesforce's LIKE ignores case, conversation ids do not: "[chat abc]" is not the marker of "AbC".
            if (found is null && answer.FirstOrDefault(r => ActivityMarker.IsMarkerOf(r, key)) is { } record && record.GetString("Id") is { } id)
            {
                found = new EarlierActivity(objectType, id, record.GetString(ActivityMarker.PersonLink(objectType)), elsewhere);
            }
        }

        return found;
    }
}
