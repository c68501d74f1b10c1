using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Pipeline.Internal;

/// <summary>
/// The shared read of one chunk of a batch export: persons by email and agent Users by email (as <c>IN</c> queries,
/// at most <see cref="MaxValuesPerQuery"/> values each) and the describes that are not cached, sent as subrequests of
/// as few <c>/composite</c> requests as Salesforce allows (25 subrequests, 5 of them queries, per request).
/// </summary>
/// <remarks>
/// The results are stored as the answers to the exact queries the default identity matcher and owner resolver issue
/// for each conversation, so those stages run unchanged on them (see <see cref="PrefetchedSalesforceReader"/>).
/// </remarks>
internal sealed class BatchPrefetch
{
    /// <summary>Values per <c>IN</c> list.</summary>
    internal const int MaxValuesPerQuery = 100;

    /// <summary>Characters per <c>IN (...)</c> list, well under Salesforce's 4,000-character limit on a WHERE-clause string.</summary>
    internal const int MaxInListLength = 3_500;

    private readonly Dictionary<string, IReadOnlyList<JsonObject>> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Exception> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SalesforceObjectDescription> _describes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets an empty prefetch (every read falls through to the per-conversation reader).</summary>
    public static BatchPrefetch Empty { get; } = new();

    public bool TryGetAnswer(string soql, out IReadOnlyList<JsonObject> records, out Exception? error)
    {
        if (_errors.TryGetValue(soql, out error))
        {
            records = [];
            return true;
        }

        return _answers.TryGetValue(soql, out records!);
    }

    public bool TryGetDescribe(string objectType, out SalesforceObjectDescription description) =>
        _describes.TryGetValue(objectType, out description!);

