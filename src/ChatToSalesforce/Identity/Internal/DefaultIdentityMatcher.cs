using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
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
                if (BuildQuery(rule, objectType, options, conversation) is { } soql)
                {
                    searches.Add(new Search(r, rule, objectType, context.Salesforce.QueryAsync(soql, cancellationToken).AsTask()));
                }
            }

            if (rule.Kind == IdentificationRuleKind.Email && options.Identity.MatchPersonAccounts && ConversationValues.Read(conversation, "visitor.email") is { } email)
            {
                var soql = $"SELECT Id, PersonContactId, CreatedDate, LastModifiedDate FROM Account WHERE IsPersonAccount = true AND PersonEmail = {Soql.Quote(email)} ORDER BY LastModifiedDate DESC LIMIT {CandidateLimit}";
                searches.Add(new Search(r, rule, "Account", context.Salesforce.QueryAsync(soql, cancellationToken).AsTask()));
            }
        }

        // Start everything before awaiting anything, so all searches share one round trip.
        await Task.WhenAll(searches.Select(s => s.Result)).ConfigureAwait(false);

        foreach (var search in searches)
        {
            var records = search.Result.Result.Records;
            if (search.Rule.Kind == IdentificationRuleKind.Phone)
            {
                var digits = Digits(ConversationValues.Read(conversation, "visitor.phone"));
                var field = search.Rule.Field ?? "Phone";
                records = records.Where(r => SamePhone(Digits(r[field]?.GetValue<string>()), digits)).ToList();
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

        var fields = string.Join(", ", PersonFields.ToRead(options, objectType));
        var soql = $"SELECT {fields} FROM {objectType} WHERE {keyField} = {Soql.Quote(value)} ORDER BY LastModifiedDate DESC LIMIT {CandidateLimit}";
        var result = await context.Salesforce.QueryAsync(soql, cancellationToken).ConfigureAwait(false);
        if (result.Records.Count == 0)
        {
            return IdentityMatch.None;
        }

        if (result.Records.Count > 1 && options.Identity.MultipleMatches == MultipleMatchPolicy.Skip)
        {
            return IdentityMatch.Skip($"{result.Records.Count} {objectType} records share the key {keyField}; Identity.MultipleMatches is Skip.");
        }

        return ToMatch(objectType, Choose(result.Records, options.Identity.MultipleMatches), $"key field {keyField}");
    }

    internal static string? BuildQuery(IdentificationRule rule, string objectType, SalesforceChatExportOptions options, Conversation conversation)
    {
        if (rule.Kind == IdentificationRuleKind.Email)
        {
            // The query of every export (and of every conversation of a batch): built as one string.
            var email = ConversationValues.Read(conversation, "visitor.email");
            if (email is null)
            {
                return null;
            }

            var soql = new DefaultInterpolatedStringHandler(0, 0, System.Globalization.CultureInfo.InvariantCulture, stackalloc char[256]);
            AppendSelect(ref soql, options, objectType);
            soql.AppendLiteral(" WHERE Email = '");
            soql.AppendFormatted(Soql.Escape(email));
            soql.AppendLiteral("'");
            soql.AppendLiteral(CandidateOrder);
            return soql.ToStringAndClear();
        }

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

                // Phone numbers are stored formatted; fetch candidates ending in the same last four digits, compare normalised.
                var field = rule.Field ?? "Phone";
                return $"{select} WHERE {field} LIKE '%{Soql.EscapeLike(digits[^4..])}'{order}";
            case IdentificationRuleKind.ExternalId:
                var value = ConversationValues.Read(conversation, rule.Source!);
                return value is null ? null : $"{select} WHERE {rule.Field} = {Soql.Quote(value)}{order}";
            case IdentificationRuleKind.Soql:
                var from = System.Text.RegularExpressions.Regex.Match(rule.Soql!, @"\bFROM\s+([A-Za-z0-9_]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                if (!from.Success || !string.Equals(from.Groups[1].Value, objectType, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                return SoqlTemplate.Bind(rule.Soql!, conversation);
            default:
                return null;
        }
    }

    private static void AppendSelect(ref DefaultInterpolatedStringHandler soql, SalesforceChatExportOptions options, string objectType)
    {
        soql.AppendLiteral("SELECT ");
        var fields = PersonFields.ToRead(options, objectType);
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                soql.AppendLiteral(", ");
            }

            soql.AppendFormatted(fields[i]);
        }

        soql.AppendLiteral(" FROM ");
        soql.AppendFormatted(objectType);
    }

    private static IdentityMatch ToMatch(string objectType, JsonObject record, string rule)
    {
        var id = record["Id"]!.GetValue<string>();
        if (string.Equals(objectType, "Account", StringComparison.OrdinalIgnoreCase))
        {
            // A Person Account: activities relate to its PersonContact; the account itself is left as it is.
            var personContact = record["PersonContactId"]?.GetValue<string>() ?? id;
            return IdentityMatch.Found("Contact", personContact) with { IsReadOnly = true, Rule = rule + ", Person Account" };
        }

        if (string.Equals(objectType, "Lead", StringComparison.OrdinalIgnoreCase) && record["IsConverted"] is JsonValue converted && converted.GetValue<bool>())
        {
            if (record["ConvertedContactId"]?.GetValue<string>() is { } contactId)
            {
                return IdentityMatch.Found("Contact", contactId) with { ConvertedLeadId = id, Rule = rule + ", converted Lead followed to its Contact" };
            }

            return IdentityMatch.Found("Lead", id, record) with { IsReadOnly = true, Rule = rule + ", converted Lead (not updated)" };
        }

        return IdentityMatch.Found(objectType, id, record) with { Rule = rule };
    }

    private static JsonObject Choose(IReadOnlyList<JsonObject> records, MultipleMatchPolicy policy)
    {
        if (records.Count == 1)
        {
            return records[0];
        }

        // Records arrive ordered by LastModifiedDate DESC; ties and "oldest" are settled by CreatedDate then Id, deterministically.
        return policy == MultipleMatchPolicy.Oldest
            ? records.OrderBy(r => r["CreatedDate"]?.GetValue<string>(), StringComparer.Ordinal).ThenBy(r => r["Id"]?.GetValue<string>(), StringComparer.Ordinal).First()
            : records.OrderByDescending(r => r["LastModifiedDate"]?.GetValue<string>(), StringComparer.Ordinal).ThenBy(r => r["Id"]?.GetValue<string>(), StringComparer.Ordinal).First();
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
        var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
        return shorter.Length >= 7 && longer.EndsWith(shorter, StringComparison.Ordinal);
    }

    private sealed record Search(int RuleIndex, IdentificationRule Rule, string ObjectType, Task<SalesforceQueryResult> Result);
}
