using ChatToSalesforce.Actions.Internal;
using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Identity.Internal;

/// <summary>
/// Applies <see cref="IdentityOptions.Rules"/> in order over the searched objects. All queries start at once (one read
/// round); the first rule and object with a match wins, and several matches follow <see cref="IdentityOptions.MultipleMatches"/>.
/// Converted Leads are followed to their Contact and never updated.
/// </summary>
internal sealed class DefaultIdentityMatcher : IIdentityMatcher
{
    internal const int CandidateLimit = 50;

    /// <summary>The ordering and limit of every candidate query (the limit is <see cref="CandidateLimit"/>).</summary>
    private const string CandidateOrder = " ORDER BY LastModifiedDate DESC LIMIT 50";

    public async ValueTask<IdentityMatch> MatchAsync(IdentityMatchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var conversation = context.Conversation;

        if (options.Mode == ExportMode.Record)
        {
            return await MatchRecordAsync(context, cancellationToken).ConfigureAwait(false);
        }

        if (options.PersonKeyField is not null)
        {
            // The person is upserted on its external-id key in the write request: no read is needed.
            return IdentityMatch.None;
        }

        var searches = new List<Search>();
        for (var r = 0; r < options.Identity.Rules.Count; r++)
        {
            var rule = options.Identity.Rules[r];
            foreach (var objectType in PersonFields.SearchOrder(options))
            {
                if (BuildLookup(rule, objectType, options, conversation) is { } lookup)
                {
                    // Keyed: merged with the same lookup of the chunk's other conversations into one IN query.
                    searches.Add(new Search(r, rule, objectType, Records(context.Salesforce.LookupAsync(lookup, cancellationToken))));
                }
                else if (BuildQuery(rule, objectType, options, conversation) is { } soql)
                {
                    searches.Add(new Search(r, rule, objectType, Records(context.Salesforce.QueryAsync(soql, cancellationToken))));
                }
            }

            if (rule.Kind == IdentificationRuleKind.Email && options.Identity.MatchPersonAccounts && ConversationValues.Read(conversation, "visitor.email") is { } email)
            {
                var lookup = new SalesforceLookup { ObjectType = "Account", Field = "PersonEmail", Value = email, Fields = ["Id", "PersonContactId", "CreatedDate", "LastModifiedDate"], Filter = "IsPersonAccount = true" };
                searches.Add(new Search(r, rule, "Account", Records(context.Salesforce.LookupAsync(lookup, cancellationToken))));
            }
        }

        // Start everything before awaiting anything, so all searches share one round trip.
        await Task.WhenAll(searches.Select(s => s.Result)).ConfigureAwait(false);

        foreach (var search in searches)
        {
            var records = search.Result.Result;
            if (search.Rule.Kind == IdentificationRuleKind.Phone)
            {
                var digits = Digits(ConversationValues.Read(conversation, "visitor.phone"));
                var field = search.Rule.Field ?? "Phone";
                records = records.Where(r => SamePhone(Digits(r.GetString(field)), digits)).ToList();
            }

            if (records.Count == 0)
            {
                continue;
            }

            if (records.Count > 1 && search.Rule.Kind != IdentificationRuleKind.Soql)
            {
                if (options.Identity.MultipleMatches == MultipleMatchPolicy.Skip)
                {
                    return IdentityMatch.Skip($"{records.Count} {search.ObjectType} records match identification rule {search.RuleIndex} ({search.Rule.Kind}); Identity.MultipleMatches is Skip.");
                }
            }

            var chosen = search.Rule.Kind == IdentificationRuleKind.Soql ? records[0] : Choose(records, options.Identity.MultipleMatches);
            return ToMatch(search.ObjectType, chosen, $"rule {search.RuleIndex} ({search.Rule.Kind}) on {search.ObjectType}" + (records.Count > 1 ? $", {records.Count} matches, {options.Identity.MultipleMatches}" : string.Empty));
        }

        return IdentityMatch.None;
    }

    private static async ValueTask<IdentityMatch> MatchRecordAsync(IdentityMatchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var objectType = options.Record.ObjectType!;
        if (options.Record.KeyField is not { } keyField)
        {
            return IdentityMatch.None;
        }

        var mapping = options.FieldMappings.FirstOrDefault(m => FieldTarget.TryParse(m.Target, out var o, out var f)
            && string.Equals(o, objectType, StringComparison.OrdinalIgnoreCase) && string.Equals(f, keyField, StringComparison.OrdinalIgnoreCase));
        var value = mapping is null ? null : mapping.Value ?? ConversationValues.Read(context.Conversation, mapping.Source!);
        if (value is null)
        {
            return IdentityMatch.Skip($"the key field {objectType}.{keyField} has no value for this conversation (Record.KeyField).");
        }

        var records = Take(await context.Salesforce.LookupAsync(
            new SalesforceLookup { ObjectType = objectType, Field = keyField, Value = value, Fields = PersonFields.ToRead(options, objectType).ToArray() },
            cancellationToken).ConfigureAwait(false));
        if (records.Count == 0)
        {
            return IdentityMatch.None;
        }

        if (records.Count > 1 && options.Identity.MultipleMatches == MultipleMatchPolicy.Skip)
        {
            return IdentityMatch.Skip($"{records.Count} {objectType} records share the key {keyField}; Identity.MultipleMatches is Skip.");
        }

        return ToMatch(objectType, Choose(records, options.Identity.MultipleMatches), $"key field {keyField}");
    }

