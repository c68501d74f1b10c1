using ChatToSalesforce.Filtering;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/filters.md, compiled (G22); the conditions and the custom filter run.</summary>
public sealed class FiltersSnippets
{
    internal static void Conditions(SalesforceChatExportOptions options)
    {
        #region Snippet:filters-1
        options.Filters.Add(new ExportCondition { Source = "custom:Student Type", Equals = "Future Student" });
        options.Filters.Add(new ExportCondition { Source = "conversation.channel", In = ["web", "whatsapp"] });
        options.Filters.Add(new ExportCondition { Source = "agent.email", Exists = true });
        options.Filters.Add(new ExportCondition { Source = "conversation.wrapUp", NotEquals = "Spam" });
        #endregion
    }

    #region Snippet:filters-2
    // The contract as the page lists it: every member, with the page's types.
    private sealed class ContractAsDocumented : IExportFilter
    {
        public ValueTask<ExportFilterResult> EvaluateAsync(ExportFilterContext context, CancellationToken cancellationToken)
        {
            Conversation conversation = context.Conversation;
            SalesforceChatExportOptions options = context.Options;
            _ = options;
            ExportFilterResult result = conversation.Messages.Count == 0 ? ExportFilterResult.Skip("Empty chat.") : ExportFilterResult.Export;
            string? skipReason = result.SkipReason;
            bool shouldExport = result.ShouldExport;
            return ValueTask.FromResult(shouldExport || skipReason is not null ? result : ExportFilterResult.Export);
        }
    }
    #endregion

    internal static void Register(IHostApplicationBuilder builder)
    {
        #region Snippet:filters-4
        builder.Services
            .AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))
            .AddExportFilter<SkipBotOnlyAndTestChats>();
        #endregion
    }

    [Theory]
    [InlineData(ChatRole.Bot, "ann@acme.example", false, "No agent took part (bot-only chat).")]
    [InlineData(ChatRole.Agent, "qa@EXAMPLE.com", false, "Test traffic.")]
    [InlineData(ChatRole.Agent, "ann@acme.example", true, null)]
    public async Task SkipBotOnlyAndTestChats_DecidesAsDocumented(ChatRole answeredBy, string email, bool exported, string? reason)
    {
        var context = new ExportFilterContext
        {
            Conversation = new Conversation
            {
                Id = "chat-1",
                Visitor = new ChatVisitor { Email = email },
                Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hi" }, new ChatMessage { Role = answeredBy, Text = "Hello" }],
            },
            Options = new SalesforceChatExportOptions(),
        };

        var result = await new SkipBotOnlyAndTestChats().EvaluateAsync(context, CancellationToken.None);

        result.ShouldExport.Should().Be(exported);
        result.SkipReason.Should().Be(reason);
        (await new ContractAsDocumented().EvaluateAsync(context, CancellationToken.None)).ShouldExport.Should().BeTrue();
    }

    [Fact]
    public async Task Conditions_AgainstTheEmulator_SkipAConversationThatFailsOne()
    {
        await using var emulator = new SalesforceEmulator();
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(options =>
            {
                options.InstanceUrl = emulator.InstanceUrl;
                options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                options.Authentication.AccessToken = emulator.IssueAccessToken();
                Conditions(options);
            })
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        await using var provider = services.BuildServiceProvider();
        var exporter = provider.GetRequiredService<IConversationExporter>();
        var student = DocsConversations.Ann();

        var exported = await exporter.ExportAsync(new Conversation
        {
            Id = "chat-1", Channel = "web", StartedAt = student.StartedAt, Visitor = student.Visitor, Agent = student.Agent, Messages = student.Messages,
            CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student" },
        });
        var skipped = await exporter.ExportAsync(new Conversation
        {
            Id = "chat-2", Channel = "phone", StartedAt = student.StartedAt, Visitor = student.Visitor, Agent = student.Agent, Messages = student.Messages,
            CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student" },
        });

        exported.Status.Should().Be(ExportStatus.Exported);
        skipped.Status.Should().Be(ExportStatus.Skipped);
        skipped.ApiCalls.Should().Be(0);
    }
}

#region Snippet:filters-3
public sealed class SkipBotOnlyAndTestChats : IExportFilter
{
    public ValueTask<ExportFilterResult> EvaluateAsync(ExportFilterContext context, CancellationToken cancellationToken)
    {
        var conversation = context.Conversation;

        if (!conversation.Messages.Any(m => m.Role == ChatRole.Agent))
        {
            return ValueTask.FromResult(ExportFilterResult.Skip("No agent took part (bot-only chat)."));
        }

        if (conversation.Visitor.Email?.EndsWith("@example.com", StringComparison.OrdinalIgnoreCase) == true)
        {
            return ValueTask.FromResult(ExportFilterResult.Skip("Test traffic."));
        }

        return ValueTask.FromResult(ExportFilterResult.Export);
    }
}
#endregion
