using System.Globalization;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Benchmarks.Economy;

/// <summary>The economy workload: half new visitors, half existing contacts, a fixed set of agents; and its expected end state.</summary>
internal sealed class EconomyWorkload
{
    private EconomyWorkload(IReadOnlyList<Conversation> conversations, int existingCount)
    {
        Conversations = conversations;
        ExistingCount = existingCount;
    }

    public IReadOnlyList<Conversation> Conversations { get; }

    /// <summary>Gets how many conversations are with visitors who already are Contacts (those at even positions).</summary>
    public int ExistingCount { get; }

    public static EconomyWorkload Create(int count)
    {
        var conversations = new List<Conversation>(count);
        for (var i = 0; i < count; i++)
        {
            // Even positions: existing contacts; odd positions: new visitors. Each visitor appears once.
            var kind = i % 2 == 0 ? "known" : "new";
            var number = i.ToString("D6", CultureInfo.InvariantCulture);
            conversations.Add(Workload.Conversation($"conv-{number}", $"{kind}.{number}@example.com", $"Visitor{number}", AgentEmail(i % EconomyBenchmark.Agents), EconomyBenchmark.MessagesPerConversation));
        }

        return new EconomyWorkload(conversations, (count + 1) / 2);
    }

    public static string AgentEmail(int agent) => $"agent{agent}@acme.test";

    /// <summary>Pre-inserts the agents (active Users) and the existing contacts, with every field the export maps.</summary>
    public void Seed(SalesforceEmulator emulator)
    {
        for (var a = 0; a < EconomyBenchmark.Agents; a++)
        {
            emulator.Insert("User", new { Username = $"agent{a}@acme.test.org", LastName = $"Agent{a}", Email = AgentEmail(a), IsActive = true });
        }

        for (var i = 0; i < Conversations.Count; i += 2)
        {
            var visitor = Conversations[i].Visitor;
            emulator.Insert("Contact", new { visitor.FirstName, visitor.LastName, visitor.Email, visitor.Phone });
        }
    }

    /// <summary>Checks the end state: one Contact per visitor, one Task per conversation linked to its visitor's Contact and owned by its agent.</summary>
    /// <returns>The problems found (empty when the state is right).</returns>
    public IReadOnlyList<string> Verify(SalesforceEmulator emulator)
    {
        var problems = new List<string>();
        var contacts = emulator.Records("Contact");
        var byEmail = contacts.GroupBy(c => c["Email"]?.GetValue<string>() ?? string.Empty, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        if (contacts.Count != Conversations.Count)
        {
            problems.Add($"{contacts.Count} contacts, expected {Conversations.Count}.");
        }

        var users = emulator.Records("User").Where(u => u["Email"] is not null).ToDictionary(u => u["Email"]!.GetValue<string>(), u => u["Id"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        var tasks = emulator.Records("Task");
        if (tasks.Count != Conversations.Count)
        {
            problems.Add($"{tasks.Count} tasks, expected {Conversations.Count}.");
        }

        var tasksBySubject = tasks.GroupBy(t => ConversationIdOf(t["Subject"]?.GetValue<string>())).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var conversation in Conversations)
        {
            if (!byEmail.TryGetValue(conversation.Visitor.Email!, out var persons) || persons.Count != 1)
            {
                problems.Add($"{conversation.Id}: {persons?.Count ?? 0} contacts with the visitor's email, expected 1.");
                continue;
            }

            if (!tasksBySubject.TryGetValue(conversation.Id, out var own) || own.Count != 1)
            {
                problems.Add($"{conversation.Id}: {own?.Count ?? 0} tasks, expected 1.");
                continue;
            }

            if (own[0]["WhoId"]?.GetValue<string>() != persons[0]["Id"]!.GetValue<string>())
            {
                problems.Add($"{conversation.Id}: the task is not linked to the visitor's contact.");
            }

            if (users.TryGetValue(conversation.Agent!.Email!, out var owner) && own[0]["OwnerId"]?.GetValue<string>() != owner)
            {
                problems.Add($"{conversation.Id}: the task is not owned by the agent's user.");
            }
        }

        return problems;
    }

    private static string ConversationIdOf(string? subject)
    {
        // "Chat conv-000001 with ..."
        var parts = subject?.Split(' ', 3);
        return parts is { Length: >= 2 } ? parts[1] : string.Empty;
    }
}
