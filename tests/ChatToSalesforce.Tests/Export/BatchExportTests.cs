using ChatToSalesforce.Testing;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>Batch exports (<c>ExportManyAsync</c>) against the emulator: outcomes, org state and API calls.</summary>
public sealed class BatchExportTests : IDisposable
{
    private readonly SalesforceEmulator _org = new();
    private EmulatorExport? _host;

    public void Dispose()
    {
        _host?.Dispose();
        _org.Dispose();
    }

    private IConversationExporter Exporter(Action<SalesforceChatExportOptions>? configure = null, Func<HttpMessageHandler, HttpMessageHandler>? handler = null)
    {
        _host?.Dispose();
        _host = EmulatorExport.Create(_org, configure, handler: handler);
        return _host.Exporter;
    }

    [Fact]
    public async Task A_batch_of_200_new_visitors_costs_at_most_4_calls()
    {
        var conversations = Enumerable.Range(0, 200).Select(i => Conversation($"c{i}", $"new{i}@example.com")).ToList();

        var results = await Exporter().ExportManyAsync(conversations).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.ApiCallsUsed.Should().BeLessThanOrEqualTo(4);
        results.Sum(r => r.ApiCalls).Should().Be((int)_org.ApiCallsUsed);
        results[0].ApiCalls.Should().Be((int)_org.ApiCallsUsed, "shared calls are charged to the first conversation of the chunk");
        var contactsByEmail = _org.Records("Contact").ToDictionary(c => c.Text("Email")!, c => c.Id());
        contactsByEmail.Should().HaveCount(200);
        foreach (var (conversation, result) in conversations.Zip(results))
        {
            result.Person!.Id.Should().Be(contactsByEmail[conversation.Visitor.Email!]);
            result.Person.Change.Should().Be(RecordChange.Created);
            result.Activity!.Change.Should().Be(RecordChange.Created);
        }

        _org.Records("Task").Select(t => t.Text("WhoId")).Should().BeEquivalentTo(contactsByEmail.Values);
    }

    [Fact]
    public async Task Results_come_back_in_input_order_across_chunks_and_calls_add_up()
    {
        var conversations = Enumerable.Range(0, 650).Select(i => Conversation($"c{i:D4}", $"v{i}@example.com")).ToList();

        var results = await Exporter(o => o.MaxConcurrency = 4).ExportManyAsync(conversations).ToListAsync();

        results.Select(r => r.ConversationId).Should().Equal(conversations.Select(c => c.Id));
        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results.Sum(r => r.ApiCalls).Should().Be((int)_org.ApiCallsUsed);
        _org.Records("Task").Should().HaveCount(650);

        // 4 chunks, each one read request and its graph requests (75 graphs a request).
        _org.ReadRequests().Should().Be(4);
        _org.ApiCallsUsed.Should().BeLessThanOrEqualTo(4 * 4);
    }

    [Fact]
    public async Task The_async_stream_overload_exports_the_same_way()
    {
        var results = await Exporter().ExportManyAsync(Stream(250)).ToListAsync();

        results.Select(r => r.ConversationId).Should().Equal(Enumerable.Range(0, 250).Select(i => $"s{i}"));
        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.Records("Task").Should().HaveCount(250);

        static async IAsyncEnumerable<Conversation> Stream(int n)
        {
            for (var i = 0; i < n; i++)
            {
                await Task.Yield();
                yield return Conversation($"s{i}", $"s{i}@example.com");
            }
        }
    }

    [Fact]
    public async Task Each_bad_input_gets_its_own_outcome_and_the_valid_ones_are_exported_once()
    {
        _org.DefineField("Contact", new EmulatorField { Name = "Student_Type__c", Length = 40, Required = true });
        var exporter = Exporter(o => o.FieldMappings = [new FieldMapping { Source = "custom:Student Type", Target = "Contact.Student_Type__c" }]);
        var conversations = new[]
        {
            WithCustom(Conversation("ok-1", "ok1@example.com"), "Future Student"),
            WithCustom(Conversation("no-identity", email: null), "Future Student"),
            Conversation("rejected", "rejected@example.com"),
            WithCustom(Conversation("ok-2", "ok2@example.com"), "Current Student"),
            WithCustom(Conversation("ok-1", "ok1-again@example.com"), "Future Student"),
            WithCustom(Conversation("ok-3", "ok3@example.com"), "Alumni"),
        };

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Select(r => r.ConversationId).Should().Equal("ok-1", "no-identity", "rejected", "ok-2", "ok-1", "ok-3");
        results.Select(r => r.Status).Should().Equal(
            ExportStatus.Exported, ExportStatus.Skipped, ExportStatus.Failed, ExportStatus.Exported, ExportStatus.Skipped, ExportStatus.Exported);
        results[1].SkipReason.Should().Contain("visitor.email");
        var error = results[2].Error.Should().BeOfType<SalesforceApiException>().Subject;
        error.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        error.Message.Should().Contain("rejected");
        error.Fields.Should().Contain("Student_Type__c");
        results[4].SkipReason.Should().Contain("already contains a conversation with this Id");
        _org.Records("Contact").Select(c => c.Text("Email")).Should().BeEquivalentTo("ok1@example.com", "ok2@example.com", "ok3@example.com");
        _org.Records("Task").Should().HaveCount(3, "the rejected person's activity is not written");
        results.Sum(r => r.ApiCalls).Should().Be((int)_org.ApiCallsUsed);
    }

