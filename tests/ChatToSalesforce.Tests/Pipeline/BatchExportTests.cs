using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using static ChatToSalesforce.Tests.Pipeline.PipelineHost;

namespace ChatToSalesforce.Tests.Pipeline;

public sealed class BatchExportTests
{
    [Fact]
    public async Task A_batch_of_200_new_visitors_costs_at_most_4_calls()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org);
        var conversations = Enumerable.Range(0, 200).Select(i => Conversation($"c{i}", $"new{i}@example.com")).ToList();

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        org.ApiCalls.Should().BeLessThanOrEqualTo(4);
        org.Requests.Should().Equal("composite", "collection:Create", "collection:Create");
        results.Sum(r => r.ApiCalls).Should().Be(org.ApiCalls);
        results[0].ApiCalls.Should().Be(org.ApiCalls, "shared calls are charged to the first conversation of the chunk");
        org.Records("Contact").Should().HaveCount(200);
        org.Records("Task").Should().HaveCount(200);
        var contactsByEmail = org.Records("Contact").ToDictionary(c => c["Email"]!.GetValue<string>(), c => c["Id"]!.GetValue<string>());
        foreach (var (conversation, result) in conversations.Zip(results))
        {
            result.Person!.Id.Should().Be(contactsByEmail[conversation.Visitor.Email!]);
            result.Person.Change.Should().Be(RecordChange.Created);
            result.Activity!.Change.Should().Be(RecordChange.Created);
        }

        org.Records("Task").Select(t => t["WhoId"]!.GetValue<string>()).Should().BeEquivalentTo(contactsByEmail.Values);
    }

    [Fact]
    public async Task Results_come_back_in_input_order_across_chunks_and_calls_add_up()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org, o => o.MaxConcurrency = 4);
        var conversations = Enumerable.Range(0, 650).Select(i => Conversation($"c{i:D4}", $"v{i}@example.com")).ToList();

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Select(r => r.ConversationId).Should().Equal(conversations.Select(c => c.Id));
        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results.Sum(r => r.ApiCalls).Should().Be(org.ApiCalls);
        org.Records("Task").Should().HaveCount(650);

        // 4 chunks: 1 shared read + 2 collection writes each (describes are cached after the first).
        org.ApiCalls.Should().Be(12);
    }

    [Fact]
    public async Task The_async_stream_overload_exports_the_same_way()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org);

        var results = await exporter.ExportManyAsync(Stream(250)).ToListAsync();

        results.Select(r => r.ConversationId).Should().Equal(Enumerable.Range(0, 250).Select(i => $"s{i}"));
        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        org.Records("Task").Should().HaveCount(250);

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
        var org = new FakeSalesforceOrg
        {
            Validate = (type, record) => type == "Contact" && record["LastName"]?.GetValue<string>() == "Rejected"
                ? new SalesforceError("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Last name 'Rejected' is not allowed.", ["LastName"])
                : null,
        };
        var exporter = Exporter(org);
        var conversations = new[]
        {
            Conversation("ok-1", "ok1@example.com"),
            Conversation("no-identity", email: null),
            Conversation("rejected", "rejected@example.com", lastName: "Rejected"),
            Conversation("ok-2", "ok2@example.com"),
            Conversation("ok-1", "ok1-again@example.com"),
            Conversation("ok-3", "ok3@example.com"),
        };

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Select(r => r.ConversationId).Should().Equal("ok-1", "no-identity", "rejected", "ok-2", "ok-1", "ok-3");
        results.Select(r => r.Status).Should().Equal(
            ExportStatus.Exported, ExportStatus.Skipped, ExportStatus.Failed, ExportStatus.Exported, ExportStatus.Skipped, ExportStatus.Exported);
        results[1].SkipReason.Should().Contain("visitor.email");
        var error = results[2].Error.Should().BeOfType<SalesforceApiException>().Subject;
        error.ErrorCode.Should().Be("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        error.Message.Should().Contain("rejected").And.NotContain("Last name 'Rejected' is not allowed.");
        error.SalesforceMessage.Should().Be("Last name 'Rejected' is not allowed.");
        error.Fields.Should().Equal("LastName");
        results[4].SkipReason.Should().Contain("already contains a conversation with this Id");

        org.Records("Contact").Select(c => c["Email"]!.GetValue<string>()).Should().BeEquivalentTo("ok1@example.com", "ok2@example.com", "ok3@example.com");
        org.Records("Task").Should().HaveCount(3, "the rejected person's activity is not written");
        results.Sum(r => r.ApiCalls).Should().Be(org.ApiCalls);
    }

    [Fact]
    public async Task Two_conversations_of_the_same_new_visitor_create_one_person_and_two_activities()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org);

        var results = await exporter.ExportManyAsync([Conversation("a", "same@example.com"), Conversation("b", "SAME@example.com")]).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        var contact = org.Records("Contact").Should().ContainSingle().Subject;
        var id = contact["Id"]!.GetValue<string>();
        results.Select(r => r.Person!.Id).Should().Equal(id, id);
        results.Select(r => r.Person!.Change).Should().Equal(RecordChange.Created, RecordChange.Unchanged);
        org.Records("Task").Select(t => t["WhoId"]!.GetValue<string>()).Should().Equal(id, id);
    }

    [Fact]
    public async Task The_same_new_visitor_in_two_chunks_is_created_once()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org, o => o.MaxConcurrency = 4);
        var conversations = Enumerable.Range(0, 400).Select(i => Conversation($"c{i}", i is 0 or 399 ? "twice@example.com" : $"v{i}@example.com")).ToList();

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        org.Records("Contact").Where(c => c["Email"]!.GetValue<string>() == "twice@example.com").Should().ContainSingle();
        results[399].Person!.Id.Should().Be(results[0].Person!.Id);
        org.Records("Task").Should().HaveCount(400);
    }

    [Fact]
    public async Task An_existing_contact_is_matched_from_the_shared_read_and_its_blanks_filled()
    {
        var org = new FakeSalesforceOrg();
        var existing = org.Insert("Contact", new JsonObject { ["FirstName"] = null, ["LastName"] = "Visitor", ["Email"] = "known@example.com" });
        var kept = org.Insert("Contact", new JsonObject { ["FirstName"] = "Vera", ["LastName"] = "Visitor", ["Email"] = "kept@example.com" });
        var exporter = Exporter(org);

        var results = await exporter.ExportManyAsync([Conversation("a", "known@example.com"), Conversation("b", "new@example.com"), Conversation("c", "kept@example.com")]).ToListAsync();

        results.Select(r => r.Person!.Id).Should().Equal(existing, results[1].Person!.Id, kept);
        results.Select(r => r.Person!.Change).Should().Equal(RecordChange.Updated, RecordChange.Created, RecordChange.Unchanged);
        org.Records("Contact").Should().HaveCount(3);
        org.Records("Contact").Single(c => c["Id"]!.GetValue<string>() == existing)["FirstName"]!.GetValue<string>().Should().Be("Vera");
        org.Requests.Should().Equal("composite", "collection:Create", "collection:Update", "collection:Create");
    }

    [Fact]
    public async Task Agent_users_are_read_once_for_the_chunk_and_set_as_owners()
    {
        var org = new FakeSalesforceOrg();
        var users = Enumerable.Range(0, 10).Select(i => org.Insert("User", new JsonObject { ["Email"] = $"agent{i}@acme.test", ["IsActive"] = true })).ToArray();
        var exporter = Exporter(org);
        var conversations = Enumerable.Range(0, 200).Select(i => Conversation($"c{i}", $"v{i}@example.com", agentEmail: $"agent{i % 10}@acme.test")).ToList();

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results.Select(r => r.OwnerId).Should().Equal(Enumerable.Range(0, 200).Select(i => users[i % 10]));
        org.ApiCalls.Should().BeLessThanOrEqualTo(4);

        // A second batch finds the agents in the cache: the only read is the person query.
        var again = await exporter.ExportManyAsync(Enumerable.Range(0, 10).Select(i => Conversation($"d{i}", $"w{i}@example.com", agentEmail: $"agent{i}@acme.test"))).ToListAsync();
        again.Select(r => r.OwnerId).Should().Equal(users);
        org.Requests.Skip(3).Should().Equal("composite", "collection:Create", "collection:Create");
    }

    [Fact]
    public async Task Re_running_a_batch_with_a_conversation_id_field_writes_nothing_twice()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org, o => o.ConversationIdField = "Chat_Conversation_Id__c");
        var conversations = Enumerable.Range(0, 50).Select(i => Conversation($"c{i}", $"v{i}@example.com")).ToList();

        var first = await exporter.ExportManyAsync(conversations).ToListAsync();
        var second = await exporter.ExportManyAsync(conversations).ToListAsync();

        first.Should().OnlyContain(r => r.Activity!.Change == RecordChange.Created);
        second.Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.Activity!.Change == RecordChange.Updated && r.Person!.Change == RecordChange.Unchanged);
        second.Select(r => r.Activity!.Id).Should().Equal(first.Select(r => r.Activity!.Id));
        org.Records("Contact").Should().HaveCount(50);
        org.Records("Task").Should().HaveCount(50);
    }

    [Fact]
    public async Task A_person_key_field_upserts_persons_in_one_collection_without_reading_them()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org, o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });

        var results = await exporter.ExportManyAsync(Enumerable.Range(0, 100).Select(i => Conversation($"c{i}", $"v{i % 60}@example.com"))).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        org.Records("Contact").Should().HaveCount(60);
        org.Records("Task").Should().HaveCount(100);
        org.Requests.Should().Equal("composite", "collection:Upsert", "collection:Upsert");
    }

    [Fact]
    public async Task Duplicate_rules_on_a_new_person_link_the_activity_to_the_matched_record()
    {
        var org = new FakeSalesforceOrg();
        var twin = org.Insert("Contact", new JsonObject { ["LastName"] = "Twin", ["Email"] = "other@example.com" });
        org.Validate = (type, record) => type == "Contact" && record["LastName"]?.GetValue<string>() == "Twin" && !record.ContainsKey("Id")
            ? new SalesforceError("DUPLICATES_DETECTED", "Use one of these records?", []) { DuplicateRecordIds = [twin] }
            : null;
        var exporter = Exporter(org);

        var results = await exporter.ExportManyAsync([Conversation("a", "twin@example.com", lastName: "Twin")]).ToListAsync();

        var result = results.Should().ContainSingle().Subject;
        result.Status.Should().Be(ExportStatus.Exported);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", twin, RecordChange.Unchanged));
        result.Warnings.Should().Contain(w => w.Contains("duplicate rules", StringComparison.Ordinal));
        org.Records("Task").Single()["WhoId"]!.GetValue<string>().Should().Be(twin);
    }

    [Fact]
    public async Task Duplicate_rules_rejecting_the_update_of_a_matched_person_keep_it_as_it_was()
    {
        var org = new FakeSalesforceOrg();
        var existing = org.Insert("Contact", new JsonObject { ["FirstName"] = null, ["LastName"] = "Visitor", ["Email"] = "known@example.com" });
        org.Validate = (type, record) => type == "Contact" && record.ContainsKey("Id")
            ? new SalesforceError("DUPLICATES_DETECTED", "Use one of these records?", [])
            : null;
        var exporter = Exporter(org);

        var result = (await exporter.ExportManyAsync([Conversation("a", "known@example.com")]).ToListAsync()).Single();

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", existing, RecordChange.Unchanged));
        result.Warnings.Should().Contain(w => w.Contains("rejected the update", StringComparison.Ordinal));
        org.Records("Task").Single()["WhoId"]!.GetValue<string>().Should().Be(existing);
    }

    [Fact]
    public async Task Attachments_and_campaign_members_go_out_together_after_the_activities()
    {
        var org = new FakeSalesforceOrg();
        var exporter = Exporter(org, o =>
        {
            o.CampaignId = "701000000000001AAA";
            o.CampaignMemberStatus = "Responded";
        });
        var withFile = Conversation("a", "a@example.com");
        withFile = new Conversation
        {
            Id = withFile.Id, Channel = withFile.Channel, StartedAt = withFile.StartedAt, Visitor = withFile.Visitor, Messages = withFile.Messages,
            Attachments = [new ChatAttachment { FileName = "brochure.pdf", ContentType = "application/pdf", Content = new byte[] { 1, 2, 3 } }],
        };

        var results = await exporter.ExportManyAsync([withFile, Conversation("b", "b@example.com"), Conversation("c", "a@example.com")]).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        org.Requests.Should().Equal("composite", "collection:Create", "collection:Create", "collection:Create");
        var file = org.Records("ContentVersion").Should().ContainSingle().Subject;
        file["FirstPublishLocationId"]!.GetValue<string>().Should().Be(results[0].Activity!.Id);
        file["VersionData"]!.GetValue<string>().Should().Be(Convert.ToBase64String(new byte[] { 1, 2, 3 }));
        results[0].Files.Should().ContainSingle().Which.Id.Should().Be(file["Id"]!.GetValue<string>());
        org.Records("CampaignMember").Select(m => m["ContactId"]!.GetValue<string>()).Should().BeEquivalentTo([results[0].Person!.Id, results[1].Person!.Id], "one membership per person");
        org.Records("CampaignMember").Should().OnlyContain(m => m["Status"]!.GetValue<string>() == "Responded");
    }

    [Fact]
    public async Task A_rejected_activity_fails_only_its_conversation()
    {
        var org = new FakeSalesforceOrg
        {
            Validate = (type, record) => type == "Task" && record["Subject"]?.GetValue<string>()?.Contains("Bad", StringComparison.Ordinal) == true
                ? new SalesforceError("STRING_TOO_LONG", "Subject: data value too large", ["Subject"])
                : null,
        };
        var exporter = Exporter(org);

        var results = await exporter.ExportManyAsync([Conversation("a", "a@example.com"), Conversation("b", "b@example.com", lastName: "Bad"), Conversation("c", "c@example.com")]).ToListAsync();

        results.Select(r => r.Status).Should().Equal(ExportStatus.Exported, ExportStatus.Failed, ExportStatus.Exported);
        results[1].Error.Should().BeOfType<SalesforceApiException>().Which.ErrorCode.Should().Be("STRING_TOO_LONG");
        results[1].Person.Should().NotBeNull("the person was written before the activity was rejected");
        org.Records("Task").Should().HaveCount(2);
    }

    [Fact]
    public async Task An_inactive_default_owner_falls_back_to_the_connecting_user()
    {
        const string Inactive = "005000000000BADAAA";
        var org = new FakeSalesforceOrg
        {
            Validate = (type, record) => record["OwnerId"]?.GetValue<string>() == Inactive
                ? new SalesforceError("INACTIVE_OWNER_OR_USER", "operation performed with inactive user", [])
                : null,
        };
        var exporter = Exporter(org, o => o.DefaultOwnerId = Inactive);

        var results = await exporter.ExportManyAsync([Conversation("a", "a@example.com"), Conversation("b", "b@example.com")]).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.OwnerId == null);
        results.Should().OnlyContain(r => r.Warnings.Any(w => w.Contains("fell back to ConnectingUser", StringComparison.Ordinal)));
        org.Records("Contact").Should().HaveCount(2).And.OnlyContain(c => !c.ContainsKey("OwnerId"));
        org.Records("Task").Should().HaveCount(2).And.OnlyContain(t => !t.ContainsKey("OwnerId"));
        org.Requests.Should().Equal("composite", "collection:Create", "collection:Create", "collection:Create");
    }

    [Fact]
    public async Task Progress_is_reported_after_each_conversation()
    {
        var org = new FakeSalesforceOrg();
        var reports = new List<ExportProgress>();
        var exporter = Exporter(org, o => o.OnProgress = reports.Add);

        await exporter.ExportManyAsync([Conversation("a", "a@example.com"), Conversation("b", null), Conversation("c", "c@example.com")]).ToListAsync();

        reports.Should().Equal(new ExportProgress(1, 1, 0, 0), new ExportProgress(2, 1, 1, 0), new ExportProgress(3, 2, 1, 0));
    }

    [Fact]
    public async Task Cancellation_stops_the_batch()
    {
        using var cts = new CancellationTokenSource();
        var org = new FakeSalesforceOrg();
        org.OnRequest = kind =>
        {
            if (org.Requests.Count(r => r.StartsWith("collection", StringComparison.Ordinal)) == 2)
            {
                cts.Cancel();
            }
        };
        var exporter = Exporter(org, o => o.MaxConcurrency = 1);
        var conversations = Enumerable.Range(0, 1000).Select(i => Conversation($"c{i}", $"v{i}@example.com"));

        var act = async () => await exporter.ExportManyAsync(conversations, cts.Token).ToListAsync();

        await act.Should().ThrowAsync<OperationCanceledException>();
        org.Records("Task").Count.Should().BeLessThan(1000);
        var calls = org.ApiCalls;
        calls.Should().BeLessThan(15, "the chunks after the cancellation send nothing");
    }

    [Fact]
    public async Task A_failing_shared_read_fails_the_chunk_items_but_not_the_batch()
    {
        var org = new ThrowingOnceOrg();
        var exporter = Exporter(org, o => o.MaxConcurrency = 1);
        var conversations = Enumerable.Range(0, 201).Select(i => Conversation($"c{i}", $"v{i}@example.com")).ToList();

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        results.Take(200).Should().OnlyContain(r => r.Status == ExportStatus.Failed && r.Error is SalesforceApiException);
        results[200].Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task A_single_export_costs_two_calls_and_one_with_keys_and_warm_caches()
    {
        var org = new FakeSalesforceOrg();
        org.Insert("User", new JsonObject { ["Email"] = "agent@acme.test", ["IsActive"] = true });
        org.Insert("Contact", new JsonObject { ["FirstName"] = "Vera", ["LastName"] = "Visitor", ["Email"] = "known@example.com" });
        var exporter = Exporter(org);

        (await exporter.ExportAsync(Conversation("new", "new@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(2);
        (await exporter.ExportAsync(Conversation("known", "known@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(2);
        org.ApiCalls.Should().Be(4);

        var keyed = new FakeSalesforceOrg();
        keyed.Insert("User", new JsonObject { ["Email"] = "agent@acme.test", ["IsActive"] = true });
        var exporterWithKeys = Exporter(keyed, o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });
        (await exporterWithKeys.ExportAsync(Conversation("k1", "k1@example.com", agentEmail: "agent@acme.test"))).ApiCalls.Should().Be(2, "describes and the agent's User are read once");
        var warm = await exporterWithKeys.ExportAsync(Conversation("k2", "k2@example.com", agentEmail: "agent@acme.test"));
        warm.ApiCalls.Should().Be(1);
        keyed.Requests.Should().Equal("composite", "composite", "composite");
        keyed.Records("Task").Should().HaveCount(2);
    }

    private sealed class ThrowingOnceOrg : ISalesforceClient
    {
        private readonly FakeSalesforceOrg _org = new();
        private int _composites;

        public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) => _org.QueryAsync(soql, cancellationToken);

        public Task<SalesforceCompositeResponse> SendCompositeAsync(SalesforceCompositeRequest request, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _composites) == 1
                ? throw new SalesforceApiException(System.Net.HttpStatusCode.ServiceUnavailable, "SERVER_UNAVAILABLE", "Down for a moment.", isTransient: true)
                : _org.SendCompositeAsync(request, cancellationToken);

        public Task<IReadOnlyList<SalesforceSaveResult>> SendCollectionAsync(SalesforceCollectionRequest request, CancellationToken cancellationToken = default) => _org.SendCollectionAsync(request, cancellationToken);

        public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) => _org.DescribeAsync(objectType, cancellationToken);

        public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) => _org.UploadFileAsync(file, cancellationToken);

        public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => _org.GetConnectionAsync(cancellationToken);

        public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => _org.GetLimitsAsync(cancellationToken);
    }
}
