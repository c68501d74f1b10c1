using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy.Internal;

namespace ChatToSalesforce.Actions.Internal;

/// <summary>
/// The agent console's lookup: the registered identity matcher (the export's rules, precedence and several-matches
/// policy) runs on the visitor's values through the export's read path, its reads widened to the fields the console
/// shows; the answer is kept briefly per tenant (<see cref="ActionCache"/>).
/// </summary>
internal sealed class VisitorLookup(TenantRegistry tenants, IIdentityMatcher matcher, ActionCache cache, TimeProvider timeProvider) : IVisitorLookup
{
    private static readonly Dictionary<string, string[]> Shown = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Contact"] = ["Name", "FirstName", "LastName", "Email", "Phone", "AccountId", "Account.Name", "OwnerId", "Owner.Name"],
        ["Lead"] = ["Name", "FirstName", "LastName", "Email", "Phone", "Company", "OwnerId", "Owner.Name", "IsConverted", "ConvertedContactId", "ConvertedAccountId"],
        ["Account"] = ["Name", "PersonEmail", "Phone", "PersonContactId", "OwnerId", "Owner.Name"],
    };

    public async Task<VisitorLookupResult> LookupAsync(VisitorLookupRequest request, CancellationToken cancellationToken = default)
    {
        using var priority = SalesforceApiPriority.Default(ApiWorkPriority.Interactive);
        ArgumentNullException.ThrowIfNull(request);
        var requested = Requested(request.Fields);
        var tenant = await tenants.GetAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var conversation = ToConversation(request);
        var key = Key(request, conversation);
        if (cache.TryGet<VisitorLookupResult>(tenant.OrgKey, ActionCache.VisitorTag, key, out var cached))
        {
            return cached.Cached();
        }

        var options = tenant.Options;
        var extra = ExtraFields(requested, PersonFields.PersonObject(options));
        var ((match, searches, followed), calls) = await ActionReads.RunAsync(tenant, reader => MatchAsync(reader, options, conversation, extra, cancellationToken), cancellationToken).ConfigureAwait(false);

        var result = Shape(match, searches, followed, options, conversation, extra, calls);
        cache.Set(tenant.OrgKey, ActionCache.VisitorTag, key, result, options.Actions);
        return result;
    }

    private async Task<(IdentityMatch Match, List<(string ObjectType, string? Soql, IReadOnlyList<SalesforceFieldValues> Records)> Searches, SalesforceFieldValues? Followed)> MatchAsync(
        ISalesforceReader reader, SalesforceChatExportOptions options, Conversation conversation, Dictionary<string, IReadOnlyList<string>> extra, CancellationToken cancellationToken)
    {
        var recording = new RecordingReader(reader, extra);
        var personObject = PersonFields.PersonObject(options);
        IdentityMatch match;
        if (options.PersonKeyField is { } keyField && options.Mode != ExportMode.Record)
        {
            // The export upserts on this key without reading; the console reads it.
            var value = ConversationValues.Read(conversation, options.PersonKeySource);
            var records = value is null ? [] : await recording.LookupAsync(
                new SalesforceLookup { ObjectType = personObject, Field = keyField, Value = value, Fields = PersonFields.ToRead(options, personObject).ToArray() },
                cancellationToken).ConfigureAwait(false);
            match = records.Count == 0 ? IdentityMatch.None : IdentityMatch.Found(personObject, records[0].GetString("Id")!, records[0]);
        }
        else
        {
            match = await matcher.MatchAsync(new IdentityMatchContext { Conversation = conversation, Options = options, PersonObject = personObject, Salesforce = recording }, cancellationToken).ConfigureAwait(false);
        }

        SalesforceFieldValues? followed = null;
        if (match.IsFound && match.ConvertedLeadId is not null)
        {
            // A converted Lead leads to its Contact: the Contact's own fields need one more round.
            var contacts = await recording.LookupAsync(new SalesforceLookup { ObjectType = "Contact", Field = "Id", Value = match.Id!, Fields = extra.GetValueOrDefault("Contact") ?? ["Id"] }, cancellationToken).ConfigureAwait(false);
            followed = contacts.FirstOrDefault();
        }

        var searches = new List<(string, string?, IReadOnlyList<SalesforceFieldValues>)>();
        foreach (var (objectType, soql, records) in recording.Searches)
        {
            searches.Add((objectType, soql, records.IsCompletedSuccessfully ? records.Result : []));
        }

        return (match, searches, followed);
    }

    private static VisitorLookupResult Shape(
        IdentityMatch match,
        List<(string ObjectType, string? Soql, IReadOnlyList<SalesforceFieldValues> Records)> searches,
        SalesforceFieldValues? followed,
        SalesforceChatExportOptions options,
        Conversation conversation,
        Dictionary<string, IReadOnlyList<string>> extra,
        int calls)
    {
        var phone = DefaultIdentityMatcher.Digits(ConversationValues.Read(conversation, "visitor.phone"));
        var found = searches.Select(s => (s.ObjectType, Records: PhoneFiltered(s.Soql, s.Records, options, phone))).ToList();
        if (!match.IsFound)
        {
            // Nobody, or several and the policy skips: show the records of the first search that found any.
            var first = match.SkipReason is null ? default : found.FirstOrDefault(s => s.Records.Count > 0);
            var records = first.Records is null ? [] : first.Records.Select(r => ToRecord(first.ObjectType, r, extra)).ToArray();
            return new VisitorLookupResult(null, records, match.SkipReason, calls, fromCache: false);
        }

        var personAccount = match.Rule?.Contains("Person Account", StringComparison.Ordinal) == true;
        var (winObject, winId) = personAccount ? ("Account", (string?)null) : match.ConvertedLeadId is { } lead ? ("Lead", lead) : (match.ObjectType!, match.Id);
        var winner = found.FirstOrDefault(s => string.Equals(s.ObjectType, winObject, StringComparison.OrdinalIgnoreCase)
            && s.Records.Any(r => personAccount ? r.GetString("PersonContactId") == match.Id : r.GetString("Id") == winId));
        var all = (winner.Records ?? []).Select(r => ToRecord(winObject, r, extra)).ToList();
        var chosen = all.FirstOrDefault(r => personAccount ? r.ContactId == match.Id : r.Id == winId)
            ?? new VisitorRecord(match.ObjectType!, match.Id!, new Dictionary<string, string?>()) { ContactId = match.ObjectType == "Contact" ? match.Id : null };
        if (followed is not null)
        {
            chosen = ToRecord("Contact", followed, extra);
        }

        all.Remove(chosen);
        all.Insert(0, chosen);
        return new VisitorLookupResult(chosen, all, null, calls, fromCache: false);
    }

    private static IReadOnlyList<SalesforceFieldValues> PhoneFiltered(string? soql, IReadOnlyList<SalesforceFieldValues> records, SalesforceChatExportOptions options, string phone)
    {
        if (soql is null || phone.Length == 0)
        {
            return records;
        }

        foreach (var rule in options.Identity.Rules.Where(r => r.Kind == IdentificationRuleKind.Phone))
        {
            var field = rule.Field ?? "Phone";
            if (soql.Contains($" WHERE {field} LIKE '%", StringComparison.Ordinal))
            {
                // The phone rule reads candidates ending in the same digits and compares whole numbers (as the matcher does).
                return records.Where(r => DefaultIdentityMatcher.SamePhone(DefaultIdentityMatcher.Digits(r.GetString(field)), phone)).ToArray();
            }
        }

        return records;
    }

    private static VisitorRecord ToRecord(string objectType, SalesforceFieldValues record, Dictionary<string, IReadOnlyList<string>> extra)
    {
        var fields = ActionReads.Values(record, extra.GetValueOrDefault(objectType) ?? []);
        var id = record.GetString("Id") ?? string.Empty;
        var contactId = objectType.ToUpperInvariant() switch
        {
            "CONTACT" => id,
            "ACCOUNT" => fields.GetValueOrDefault("PersonContactId"),
            "LEAD" => fields.GetValueOrDefault("ConvertedContactId"),
            _ => null,
        };
        return new VisitorRecord(objectType, id, fields) { ContactId = contactId };
    }

    /// <summary>The fields selected per object: what the console always shows, then the host's <c>Object.Field</c> requests.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ExtraFields(ILookup<string, string> requested, string personObject)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var objectType in Shown.Keys.Append(personObject).Concat(requested.Select(g => g.Key)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var fields = new List<string> { "Id" };
            foreach (var f in (Shown.GetValueOrDefault(objectType) ?? []).Concat(requested[objectType]))
            {
                PersonFields.AddDistinct(fields, f);
            }

            extra[objectType] = fields;
        }

        return extra;
    }

    private static ILookup<string, string> Requested(IReadOnlyList<string> fields)
    {
        var pairs = new List<(string Object, string Field)>();
        foreach (var f in fields)
        {
            var dot = f?.IndexOf('.', StringComparison.Ordinal) ?? -1;
            if (f is null || dot <= 0 || dot == f.Length - 1 || !Soql.IsIdentifier(f) || !Soql.IsIdentifier(f[..dot]))
            {
                throw new ArgumentException($"Fields: '{f}' is not written as Object.Field (for example Contact.Title or Lead.Status).", nameof(fields));
            }

            pairs.Add((f[..dot], f[(dot + 1)..]));
        }

        return pairs.ToLookup(p => p.Object, p => p.Field, StringComparer.OrdinalIgnoreCase);
    }

    private Conversation ToConversation(VisitorLookupRequest request)
    {
        var values = ActionReads.RequestValues(request.Values, out var problem);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var custom = values.Where(v => v.Key.StartsWith(ConversationValues.CustomPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(v => v.Key[ConversationValues.CustomPrefix.Length..], v => v.Value, StringComparer.OrdinalIgnoreCase);
        return new Conversation
        {
            Id = "visitor-lookup",
            StartedAt = timeProvider.GetUtcNow(),
            Visitor = new ChatVisitor
            {
                Email = request.Email ?? values.GetValueOrDefault("visitor.email"),
                Phone = request.Phone ?? values.GetValueOrDefault("visitor.phone"),
                Name = values.GetValueOrDefault("visitor.name"),
                FirstName = values.GetValueOrDefault("visitor.firstName"),
                LastName = values.GetValueOrDefault("visitor.lastName"),
                Company = values.GetValueOrDefault("visitor.company"),
            },
            CustomFields = custom,
        };
    }

    private static string Key(VisitorLookupRequest request, Conversation conversation) =>
        string.Join('\u001f',
            "lookup",
            conversation.Visitor.Email?.Trim().ToLowerInvariant(),
            DefaultIdentityMatcher.Digits(conversation.Visitor.Phone),
            string.Join('\u001e', request.Values.OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase).Select(v => v.Key.ToLowerInvariant() + "=" + v.Value)),
            string.Join(',', request.Fields.Order(StringComparer.OrdinalIgnoreCase)));
}