    [Fact]
    public async Task Duplicate_ids_in_one_call_are_exported_once_even_when_chunks_run_concurrently()
    {
        var conversations = Enumerable.Range(0, 300).SelectMany(i => new[] { Conversation($"c{i}", $"v{i}@example.com"), Conversation($"c{i}", $"v{i}@example.com") }).ToList();

        var results = await Task.Run(() => Exporter(o => o.MaxConcurrency = 8).ExportManyAsync(conversations).ToListAsync());

        results.Where((_, index) => index % 2 == 0).Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results.Where((_, index) => index % 2 == 1).Should().OnlyContain(r => r.Status == ExportStatus.Skipped && r.SkipReason!.Contains("exported once"));
        _org.Records("Task").Should().HaveCount(300);
    }

    [Fact]
    public async Task A_null_item_fails_in_place_and_progress_counts_every_outcome()
    {
        var progress = new List<ExportProgress>();

        async IAsyncEnumerable<Conversation> Stream()
        {
            yield return Conversation("conv-1", "a@example.com");
            await Task.Yield();
            yield return null!;
            yield return Conversation("conv-3", email: null);
        }

        var results = await Exporter().ExportManyAsync(Stream(), new InlineProgress<ExportProgress>(progress.Add)).ToListAsync();

        results.Select(r => r.Status).Should().Equal(ExportStatus.Exported, ExportStatus.Failed, ExportStatus.Skipped);
        results[1].Error.Should().BeOfType<ArgumentNullException>();
        progress.Should().Equal(new ExportProgress(1, 1, 0, 0), new ExportProgress(2, 1, 0, 1), new ExportProgress(3, 1, 1, 1));
    }

    [Fact]
    public async Task A_null_sequence_throws()
    {
        var act = async () => await Exporter().ExportManyAsync((IEnumerable<Conversation>)null!).ToListAsync();

        await act.Should().ThrowAsync<ArgumentNullException>();
    }

    [Fact]
    public async Task Two_conversations_of_the_same_new_visitor_create_one_person_and_two_activities()
    {
        var results = await Exporter().ExportManyAsync([Conversation("a", "same@example.com"), Conversation("b", "SAME@example.com")]).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        var id = _org.Records("Contact").Should().ContainSingle().Subject.Id();
        results.Select(r => r.Person!.Id).Should().Equal(id, id);
        results.Select(r => r.Person!.Change).Should().Equal(RecordChange.Created, RecordChange.Unchanged);
        _org.Records("Task").Select(t => t.Text("WhoId")).Should().Equal(id, id);
    }

    [Fact]
    public async Task The_same_new_visitor_in_two_concurrent_chunks_is_created_once()
    {
        var conversations = Enumerable.Range(0, 400).Select(i => Conversation($"c{i}", i is 0 or 399 ? "twice@example.com" : $"v{i}@example.com")).ToList();

        var results = await Exporter(o => o.MaxConcurrency = 4).ExportManyAsync(conversations).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.Records("Contact").Where(c => c.Text("Email") == "twice@example.com").Should().ContainSingle();
        results[399].Person!.Id.Should().Be(results[0].Person!.Id);
        _org.Records("Task").Should().HaveCount(400);
    }

