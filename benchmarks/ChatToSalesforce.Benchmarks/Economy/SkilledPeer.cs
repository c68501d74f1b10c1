using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Benchmarks.Economy;

/// <summary>
/// A best-effort baseline: what a skilled hand-written integration (a good jsforce script) does with the same workload,
/// with plain <see cref="HttpClient"/> against the same emulator. Chunks of 200 conversations, 4 chunks in flight; per
/// chunk, IN-list queries for the Contacts by email (split at 100 values or 3,500 characters), one IN-list query for the
/// agents' Users not seen before (cached across chunks, a lookup in flight is shared), one sObject Collections create for
/// the missing Contacts and one for the Tasks (linked by WhoId, owned by the agent's User).
/// </summary>
/// <remarks>
/// What it does not do (and the SDK does): field mapping and validation against describes, filling blank fields of
/// existing Contacts, owner fallbacks, retries, per-conversation error isolation. A visitor who appears in two chunks in
/// flight at the same time would get two Contacts; the workload has each visitor once.
/// </remarks>
internal static class SkilledPeer
{
    internal const int ChunkSize = 200;
    internal const int ChunksInFlight = 4;
    internal const int MaxInValues = 100;
    internal const int MaxInCharacters = 3500;

    public static async Task RunAsync(OrgEndpoint org, EconomyWorkload workload)
    {
        using var http = new HttpClient(org.CreateHandler()) { BaseAddress = new Uri(org.InstanceUrl, "/services/data/v62.0/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", org.AccessToken);
        var users = new ConcurrentDictionary<string, Task<string?>>(StringComparer.OrdinalIgnoreCase);
        var chunks = workload.Conversations.Chunk(ChunkSize);
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = ChunksInFlight }, async (chunk, ct) => await ExportChunkAsync(http, users, chunk, ct));
    }

    private static async Task ExportChunkAsync(HttpClient http, ConcurrentDictionary<string, Task<string?>> users, Conversation[] chunk, CancellationToken ct)
    {
        // 1. Contacts by email: IN lists.
        var emails = chunk.Select(c => c.Visitor.Email!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var contactIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var values in InLists(emails))
        {
            foreach (var record in await QueryAllAsync(http, $"SELECT Id, Email FROM Contact WHERE Email IN ({values})", ct))
            {
                contactIds.TryAdd(record!["Email"]!.GetValue<string>(), record["Id"]!.GetValue<string>());
            }
        }

        // 2. Agent Users: one IN query for the emails no chunk has looked up yet; lookups in flight are shared.
        var agentEmails = chunk.Where(c => c.Agent?.Email is not null).Select(c => c.Agent!.Email!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var mine = new Dictionary<string, TaskCompletionSource<string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var email in agentEmails)
        {
            var source = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (users.TryAdd(email, source.Task))
            {
                mine[email] = source;
            }
        }

        if (mine.Count > 0)
        {
            try
            {
                var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var values in InLists(mine.Keys))
                {
                    foreach (var record in await QueryAllAsync(http, $"SELECT Id, Email FROM User WHERE IsActive = true AND Email IN ({values})", ct))
                    {
                        found.TryAdd(record!["Email"]!.GetValue<string>(), record["Id"]!.GetValue<string>());
                    }
                }

                foreach (var (email, source) in mine)
                {
                    source.SetResult(found.GetValueOrDefault(email));
                }
            }
            catch (Exception e)
            {
                foreach (var (email, source) in mine)
                {
                    users.TryRemove(email, out _);
                    source.SetException(e);
                }

                throw;
            }
        }

        var owners = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var email in agentEmails)
        {
            owners[email] = await users[email];
        }

        // 3. Missing Contacts: one sObject Collections create.
        var missing = chunk.Select(c => c.Visitor).Where(v => !contactIds.ContainsKey(v.Email!)).DistinctBy(v => v.Email!, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0)
        {
            var created = await CreateAsync(http, "Contact", missing.Select(v => new JsonObject
            {
                ["FirstName"] = v.FirstName,
                ["LastName"] = v.LastName,
                ["Email"] = v.Email,
                ["Phone"] = v.Phone,
            }), ct);
            for (var i = 0; i < missing.Count; i++)
            {
                contactIds[missing[i].Email!] = created[i];
            }
        }

        // 4. Tasks: one sObject Collections create, linked to the Contacts and owned by the agents' Users.
        await CreateAsync(http, "Task", chunk.Select(c =>
        {
            var task = new JsonObject
            {
                ["Subject"] = $"Chat {c.Id} with {c.Visitor.FirstName} {c.Visitor.LastName}",
                ["Description"] = string.Join('\n', c.Messages.Select(m => $"[{m.SentAt:u}] {m.Role}: {m.Text}")),
                ["Status"] = "Completed",
                ["ActivityDate"] = c.StartedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["WhoId"] = contactIds[c.Visitor.Email!],
            };
            if (c.Agent?.Email is { } agent && owners[agent] is { } owner)
            {
                task["OwnerId"] = owner;
            }

            return task;
        }), ct);
    }

    /// <summary>Splits values into SOQL IN lists (quoted, escaped, comma-separated) of at most 100 values and 3,500 characters.</summary>
    internal static IEnumerable<string> InLists(IEnumerable<string> values)
    {
        var list = new StringBuilder();
        var count = 0;
        foreach (var value in values)
        {
            var literal = "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
            if (count > 0 && (count == MaxInValues || list.Length + 1 + literal.Length > MaxInCharacters))
            {
                yield return list.ToString();
                list.Clear();
                count = 0;
            }

            if (count > 0)
            {
                list.Append(',');
            }

            list.Append(literal);
            count++;
        }

        if (count > 0)
        {
            yield return list.ToString();
        }
    }

    private static async Task<List<JsonNode?>> QueryAllAsync(HttpClient http, string soql, CancellationToken ct)
    {
        var records = new List<JsonNode?>();
        var next = "query?q=" + Uri.EscapeDataString(soql);
        while (next is not null)
        {
            using var response = await http.GetAsync(new Uri(next, UriKind.RelativeOrAbsolute), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Query failed: {(int)response.StatusCode} {text}");
            }

            var body = JsonNode.Parse(text)!;
            records.AddRange(body["records"]!.AsArray());
            next = body["nextRecordsUrl"]?.GetValue<string>();
        }

        return records;
    }

    /// <summary>One sObject Collections create (at most 200 records); returns the new ids in order.</summary>
    private static async Task<string[]> CreateAsync(HttpClient http, string objectType, IEnumerable<JsonObject> records, CancellationToken ct)
    {
        var array = new JsonArray();
        foreach (var record in records)
        {
            record["attributes"] = new JsonObject { ["type"] = objectType };
            array.Add((JsonNode)record);
        }

        var body = new JsonObject { ["allOrNone"] = false, ["records"] = array };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("composite/sobjects", UriKind.Relative), content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating {objectType} records failed: {(int)response.StatusCode} {text}");
        }

        var results = JsonNode.Parse(text)!.AsArray();
        var ids = new string[results.Count];
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i]?["success"]?.GetValue<bool>() != true)
            {
                throw new InvalidOperationException($"Creating {objectType} record {i} failed: {results[i]?["errors"]?.ToJsonString()}");
            }

            ids[i] = results[i]!["id"]!.GetValue<string>();
        }

        return ids;
    }
}
