using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/emulator.md, compiled (G22) and run.</summary>
public sealed class EmulatorSnippets
{
    [Fact]
    public async Task SeedQueryAndServe_AnswersInProcessAndOnLoopback()
    {
        #region Snippet:emulator-1
        await using var emulator = new SalesforceEmulator();
        emulator.DefineField("Contact", new EmulatorField { Name = "Visitor_Id__c", ExternalId = true, Unique = true });
        var agentId = emulator.Insert("User", new { Username = "agent@acme.example", Email = "agent@acme.example", LastName = "Agent" });
        emulator.Insert("Contact", new { LastName = "Lee", Email = "ann@example.com", OwnerId = agentId });

        // in-process: any host name is answered
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.IssueAccessToken());
        var json = await http.GetStringAsync("/services/data/v62.0/query?q=SELECT+Id,Owner.Email+FROM+Contact");

        // or over HTTP, 127.0.0.1 only
        Uri baseUrl = await emulator.StartServerAsync(port: 0);   // e.g. http://127.0.0.1:41625; InstanceUrl now returns it
        #endregion

        json.Should().Contain("agent@acme.example");
        baseUrl.Host.Should().Be("127.0.0.1");
        emulator.InstanceUrl.Should().Be(baseUrl);
    }

    [Fact]
    public async Task WireTheSdk_ExportsWithinTwoApiCalls()
    {
        var services = new ServiceCollection();

        #region Snippet:emulator-2
        await using var emulator = new SalesforceEmulator();

        services.AddSalesforceChatExport(options =>
            {
                options.InstanceUrl = emulator.InstanceUrl;                 // https://emulator.my.salesforce.com: a valid My Domain host
                options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                options.Authentication.AccessToken = emulator.IssueAccessToken();
            })
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());

        // ... export a conversation, then assert on the org:
        await using (var provider = services.BuildServiceProvider())
        {
            var result = await provider.GetRequiredService<IConversationExporter>().ExportAsync(DocsConversations.Ann());
            result.Status.Should().Be(ExportStatus.Exported);
        }

        emulator.Records("Task").Should().ContainSingle();
        emulator.RequestLog.Should().OnlyContain(r => r.StatusCode < 400);
        emulator.ApiCallsUsed.Should().BeLessThanOrEqualTo(2);
        #endregion
    }

    [Fact]
    public async Task ClientCredentials_AgainstTheEmulatorTokenEndpoint_Exports()
    {
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { AcceptAnyClient = true });
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(options => ClientCredentials(options, emulator))
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IConversationExporter>().ExportAsync(DocsConversations.Ann());

        result.Status.Should().Be(ExportStatus.Exported);
        emulator.Records("Contact").Should().ContainSingle();
    }

    internal static void ClientCredentials(SalesforceChatExportOptions options, SalesforceEmulator emulator)
    {
        #region Snippet:emulator-3
        options.InstanceUrl = emulator.InstanceUrl;
        options.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
        options.Authentication.ClientId = "chat2sf"; options.Authentication.ClientSecret = "chat2sf"; // the defaults; any pair works in-process
        #endregion
    }

    [Fact]
    public async Task Faults_TheFirstCompositeCallsFail_TheExportRetriesThrough()
    {
        await using var emulator = new SalesforceEmulator();
        Faults(emulator);
        emulator.Faults.Clear();
        emulator.Latency = TimeSpan.Zero;
        emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 1, StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(options =>
            {
                options.InstanceUrl = emulator.InstanceUrl;
                options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                options.Authentication.AccessToken = emulator.IssueAccessToken();
                options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
            })
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IConversationExporter>().ExportAsync(DocsConversations.Ann());

        result.Status.Should().Be(ExportStatus.Exported);
        emulator.RequestLog.Should().Contain(r => r.FaultInjected);
        emulator.Records("Task").Should().ContainSingle();
    }

    internal static void Faults(SalesforceEmulator emulator)
    {
        #region Snippet:emulator-4
        // the next 2 POSTs to /composite answer 503 SERVER_UNAVAILABLE without touching the org
        emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 2, StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });

        // the write is applied, but the answer is lost (a timeout after commit): tests idempotent retries
        emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", AfterCommit = true });

        // lock contention on file uploads
        emulator.Faults.Add(new FaultRule { PathContains = "/sobjects/ContentVersion", StatusCode = 400, ErrorCode = "UNABLE_TO_LOCK_ROW", Message = "unable to obtain exclusive access to this record" });

        // 10 % of API calls fail, reproducibly
        emulator.Faults.SetFailureRate(0.10, seed: 1234);

        // every request waits 50 ms (outside the org lock; cancellation is honored)
        emulator.Latency = TimeSpan.FromMilliseconds(50);
        #endregion
    }
}

/// <summary>Conversations the docs' runnable snippets export.</summary>
internal static class DocsConversations
{
    public static Conversation Ann(string id = "chat-1") => new()
    {
        Id = id,
        Channel = "Website chat",
        StartedAt = DateTimeOffset.Parse("2026-11-21T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        Visitor = new ChatVisitor { FirstName = "Ann", LastName = "Lee", Email = "ann@example.com" },
        Agent = new ChatAgent { Name = "Dana Agent", Email = "dana@acme.example" },
        Messages =
        [
            new ChatMessage { Role = ChatRole.Visitor, SenderName = "Ann Lee", Text = "Hello", SentAt = DateTimeOffset.Parse("2026-11-21T14:00:05Z", System.Globalization.CultureInfo.InvariantCulture) },
            new ChatMessage { Role = ChatRole.Agent, SenderName = "Dana Agent", Text = "Hi Ann", SentAt = DateTimeOffset.Parse("2026-11-21T14:00:20Z", System.Globalization.CultureInfo.InvariantCulture) },
        ],
    };
}
