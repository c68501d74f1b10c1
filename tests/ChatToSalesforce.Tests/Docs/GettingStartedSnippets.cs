using ChatToSalesforce.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>What docs/getting-started.md claims, run against the emulator with copies of its code (the page's blocks themselves are compiled by <see cref="DocsSnippetCompilationTests"/>).</summary>
public sealed class GettingStartedSnippets
{
    internal static WebApplicationBuilder Register(string[] args)
    {
        #region Snippet:getting-started-1
        var builder = WebApplication.CreateBuilder(args);

        builder.Services.AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"));
        #endregion

        return builder;
    }

    internal static void ConfigureInCode(IHostApplicationBuilder builder)
    {
        #region Snippet:getting-started-2
        builder.Services.AddSalesforceChatExport(options =>
        {
            options.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            options.Authentication.Flow = SalesforceAuthFlow.JwtBearer;
            options.Authentication.ClientId = builder.Configuration["Salesforce:Authentication:ClientId"];
            options.Authentication.Username = "chat-integration@acme.com";
            options.Authentication.PrivateKeyPath = "/run/secrets/salesforce-jwt.key";
            options.Mode = ExportMode.ContactAndTask;
        });
        #endregion
    }

    #region Snippet:getting-started-4
    public sealed class ChatClosedHandler(IConversationExporter exporter, ILogger<ChatClosedHandler> logger)
    {
        public async Task HandleAsync(MyChat chat, CancellationToken cancellationToken)
        {
            var conversation = new Conversation
            {
                Id = chat.Id,                       // stable and unique: it identifies the conversation in Salesforce
                Channel = "Website chat",
                StartedAt = chat.StartedAt,
                EndedAt = chat.EndedAt,
                Visitor = new ChatVisitor { FirstName = chat.FirstName, LastName = chat.LastName, Email = chat.Email },
                Agent = new ChatAgent { Name = chat.AgentName, Email = chat.AgentEmail },
                Messages = chat.Messages
                    .Select(m => new ChatMessage { Role = m.FromVisitor ? ChatRole.Visitor : ChatRole.Agent, SenderName = m.Sender, Text = m.Text, SentAt = m.SentAt })
                    .ToList(),
                CustomFields = new Dictionary<string, string?> { ["Student Type"] = chat.StudentType },
            };

            ConversationExportResult result = await exporter.ExportAsync(conversation, cancellationToken);

            if (result.Status == ExportStatus.Skipped)
            {
                logger.LogInformation("Chat {Id} not exported: {Reason}", result.ConversationId, result.SkipReason);
                return;
            }

            logger.LogInformation("Chat {Id} exported to {Object} {PersonId}; {Activity} {ActivityId}; {Calls} API calls",
                result.ConversationId, result.Person?.ObjectType, result.Person?.Id, result.Activity?.ObjectType, result.Activity?.Id, result.ApiCalls);
        }
    }
    #endregion

    internal static async Task ExportMany(IConversationExporter exporter, ILogger logger, DateTimeOffset since, CancellationToken cancellationToken)
    {
        #region Snippet:getting-started-6
        await foreach (var result in exporter.ExportManyAsync(LoadClosedChatsAsync(since), cancellationToken))
        {
            if (result.Status == ExportStatus.Failed)
            {
                logger.LogWarning(result.Error, "Chat {Id} failed", result.ConversationId);
            }
        }
        #endregion
    }

    internal static SalesforceEmulator WireTheEmulator(IHostApplicationBuilder builder)
    {
        #region Snippet:getting-started-7
        var emulator = new SalesforceEmulator();

        builder.Services
            .AddSalesforceChatExport(options =>
            {
                options.InstanceUrl = emulator.InstanceUrl;
                options.AllowTestEndpoint = true;     // only needed when the emulator runs on a loopback http URL
                options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                options.Authentication.AccessToken = emulator.IssueAccessToken();
            })
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        #endregion

        return emulator;
    }

    [Fact]
    public async Task ChatClosedHandler_AgainstTheEmulator_CreatesTheContactAndItsTask()
    {
        var builder = Host.CreateApplicationBuilder();
        using var emulator = WireTheEmulator(builder);
        builder.Services.AddSingleton<ChatClosedHandler>();
        using var host = builder.Build();
        var handler = host.Services.GetRequiredService<ChatClosedHandler>();

        var startedAt = DateTimeOffset.Parse("2026-11-21T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await handler.HandleAsync(new MyChat
        {
            Id = "chat-1",
            StartedAt = startedAt,
            EndedAt = startedAt.AddMinutes(5),
            FirstName = "Ann",
            LastName = "Lee",
            Email = "ann@example.com",
            AgentName = "Dana Agent",
            Messages =
            [
                new MyChatMessage(true, "Ann Lee", "Hello, I have a question about admissions.", startedAt.AddSeconds(5)),
                new MyChatMessage(false, "Dana Agent", "Sure, how can I help?", startedAt.AddSeconds(40)),
            ],
        }, CancellationToken.None);

        var contact = emulator.Records("Contact").Should().ContainSingle().Subject;
        contact["Email"]!.GetValue<string>().Should().Be("ann@example.com");
        var task = emulator.Records("Task").Should().ContainSingle().Subject;
        task["WhoId"]!.GetValue<string>().Should().Be(contact["Id"]!.GetValue<string>());
        emulator.ApiCallsUsed.Should().BeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task ExportAgain_WithTheDefaultConfiguration_UpdatesTheSameTask()
    {
        // getting-started.md, "Exporting the same conversation again": the conversation Id is the idempotency key, also
        // without ConversationIdField (the Task is found again by the marker at the end of its Subject).
        var builder = Host.CreateApplicationBuilder();
        using var emulator = WireTheEmulator(builder);
        using var host = builder.Build();
        var exporter = host.Services.GetRequiredService<IConversationExporter>();

        var first = await exporter.ExportAsync(DocsConversations.Ann());
        var second = await exporter.ExportAsync(DocsConversations.Ann());

        second.Person!.Id.Should().Be(first.Person!.Id);
        second.Activity.Should().Be(first.Activity! with { Change = RecordChange.Updated });
        emulator.Records("Contact").Should().ContainSingle();
        emulator.Records("Task").Should().ContainSingle();
    }

    [Fact]
    public async Task ApiCalls_WithTheDefaultConfiguration_AreTwoColdAndWarm()
    {
        // getting-started.md, the ApiCalls row: 2 with the default configuration, also once the metadata is cached.
        var builder = Host.CreateApplicationBuilder();
        using var emulator = WireTheEmulator(builder);
        using var host = builder.Build();
        var exporter = host.Services.GetRequiredService<IConversationExporter>();

        var cold = await exporter.ExportAsync(DocsConversations.Ann("chat-1"));
        var other = DocsConversations.Ann("chat-2");
        var warm = await exporter.ExportAsync(new Conversation
        {
            Id = other.Id,
            StartedAt = other.StartedAt,
            Agent = other.Agent,
            Visitor = new ChatVisitor { LastName = "Kay", Email = "bo@example.com" },
            Messages = other.Messages,
        });

        cold.ApiCalls.Should().Be(2);
        warm.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task ExportMany_AgainstTheEmulator_ExportsEveryConversation()
    {
        var builder = Host.CreateApplicationBuilder();
        using var emulator = WireTheEmulator(builder);
        using var host = builder.Build();

        await ExportMany(host.Services.GetRequiredService<IConversationExporter>(), NullLogger.Instance, DateTimeOffset.UnixEpoch, CancellationToken.None);

        emulator.Records("Contact").Should().HaveCount(2);
        emulator.Records("Task").Should().HaveCount(2);
    }

    [Fact]
    public void Register_BindsTheSalesforceSection()
    {
        var builder = Register([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:InstanceUrl"] = "https://acme.my.salesforce.com",
            ["Salesforce:Authentication:Flow"] = "AccessToken",
            ["Salesforce:Authentication:AccessToken"] = "00D!token",
        });
        using var provider = builder.Services.BuildServiceProvider();

        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SalesforceChatExportOptions>>().Value;

        options.InstanceUrl.Should().Be(new Uri("https://acme.my.salesforce.com"));
        options.Authentication.Flow.Should().Be(SalesforceAuthFlow.AccessToken);
    }

    // The host's own chat model that getting-started.md maps from.
    public sealed class MyChat
    {
        public required string Id { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }
        public string? AgentName { get; init; }
        public string? AgentEmail { get; init; }
        public string? StudentType { get; init; }
        public IReadOnlyList<MyChatMessage> Messages { get; init; } = [];
    }

    public sealed record MyChatMessage(bool FromVisitor, string Sender, string Text, DateTimeOffset SentAt);

    private static async IAsyncEnumerable<Conversation> LoadClosedChatsAsync(DateTimeOffset since)
    {
        await Task.Yield();
        foreach (var (id, lastName, email) in new[] { ("chat-1", "Lee", "ann@example.com"), ("chat-2", "Kay", "bo@example.com") })
        {
            yield return new Conversation
            {
                Id = id,
                StartedAt = since.AddDays(1),
                Visitor = new ChatVisitor { LastName = lastName, Email = email },
                Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello", SentAt = since.AddDays(1) }],
            };
        }
    }
}
