namespace ChatToSalesforce.Benchmarks;

/// <summary>Deterministic conversations for the benchmarks.</summary>
internal static class Workload
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static readonly string[] Lines =
    [
        "Hi, I'd like to know more about the spring intake for the data science programme.",
        "Of course! The spring intake opens on 1 March; applications close on 15 April.",
        "Do I need a maths background, or is there a foundation module?",
        "There is a six-week foundation module; most students without a maths degree take it.",
        "Great. Can I pay the tuition in instalments?",
        "Yes, in three instalments. I'll send you the fee schedule by email.",
    ];

    public static Conversation Conversation(string id, string email, string lastName, string? agentEmail, int messages) => new()
    {
        Id = id,
        Channel = "web",
        StartedAt = Start,
        EndedAt = Start.AddSeconds(30 * messages),
        Visitor = new ChatVisitor { FirstName = "Vera", LastName = lastName, Email = email, Phone = "+44 20 7946 0018" },
        Agent = agentEmail is null ? null : new ChatAgent { Name = "Alex Agent", Email = agentEmail },
        RequestPage = new Uri("https://www.example.edu/courses/data-science"),
        CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student" },
        Messages = Enumerable.Range(0, messages).Select(i => new ChatMessage
        {
            Role = i % 2 == 0 ? ChatRole.Visitor : ChatRole.Agent,
            SenderName = i % 2 == 0 ? "Vera" : "Alex Agent",
            Text = Lines[i % Lines.Length],
            SentAt = Start.AddSeconds(30 * i),
        }).ToArray(),
    };
}