    internal static string? BuildQuery(IdentificationRule rule, string objectType, SalesforceChatExportOptions options, Conversation conversation)
    {
        var select = $"SELECT {string.Join(", ", PersonFields.ToRead(options, objectType))} FROM {objectType}";
        const string order = CandidateOrder;
        switch (rule.Kind)
        {
            case IdentificationRuleKind.Phone:
                var digits = Digits(ConversationValues.Read(conversation, "visitor.phone"));
                if (digits.Length < 4)
                {
                    return null;
                }

                // Phone numbers are stored formatted ("+33 1 23 45 67 89"): fetch candidates ending in the same last digits
                // (up to seven, which SamePhone requires anyway) whatever separates them, then compare normalised.
                var field = rule.Field ?? "Phone";
                var tail = digits[^Math.Min(7, digits.Length)..];
                return $"{select} WHERE {field} LIKE '%{string.Join('%', tail.ToCharArray())}'{order}";
            case IdentificationRuleKind.Soql:
                // The template's own FROM object (a parent-child subquery's FROM does not count). Its first row wins: it reads
                // no more candidates than the other rules, so a broad rule costs one page, not every page of its result.
                var template = SoqlTemplate.Cached(rule.Soql!);
                return template is not null && string.Equals(template.ObjectType, objectType, StringComparison.OrdinalIgnoreCase) && template.Bind(conversation) is { } soql
                    ? SoqlLimit.AtMost(soql, CandidateLimit)
                    : null;
            default:
                return null;
        }
    }

    private static IdentityMatch ToMatch(string objectType, SalesforceFieldValues record, string rule)
    {
        var id = record.GetString("Id")!;
        if (string.Equals(objectType, "Account", StringComparison.OrdinalIgnoreCase))
        {
            // A Person Account: activities relate to its PersonContact; the account itself is left as it is.
            var personContact = record.GetString("PersonContactId") ?? id;
            return IdentityMatch.Found("Contact", personContact) with { IsReadOnly = true, Rule = rule + ", Person Account" };
        }

        if (PersonFields.IsConvertedLead(objectType, record))
        {
            if (record.GetString("ConvertedContactId") is { } contactId)
            {
                return IdentityMatch.Found("Contact", contactId) with { ConvertedLeadId = id, Rule = rule + ", converted Lead followed to its Contact" };
            }

            return IdentityMatch.Found("Lead", id, record) with { IsReadOnly = true, Rule = rule + ", converted Lead (not updated)" };
        }

        return IdentityMatch.Found(objectType, id, record) with { Rule = rule };
    }

    private static SalesforceFieldValues Choose(IReadOnlyList<SalesforceFieldValues> records, MultipleMatchPolicy policy)
    {
        if (records.Count == 1)
        {
            return records[0];
        }

        // Records arrive ordered by LastModifiedDate DESC; ties and "oldest" are settled by CreatedDate then Id, deterministically.
        return policy == MultipleMatchPolicy.Oldest
            ? records.OrderBy(r => r.GetString("CreatedDate"), StringComparer.Ordinal).ThenBy(r => r.GetString("Id"), StringComparer.Ordinal).First()
            : records.OrderByDescending(r => r.GetString("LastModifiedDate"), StringComparer.Ordinal).ThenBy(r => r.GetString("Id"), StringComparer.Ordinal).First();
    }

    internal static string Digits(string? phone) => phone is null ? string.Empty : new string(phone.Where(char.IsAsciiDigit).ToArray());

    internal static bool SamePhone(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        if (a == b)
        {
            return true;
        }

        // Country codes and trunk prefixes: the shorter number must be the tail of the longer and long enough to be a number.
        // A national number's trunk prefix ("020 ..." for "+44 20 ...") is not part of the international number.
        var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
        shorter = shorter.TrimStart('0');
        return shorter.Length >= 7 && longer.EndsWith(shorter, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<SalesforceFieldValues>> Records(ValueTask<IReadOnlyList<SalesforceFieldValues>> lookup) =>
        Take(await lookup.ConfigureAwait(false));

    private static async Task<IReadOnlyList<SalesforceFieldValues>> Records(ValueTask<SalesforceQueryResult> query) =>
        (await query.ConfigureAwait(false)).Records;

    private static IReadOnlyList<SalesforceFieldValues> Take(IReadOnlyList<SalesforceFieldValues> records) =>
        records.Count <= CandidateLimit ? records : records.Take(CandidateLimit).ToArray();

    /// <summary>The keyed lookup of an email or external-id rule (batched); other rules query (one query per conversation).</summary>
    internal static SalesforceLookup? BuildLookup(IdentificationRule rule, string objectType, SalesforceChatExportOptions options, Conversation conversation)
    {
        var (field, value) = rule.Kind switch
        {
            IdentificationRuleKind.Email => ("Email", ConversationValues.Read(conversation, "visitor.email")),
            IdentificationRuleKind.ExternalId => (rule.Field!, ConversationValues.Read(conversation, rule.Source!)),
            _ => (string.Empty, null),
        };
        return value is null ? null : new SalesforceLookup { ObjectType = objectType, Field = field, Value = value, Fields = PersonFields.ToRead(options, objectType).ToArray() };
    }

    private sealed record Search(int RuleIndex, IdentificationRule Rule, string ObjectType, Task<IReadOnlyList<SalesforceFieldValues>> Result);
}
