using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.IntegrationTests.Batch;

/// <summary>
/// Batch and single-export economy against the emulator (in-process handler). Call counts come from the emulator's own
/// accounting, never from timing; nothing depends on the order in which parallel work runs.
/// </summary>
public sealed class BatchExportEmulatorTests : IAsyncLifetime
{
    private readonly SalesforceEmulator _emulator = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task A_batch_of_200_new_visitors_costs_at_most_4_calls_and_writes_each_once()
    {
        var agents = SeedAgents(5);
        var exporter = Exporter();
        var conversations = Enumerable.Range(0, 200).Select(i => Conversation($"c{i:D3}", $"new{i}@example.com", agentEmail: $"agent{i % 5}@acme.test")).ToList();

        var results = await Collect(exporter.ExportManyAsync(conversations));

        results.Select(r => r.ConversationId).Should().Equal(conversations.Select(c => c.Id));
        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _emulator.ApiCallsUsed.Should().BeLessThanOrEqualTo(4);
        results.Sum(r => r.ApiCalls).Should().Be((int)_emulator.ApiCallsUsed);
        _emulator.Records("Contact").Should().HaveCount(200);
        var tasks = _emulator.Records("Task");
        tasks.Should().HaveCount(200);
        tasks.Select(t => t["OwnerId"]!.GetValue<string>()).Distinct().Should().BeEquivalentTo(agents);
        tasks.Select(t => t["WhoId"]!.GetValue<string>()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task The_bad_input_mix_gives_each_conversation_its_own_outcome()
    {
        _emulator.DefineField("Contact", new EmulatorField { Name = "Student_Type__c", Type = EmulatorFieldType.Text, Length = 40, Required = true });
        var exporter = Exporter(o => o.FieldMappings.Add(new FieldMapping { Source = "custom:Student Type", Target = "Contact.Student_Type__c" }));
        var conversations = new[]
        {
            Conversation("ok-1", "ok1@example.com", studentType: "Future Student"),
            Conversation("no-identity", email: null, studentType: "Future Student"),
            Conversation("rejected", "rejected@example.com", studentType: null),
            Conversation("ok-2", "ok2@example.com", studentType: "Current Student"),
            Conversation("ok-1", "ok1-again@example.com", studentType: "Future Student"),
        };

        var results = await Collect(exporter.ExportManyAsync(conversations));

        results.Select(r => (r.ConversationId, r.Status)).Should().Equal(
            ("ok-1", ExportStatus.Exported), ("no-identity", ExportStatus.Skipped), ("rejected", ExportStatus.Failed),
            ("ok-2", ExportStatus.Exported), ("ok-1", ExportStatus.Skipped));
        var error = results[2].Error.Should().BeOfType<SalesforceApiException>().Subject;
        error.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        error.Fields.Should().Contain("Student_Type__c");
        _emulator.Records("Contact").Select(c => c["Email"]!.GetValue<string>()).Should().BeEquivalentTo("ok1@example.com", "ok2@example.com");
        _emulator.Records("Task").Should().HaveCount(2);
    }

    [Fact]
    public async Task Two_conversations_of_the_same_new_visitor_make_one_person_and_two_activities()
    {
        var exporter = Exporter();

        var results = await Collect(exporter.ExportManyAsync([Conversation("a", "same@example.com"), Conversation("b", "same@example.com")]));

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        var contact = _emulator.Records("Contact").Should().ContainSingle().Subject["Id"]!.GetValue<string>();
        _emulator.Records("Task").Select(t => t["WhoId"]!.GetValue<string>()).Should().Equal(contact, contact);
    }

    [Fact]
    public async Task Existing_contacts_are_matched_by_the_shared_read()
    {
        var known = Enumerable.Range(0, 50).Select(i => _emulator.Insert("Contact", new { FirstName = "Vera", LastName = "Visitor", Email = $"known{i}@example.com" })).ToList();
        var exporter = Exporter();

        var results = await Collect(exporter.ExportManyAsync(Enumerable.Range(0, 100).Select(i => Conversation($"c{i}", i < 50 ? $"known{i}@example.com" : $"new{i}@example.com"))));

        results.Take(50).Select(r => r.Person!.Id).Should().Equal(known);
        _emulator.Records("Contact").Should().HaveCount(100);
        _emulator.Records("Task").Should().HaveCount(100);
        _emulator.ApiCallsUsed.Should().BeLessThanOrEqualTo(4);
    }

    [Fact]
    public async Task A_single_export_costs_2_calls_cold_and_1_with_keys_and_a_warm_cache()
    {
        SeedAgents(1);
        _emulator.Insert("Contact", new { FirstName = "Vera", LastName = "Visitor", Email = "known@example.com" });
        var exporter = Exporter();

        (await exporter.ExportAsync(Conversation("new", "new@example.com", agentEmail: "agent0@acme.test"))).ApiCalls.Should().Be(2);
        (await exporter.ExportAsync(Conversation("known", "known@example.com", agentEmail: "agent0@acme.test"))).ApiCalls.Should().Be(2);
        _emulator.ApiCallsUsed.Should().Be(4);

        _emulator.DefineField("Contact", new EmulatorField { Name = "Chat_Visitor_Key__c", Type = EmulatorFieldType.Text, Length = 255, ExternalId = true, Unique = true });
        _emulator.DefineField("Task", new EmulatorField { Name = "Chat_Conversation_Id__c", Type = EmulatorFieldType.Text, Length = 255, ExternalId = true, Unique = true });
        var keyed = Exporter(o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });
        _emulator.ResetApiUsage();
        (await keyed.ExportAsync(Conversation("k1", "k1@example.com", agentEmail: "agent0@acme.test"))).ApiCalls.Should().Be(2, "the describes and the agent's User are read once per org");
        var warm = await keyed.ExportAsync(Conversation("k2", "k2@example.com", agentEmail: "agent0@acme.test"));
        warm.ApiCalls.Should().Be(1, "the read round has nothing to read");
        _emulator.ApiCallsUsed.Should().Be(3);
    }

    [Fact]
    public async Task Cancellation_stops_the_batch()
    {
        using var cts = new CancellationTokenSource();
        var exporter = Exporter(o => o.MaxConcurrency = 1);
        var progress = new InlineProgress(p =>
        {
            if (p.Completed == 200)
            {
                cts.Cancel();
            }
        });

        var seen = 0;
        var act = async () =>
        {
            await foreach (var _ in exporter.ExportManyAsync(Enumerable.Range(0, 1000).Select(i => Conversation($"c{i}", $"v{i}@example.com")), progress, cts.Token))
            {
                seen++;
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Be(200);
        _emulator.Records("Task").Count.Should().BeLessThan(1000);
    }

    private List<string> SeedAgents(int count) =>
        Enumerable.Range(0, count).Select(a => _emulator.Insert("User", new { Username = $"agent{a}@acme.test.org", LastName = $"Agent{a}", Email = $"agent{a}@acme.test", IsActive = true })).ToList();

    private IConversationExporter Exporter(Action<SalesforceChatExportOptions>? configure = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = _emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = _emulator.IssueAccessToken();
            o.Resilience.BaseDelay = TimeSpan.Zero;
            o.Resilience.MaxDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(_emulator.CreateHandler);
        return services.BuildServiceProvider().GetRequiredService<IConversationExporter>();
    }

    private static Conversation Conversation(string id, string? email, string? agentEmail = null, string? studentType = "Future Student") => new()
    {
        Id = id,
        Channel = "web",
        StartedAt = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero),
        Visitor = new ChatVisitor { FirstName = "Vera", LastName = "Visitor", Email = email },
        Agent = agentEmail is null ? null : new ChatAgent { Name = "Agent", Email = agentEmail },
        CustomFields = studentType is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["Student Type"] = studentType },
        Messages =
        [
            new ChatMessage { Role = ChatRole.Visitor, SenderName = "Vera", Text = "Hello, is the spring intake still open?", SentAt = new DateTimeOffset(2026, 3, 2, 9, 30, 5, TimeSpan.Zero) },
            new ChatMessage { Role = ChatRole.Agent, SenderName = "Agent", Text = "Yes, until 15 April.", SentAt = new DateTimeOffset(2026, 3, 2, 9, 30, 40, TimeSpan.Zero) },
        ],
    };

    private static async Task<List<ConversationExportResult>> Collect(IAsyncEnumerable<ConversationExportResult> results)
    {
        var list = new List<ConversationExportResult>();
        await foreach (var result in results)
        {
            list.Add(result);
        }

        return list;
    }
}

internal sealed class InlineProgress(Action<ExportProgress> report) : IProgress<ExportProgress>
{
    public void Report(ExportProgress value) => report(value);
}
