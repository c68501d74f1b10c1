using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Tests.Export;

/// <summary>Builds the exporter with the default stages over a given <see cref="ISalesforceClient"/>.</summary>
internal static class PipelineHost
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    public static IConversationExporter Exporter(ISalesforceClient client, Action<SalesforceChatExportOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(client);
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "00D!token";
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider().GetRequiredService<IConversationExporter>();
    }

    public static Conversation Conversation(string id, string? email, string lastName = "Visitor", string? agentEmail = null, int messages = 3) => new()
    {
        Id = id,
        Channel = "web",
        StartedAt = Start,
        EndedAt = Start.AddMinutes(5),
        Visitor = new ChatVisitor { FirstName = "Vera", LastName = lastName, Email = email },
        Agent = agentEmail is null ? null : new ChatAgent { Name = "Agent", Email = agentEmail },
        Messages = Enumerable.Range(0, messages).Select(i => new ChatMessage
        {
            Role = i % 2 == 0 ? ChatRole.Visitor : ChatRole.Agent,
            SenderName = i % 2 == 0 ? "Vera" : "Agent",
            Text = $"Message {i} about the spring intake.",
            SentAt = Start.AddSeconds(20 * i),
        }).ToArray(),
    };

    public static async Task<List<ConversationExportResult>> ToListAsync(this IAsyncEnumerable<ConversationExportResult> results)
    {
        var list = new List<ConversationExportResult>();
        await foreach (var result in results)
        {
            list.Add(result);
        }

        return list;
    }
}