    [Fact]
    public async Task Existing_contacts_are_matched_from_the_shared_read_and_their_blanks_filled()
    {
        var existing = _org.Insert("Contact", new { LastName = "Visitor", Email = "known@example.com" });
        var kept = _org.Insert("Contact", new { FirstName = "Vera", LastName = "Visitor", Email = "kept@example.com" });

        var results = await Exporter().ExportManyAsync([Conversation("a", "known@example.com"), Conversation("b", "new@example.com"), Conversation("c", "kept@example.com")]).ToListAsync();

        results.Select(r => r.Person!.Id).Should().Equal(existing, results[1].Person!.Id, kept);
        results.Select(r => r.Person!.Change).Should().Equal(RecordChange.Updated, RecordChange.Created, RecordChange.Unchanged);
        _org.Records("Contact").Should().HaveCount(3);
        _org.Find("Contact", existing)!.Text("FirstName").Should().Be("Vera");
        _org.ReadRequests().Should().Be(1);
        _org.WriteRequests().Should().Be(1);
    }

    [Fact]
    public async Task Agent_users_are_read_once_for_the_chunk_and_then_come_from_the_cache()
    {
        var users = Enumerable.Range(0, 10).Select(i => _org.SeedUser($"agent{i}@acme.test")).ToArray();
        var exporter = Exporter();
        var conversations = Enumerable.Range(0, 200).Select(i => Conversation($"c{i}", $"v{i}@example.com", agentEmail: $"agent{i % 10}@acme.test")).ToList();

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results.Select(r => r.OwnerId).Should().Equal(Enumerable.Range(0, 200).Select(i => users[i % 10]));
        _org.ApiCallsUsed.Should().BeLessThanOrEqualTo(4);
        SingleExportTests.UserQueries(_org).Should().Be(1);

        _org.ClearRequestLog();
        var again = await exporter.ExportManyAsync(Enumerable.Range(0, 10).Select(i => Conversation($"d{i}", $"w{i}@example.com", agentEmail: $"agent{i}@acme.test"))).ToListAsync();
        again.Select(r => r.OwnerId).Should().Equal(users);
        SingleExportTests.UserQueries(_org).Should().Be(0, "the agents' Users are cached");
        _org.ReadRequests().Should().Be(1);
        _org.WriteRequests().Should().Be(1);
    }