    /// <summary>Reads what the chunk's conversations share.</summary>
    /// <param name="conversations">The conversations that passed the filters and the readiness check.</param>
    /// <param name="options">The options in force.</param>
    /// <param name="persons">Whether to prefetch persons by email (the default identity matcher with an email rule).</param>
    /// <param name="agents">Whether to prefetch agent Users (the default owner resolver with the agent strategy).</param>
    /// <param name="cache">The per-org metadata cache (describes and agent Users are read from and stored in it).</param>
    /// <param name="client">The (gated, counting) transport.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<BatchPrefetch> LoadAsync(
        IReadOnlyList<Conversation> conversations,
        SalesforceChatExportOptions options,
        bool persons,
        bool agents,
        OrgMetadataCache cache,
        ISalesforceClient client,
        CancellationToken cancellationToken)
    {
        var prefetch = new BatchPrefetch();
        var org = options.InstanceUrl?.ToString() ?? string.Empty;
        var reads = new List<Read>();
        var personObject = PersonFields.PersonObject(options);
        var described = ConversationExporter.DescribedObjects(options, personObject, PersonFields.ActivityObject(options.Mode));
        await cache.WarmAsync(org, described, agents ? AgentKeys(conversations) : [], options.MetadataCacheDuration, cancellationToken).ConfigureAwait(false);

        foreach (var objectType in described)
        {
            if (cache.TryGetDescribe(org, objectType, out var cached))
            {
                prefetch._describes[objectType] = cached;
            }
            else
            {
                reads.Add(new Read(objectType, IsQuery: false));
            }
        }

        // Persons: one IN query per object searched and per slice of emails; grouped by lower-cased email afterwards.
        var personRecords = new Dictionary<string, Dictionary<string, List<JsonObject>>>(StringComparer.OrdinalIgnoreCase);
        var personErrors = new Dictionary<string, Exception>(StringComparer.OrdinalIgnoreCase);
        if (persons)
        {
            var emails = Distinct(conversations.Select(c => ConversationValues.Read(c, "visitor.email")));
            foreach (var objectType in PersonFields.SearchOrder(options))
            {
                var byEmail = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
                personRecords[objectType] = byEmail;
                var select = $"SELECT {string.Join(", ", PersonFields.ToRead(options, objectType))} FROM {objectType} WHERE Email IN ";
                foreach (var list in InLists(emails))
                {
                    var target = objectType;
                    reads.Add(new Read(select + list + " ORDER BY LastModifiedDate DESC", IsQuery: true)
                    {
                        OnRecords = records => Group(records, "Email", byEmail),
                        OnError = ex => personErrors[target] = ex,
                    });
                }
            }
        }

        // Agent Users not in the cache: one IN query per slice; the answers also go to the cache.
        var agentEmails = new List<string>();
        var users = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        if (agents)
        {
            agentEmails = Distinct(conversations.Select(c => c.Agent?.Email?.Trim()).Where(e => !string.IsNullOrEmpty(e) && !cache.TryGetAgentUser(org, e!.ToLowerInvariant(), out _)));
            foreach (var list in InLists(agentEmails))
            {
                reads.Add(new Read($"SELECT Id, Email, LastModifiedDate FROM User WHERE IsActive = true AND Email IN {list} ORDER BY LastModifiedDate DESC, Id", IsQuery: true)
                {
                    OnRecords = records => Group(records, "Email", users),
                });
            }
        }

        await SendAsync(reads, prefetch, client, cache, org, options.MetadataCacheDuration, cancellationToken).ConfigureAwait(false);

        foreach (var email in agentEmails)
        {
            var found = users.TryGetValue(email.ToLowerInvariant(), out var records) ? records[0] : null;
            cache.SetAgentUser(org, email.ToLowerInvariant(), found?["Id"]?.GetValue<string>(), options.MetadataCacheDuration);
        }

        if (agents)
        {
            // The exact query the default owner resolver sends, answered per spelling of the email (the cache is bounded).
            foreach (var raw in conversations.Select(c => c.Agent?.Email?.Trim()).Where(e => !string.IsNullOrEmpty(e)).Distinct(StringComparer.Ordinal))
            {
                if (users.TryGetValue(raw!.ToLowerInvariant(), out var records))
                {
                    prefetch._answers[DefaultOwnerResolver.AgentUserQuery(raw)] = [records[0]];
                }
                else if (agentEmails.Contains(raw, StringComparer.OrdinalIgnoreCase))
                {
                    prefetch._answers[DefaultOwnerResolver.AgentUserQuery(raw)] = [];
                }
            }
        }

        if (persons)
        {
            foreach (var conversation in conversations)
            {
                if (ConversationValues.Read(conversation, "visitor.email") is not { } email)
                {
                    continue;
                }

                foreach (var rule in options.Identity.Rules.Where(r => r.Kind == IdentificationRuleKind.Email))
                {
                    foreach (var objectType in PersonFields.SearchOrder(options))
                    {
                        if (DefaultIdentityMatcher.BuildQuery(rule, objectType, options, conversation) is not { } soql)
                        {
                            continue;
                        }

                        if (personErrors.TryGetValue(objectType, out var error))
                        {
                            prefetch._errors[soql] = error;
                        }
                        else
                        {
                            // Same result as the matcher's own query: ORDER BY LastModifiedDate DESC LIMIT CandidateLimit.
                            prefetch._answers[soql] = personRecords[objectType].TryGetValue(email.ToLowerInvariant(), out var matches)
                                ? matches.Take(DefaultIdentityMatcher.CandidateLimit).ToArray()
                                : [];
                        }
                    }
                }
            }
        }

        return prefetch;
    }

    private static List<string> AgentKeys(IReadOnlyList<Conversation> conversations) =>
        Distinct(conversations.Select(c => c.Agent?.Email?.Trim().ToLowerInvariant()));

    /// <summary>Builds <c>IN</c> lists of quoted literals, each at most <see cref="MaxValuesPerQuery"/> values and <see cref="MaxInListLength"/> characters.</summary>
    internal static List<string> InLists(IReadOnlyList<string> values)
    {
        var lists = new List<string>();
        var slice = new List<string>();
        var length = 2;
        foreach (var value in values)
        {
            var literal = Soql.Quote(value);
            if (slice.Count > 0 && (slice.Count == MaxValuesPerQuery || length + 1 + literal.Length > MaxInListLength))
            {
                lists.Add("(" + string.Join(",", slice) + ")");
                slice.Clear();
                length = 2;
            }

            slice.Add(literal);
            length += literal.Length + (slice.Count > 1 ? 1 : 0);
        }

        if (slice.Count > 0)
        {
            lists.Add("(" + string.Join(",", slice) + ")");
        }

        return lists;
    }

    private static async Task SendAsync(List<Read> reads, BatchPrefetch prefetch, ISalesforceClient client, OrgMetadataCache cache, string org, TimeSpan duration, CancellationToken cancellationToken)
    {
        var requests = new List<List<Read>>();
        var pending = new Queue<Read>(reads.Where(r => r.IsQuery));
        var describes = new Queue<Read>(reads.Where(r => !r.IsQuery));
        while (pending.Count > 0 || describes.Count > 0)
        {
            var request = new List<Read>();
            while (pending.Count > 0 && request.Count < BatchedSalesforceReader.MaxQueriesPerComposite)
            {
                request.Add(pending.Dequeue());
            }

            while (describes.Count > 0 && request.Count < BatchedSalesforceReader.MaxSubrequests)
            {
                request.Add(describes.Dequeue());
            }

            requests.Add(request);
        }

        // The requests go out concurrently (through the batch's concurrency gate); their results are applied one by one.
        var responses = await Task.WhenAll(requests.Select(r => client.SendCompositeAsync(Build(r), cancellationToken))).ConfigureAwait(false);
        for (var r = 0; r < requests.Count; r++)
        {
            await ApplyAsync(requests[r], responses[r], prefetch, client, cache, org, duration, cancellationToken).ConfigureAwait(false);
        }
    }

    private static SalesforceCompositeRequest Build(List<Read> reads)
    {
        var request = new SalesforceCompositeRequest { AllOrNone = false };
        for (var i = 0; i < reads.Count; i++)
        {
            var url = reads[i].IsQuery
                ? "query?q=" + Uri.EscapeDataString(reads[i].Text)
                : "sobjects/" + Uri.EscapeDataString(reads[i].Text) + "/describe";
            request.Subrequests.Add(new SalesforceSubrequest("GET", url, "read" + i.ToString(CultureInfo.InvariantCulture)));
        }

        return request;
    }

    private static async Task ApplyAsync(List<Read> reads, SalesforceCompositeResponse response, BatchPrefetch prefetch, ISalesforceClient client, OrgMetadataCache cache, string org, TimeSpan duration, CancellationToken cancellationToken)
    {
        for (var i = 0; i < reads.Count; i++)
        {
            var read = reads[i];
            var sub = response.Find("read" + i.ToString(CultureInfo.InvariantCulture));
            if (sub is null || !sub.IsSuccess)
            {
                // A failed describe is left to the per-conversation reader (which reports it); a failed query answers
                // every conversation that depends on it with Salesforce's error.
                var what = read.IsQuery ? "batch query" : $"describe of {read.Text}";
                read.OnError?.Invoke(sub is null
                    ? new SalesforceApiException(HttpStatusCode.InternalServerError, null, $"Salesforce returned no result for the {what}.")
                    : SalesforceErrorParser.ToException(sub.HttpStatusCode, sub.Body, $"The {what} failed", sub.ReferenceId));
                continue;
            }

            if (!read.IsQuery)
            {
                var description = SalesforceObjectDescription.FromJson(sub.Body!);
                cache.SetDescribe(org, description, duration, sub.Body);
                prefetch._describes[read.Text] = description;
                continue;
            }

            if (sub.Body?["done"] is JsonValue done && done.TryGetValue<bool>(out var isDone) && !isDone)
            {
                // More than a page (many duplicates): a composite subrequest returns the first page only, so page it through the client.
                var full = await client.QueryAsync(read.Text, cancellationToken).ConfigureAwait(false);
                read.OnRecords?.Invoke(full.Records);
                continue;
            }

            read.OnRecords?.Invoke(sub.Body?["records"] is JsonArray array ? array.OfType<JsonObject>().ToArray() : []);
        }
    }

    private static void Group(IReadOnlyList<JsonObject> records, string field, Dictionary<string, List<JsonObject>> into)
    {
        foreach (var record in records)
        {
            if (record[field] is JsonValue v && v.TryGetValue<string>(out var value) && value.Length > 0)
            {
                var key = value.Trim().ToLowerInvariant();
                if (!into.TryGetValue(key, out var list))
                {
                    list = [];
                    into[key] = list;
                }

                list.Add(record);
            }
        }
    }

    private static List<string> Distinct(IEnumerable<string?> values)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value) && seen.Add(value))
            {
                result.Add(value);
            }
        }

        return result;
    }

    private sealed record Read(string Text, bool IsQuery)
    {
        public Action<IReadOnlyList<JsonObject>>? OnRecords { get; init; }

        public Action<Exception>? OnError { get; init; }
    }
}