    [Fact]
    public async Task Re_running_a_batch_with_a_conversation_id_field_writes_nothing_twice()
    {
        SingleExportTests.DefineKeys(_org);
        var exporter = Exporter(o => o.ConversationIdField = "Chat_Conversation_Id__c");
        var conversations = Enumerable.Range(0, 50).Select(i => Conversation($"c{i}", $"v{i}@example.com")).ToList();

        var first = await exporter.ExportManyAsync(conversations).ToListAsync();
        var second = await exporter.ExportManyAsync(conversations).ToListAsync();

        first.Should().OnlyContain(r => r.Activity!.Change == RecordChange.Created);
        second.Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.Activity!.Change == RecordChange.Updated && r.Person!.Change == RecordChange.Unchanged);
        second.Select(r => r.Activity!.Id).Should().Equal(first.Select(r => r.Activity!.Id));
        _org.Records("Contact").Should().HaveCount(50);
        _org.Records("Task").Should().HaveCount(50);
    }

    [Fact]
    public async Task Re_running_a_batch_without_a_conversation_id_field_finds_the_activities_by_their_marker()
    {
        var exporter = Exporter();
        var conversations = Enumerable.Range(0, 50).Select(i => Conversation($"c{i}", $"v{i}@example.com")).ToList();

        var first = await exporter.ExportManyAsync(conversations).ToListAsync();
        var second = await exporter.ExportManyAsync(conversations).ToListAsync();

        second.Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.Activity!.Change == RecordChange.Updated && r.Person!.Change == RecordChange.Unchanged);
        second.Select(r => r.Activity!.Id).Should().Equal(first.Select(r => r.Activity!.Id));
        _org.Records("Contact").Should().HaveCount(50);
        _org.Records("Task").Should().HaveCount(50);
    }

    [Fact]
    public async Task A_person_key_field_upserts_persons_without_reading_them()
    {
        SingleExportTests.DefineKeys(_org);
        var exporter = Exporter(o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });

        var results = await exporter.ExportManyAsync(Enumerable.Range(0, 100).Select(i => Conversation($"c{i}", $"v{i % 60}@example.com"))).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.Records("Contact").Should().HaveCount(60);
        _org.Records("Task").Should().HaveCount(100);
        _org.RequestLog.SelectMany(r => r.Subrequests).Should().NotContain(s => Uri.UnescapeDataString(s.Url).Contains("FROM Contact", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicate_rules_on_a_new_person_link_the_activity_to_the_matched_record()
    {
        _org.AddDuplicateRule("Contact", DuplicateRuleAction.Block, "LastName");
        var twin = _org.Insert("Contact", new { LastName = "Twin", Email = "other@example.com" });

        var result = (await Exporter().ExportManyAsync([Conversation("a", "twin@example.com", lastName: "Twin")]).ToListAsync()).Single();

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", twin, RecordChange.Unchanged));
        result.Warnings.Should().Contain(w => w.Contains("duplicate rules", StringComparison.Ordinal));
        _org.Records("Contact").Should().ContainSingle();
        _org.Records("Task").Single().Text("WhoId").Should().Be(twin);
    }

    [Fact]
    public async Task Duplicate_rules_rejecting_the_update_of_a_matched_person_keep_it_as_it_was()
    {
        _org.AddDuplicateRule("Contact", DuplicateRuleAction.Block, "FirstName", "LastName");
        var existing = _org.Insert("Contact", new { LastName = "Visitor", Email = "known@example.com" });
        _org.Insert("Contact", new { FirstName = "Vera", LastName = "Visitor", Email = "someone-else@example.com" });

        var result = (await Exporter().ExportManyAsync([Conversation("a", "known@example.com")]).ToListAsync()).Single();

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", existing, RecordChange.Unchanged));
        result.Warnings.Should().Contain(w => w.Contains("rejected the update", StringComparison.Ordinal));
        _org.Find("Contact", existing)!.Text("FirstName").Should().BeNull();
        _org.Records("Task").Single().Text("WhoId").Should().Be(existing);
    }

    [Fact]
    public async Task Attachments_and_campaign_members_are_written_with_their_conversations()
    {
        var campaign = _org.Insert("Campaign", new { Name = "Spring intake" });
        var exporter = Exporter(o =>
        {
            o.CampaignId = campaign;
            o.CampaignMemberStatus = "Responded";
        });
        var withFile = WithAttachments(Conversation("a", "a@example.com"), new ChatAttachment { FileName = "brochure.pdf", ContentType = "application/pdf", Content = new byte[] { 1, 2, 3 } });

        var results = await exporter.ExportManyAsync([withFile, Conversation("b", "b@example.com"), Conversation("c", "a@example.com")]).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        var file = _org.Records("ContentVersion").Should().ContainSingle().Subject;
        file.Text("FirstPublishLocationId").Should().Be(results[0].Activity!.Id);
        file.Text("PathOnClient").Should().Be("brochure.pdf");
        results[0].Files.Should().ContainSingle().Which.Id.Should().Be(file.Id());
        _org.Records("CampaignMember").Select(m => m.Text("ContactId")).Should().BeEquivalentTo([results[0].Person!.Id, results[1].Person!.Id], "one membership per person");
        _org.Records("CampaignMember").Should().OnlyContain(m => m.Text("Status") == "Responded");
        results[2].Person.Should().Be(new SalesforceRecordRef("Contact", results[0].Person!.Id, RecordChange.Unchanged), "the second conversation of a@ joins the first's new person");
    }

    [Fact]
    public async Task A_rejected_activity_fails_only_its_conversation_and_leaves_nothing_of_it()
    {
        _org.DefineField("Task", new EmulatorField { Name = "Topic__c", Length = 40, Required = true });
        var exporter = Exporter(o => o.FieldMappings = [new FieldMapping { Source = "custom:Student Type", Target = "Task.Topic__c" }]);

        var results = await exporter.ExportManyAsync([
            WithCustom(Conversation("a", "a@example.com"), "Future"),
            Conversation("b", "b@example.com"),
            WithCustom(Conversation("c", "c@example.com"), "Future")]).ToListAsync();

        results.Select(r => r.Status).Should().Equal(ExportStatus.Exported, ExportStatus.Failed, ExportStatus.Exported);
        results[1].Error.Should().BeOfType<SalesforceApiException>().Which.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        _org.Records("Task").Should().HaveCount(2);
        _org.Records("Contact").Select(c => c.Text("Email")).Should().BeEquivalentTo(["a@example.com", "c@example.com"], "a conversation's writes are all or nothing");
    }

    [Fact]
    public async Task An_inactive_default_owner_falls_back_to_the_connecting_user()
    {
        var inactive = _org.SeedUser("gone@acme.test", active: false);

        var results = await Exporter(o => o.DefaultOwnerId = inactive).ExportManyAsync([Conversation("a", "a@example.com"), Conversation("b", "b@example.com")]).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.OwnerId == null);
        results.Should().OnlyContain(r => r.Warnings.Any(w => w.Contains("fell back to ConnectingUser", StringComparison.Ordinal)));
        _org.Records("Contact").Should().HaveCount(2).And.OnlyContain(c => c.Text("OwnerId") == _org.IntegrationUserId);
        _org.Records("Task").Should().HaveCount(2).And.OnlyContain(t => t.Text("OwnerId") == _org.IntegrationUserId);
    }

    [Fact]
    public async Task Progress_is_reported_after_each_conversation()
    {
        var reports = new List<ExportProgress>();

        await Exporter().ExportManyAsync([Conversation("a", "a@example.com"), Conversation("b", null), Conversation("c", "c@example.com")], new InlineProgress<ExportProgress>(reports.Add)).ToListAsync();

        reports.Should().Equal(new ExportProgress(1, 1, 0, 0), new ExportProgress(2, 1, 1, 0), new ExportProgress(3, 2, 1, 0));
    }

    [Fact]
    public async Task Cancellation_stops_the_batch()
    {
        using var cts = new CancellationTokenSource();
        var writes = 0;
        var exporter = Exporter(o => o.MaxConcurrency = 1, handler: inner => new CallbackHandler(inner, request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/composite/graph", StringComparison.Ordinal) && Interlocked.Increment(ref writes) == 2)
            {
                cts.Cancel();
            }
        }));
        var conversations = Enumerable.Range(0, 1000).Select(i => Conversation($"c{i}", $"v{i}@example.com"));

        var act = async () => await exporter.ExportManyAsync(conversations, cts.Token).ToListAsync();

        await act.Should().ThrowAsync<OperationCanceledException>();
        _org.Records("Task").Count.Should().BeLessThan(1000);
        _org.ApiCallsUsed.Should().BeLessThan(10, "the chunks after the cancellation send nothing");
    }

    [Fact]
    public async Task A_failing_shared_read_fails_its_chunk_but_not_the_batch()
    {
        _org.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });
        var exporter = Exporter(o =>
        {
            o.MaxConcurrency = 1;
            o.Resilience.MaxRetryAttempts = 0;
        });
        var conversations = Enumerable.Range(0, 201).Select(i => Conversation($"c{i}", $"v{i}@example.com")).ToList();

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Take(200).Should().OnlyContain(r => r.Status == ExportStatus.Failed && r.Error is SalesforceApiException);
        results[200].Status.Should().Be(ExportStatus.Exported);
        _org.Records("Contact").Should().ContainSingle();
    }

    [Fact]
    public async Task A_single_export_costs_two_calls_and_one_with_keys_and_warm_caches()
    {
        _org.SeedUser("agent@acme.test");
        _org.Insert("Contact", new { FirstName = "Vera", LastName = "Visitor", Email = "known@example.com" });
        var exporter = Exporter();

        (await exporter.ExportAsync(Conversation("new", "new@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(2);
        (await exporter.ExportAsync(Conversation("known", "known@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(2);
        _org.ApiCallsUsed.Should().Be(4);

        using var keyed = new SalesforceEmulator();
        keyed.SeedUser("agent@acme.test");
        SingleExportTests.DefineKeys(keyed);
        using var host = EmulatorExport.Create(keyed, o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });
        (await host.Exporter.ExportAsync(Conversation("k1", "k1@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(2, "describes and the agent's User are read once");
        (await host.Exporter.ExportAsync(Conversation("k2", "k2@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(1);
        keyed.ApiCallsUsed.Should().Be(3);
        keyed.Records("Task").Should().HaveCount(2);
    }

    internal static Conversation WithCustom(Conversation c, string studentType) => Copy(c, custom: new Dictionary<string, string?> { ["Student Type"] = studentType });

    internal static Conversation WithAttachments(Conversation c, params ChatAttachment[] attachments) => Copy(c, attachments: attachments);

    private static Conversation Copy(Conversation c, IReadOnlyDictionary<string, string?>? custom = null, IReadOnlyList<ChatAttachment>? attachments = null) => new()
    {
        Id = c.Id,
        Channel = c.Channel,
        StartedAt = c.StartedAt,
        EndedAt = c.EndedAt,
        Visitor = c.Visitor,
        Agent = c.Agent,
        Messages = c.Messages,
        CustomFields = custom ?? c.CustomFields,
        Attachments = attachments ?? c.Attachments,
    };

    private sealed class CallbackHandler(HttpMessageHandler inner, Action<HttpRequestMessage> before) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            before(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Reports on the caller's thread, in order (a <see cref="Progress{T}"/> posts to the thread pool).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
