using System.Text.Json.Nodes;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace ChatToSalesforce.Tests.Pipeline;

public sealed class ConversationExporterTests : IDisposable
{
    private readonly ISalesforceClient _client = Substitute.For<ISalesforceClient>();
    private readonly FakeOrg _org = new();
    private ServiceProvider? _provider;

    public ConversationExporterTests()
    {
        _client.SendCompositeAsync(Arg.Any<SalesforceCompositeRequest>(), Arg.Any<CancellationToken>()).Returns(ci => _org.Respond(ci.Arg<SalesforceCompositeRequest>()));
        _client.QueryAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ci => _org.Query(ci.Arg<string>()));
        _client.SendCollectionAsync(Arg.Any<SalesforceCollectionRequest>(), Arg.Any<CancellationToken>()).Returns(ci => _org.RespondCollection(ci.Arg<SalesforceCollectionRequest>()));
    }

    public void Dispose() => _provider?.Dispose();

    private IConversationExporter Exporter(Action<SalesforceChatExportOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_client);
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "token";
            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<IConversationExporter>();
    }

    private int Calls => _client.ReceivedCalls().Count();

    private SalesforceCompositeRequest WriteRequest => _org.Composites.Last(c => c.AllOrNone);

    private static async Task<List<ConversationExportResult>> ToListAsync(IAsyncEnumerable<ConversationExportResult> results)
    {
        var list = new List<ConversationExportResult>();
        await foreach (var result in results)
        {
            list.Add(result);
        }

        return list;
    }

    [Fact]
    public async Task ExportAsync_Null_ThrowsArgumentNull()
    {
        var act = () => Exporter().ExportAsync(null!);

        await act.Should().ThrowAsync<ArgumentNullException>();
    }

    [Fact]
    public async Task ExportAsync_NoId_IsSkippedWithoutCalls()
    {
        var result = await Exporter().ExportAsync(TestData.Conversation(id: " "));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("no Id");
        Calls.Should().Be(0);
    }

    [Fact]
    public async Task ExportAsync_FilterDoesNotHold_IsSkippedWithoutCalls()
    {
        var exporter = Exporter(o => o.Filters = [new ExportCondition { Source = "custom:Student Type", Equals = "Future Student" }]);

        var result = await exporter.ExportAsync(TestData.Conversation(custom: new Dictionary<string, string?> { ["Student Type"] = "Alumni" }));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.ConversationId.Should().Be("conv-1");
        result.SkipReason.Should().StartWith("Filters[0]");
        result.ApiCalls.Should().Be(0);
        Calls.Should().Be(0);
    }

    [Fact]
    public async Task ExportAsync_MissingEmail_IsSkippedWithoutCalls()
    {
        var result = await Exporter().ExportAsync(TestData.Conversation(email: null));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("visitor.email");
        Calls.Should().Be(0);
    }

    [Fact]
    public async Task ExportAsync_NewVisitor_CreatesContactAndTaskInTwoCalls()
    {
        var result = await Exporter().ExportAsync(TestData.Conversation());

        Calls.Should().Be(2);
        _client.ReceivedCalls().Should().OnlyContain(c => c.GetMethodInfo().Name == nameof(ISalesforceClient.SendCompositeAsync));
        result.Status.Should().Be(ExportStatus.Exported);
        result.Person!.ObjectType.Should().Be("Contact");
        result.Person.Change.Should().Be(RecordChange.Created);
        result.Activity!.ObjectType.Should().Be("Task");
        result.Activity.Change.Should().Be(RecordChange.Created);
        result.ApiCalls.Should().Be(2);
        result.OwnerId.Should().BeNull();
        var write = WriteRequest;
        write.Subrequests.Select(s => (s.Method, s.Url)).Should().Equal(("POST", "sobjects/Contact"), ("POST", "sobjects/Task"));
        write.Subrequests[0].Body!.ToJsonString().Should().Be("""{"FirstName":"Ada","LastName":"Lovelace","Email":"ada@example.com"}""");
        write.Subrequests[1].Body!["WhoId"]!.GetValue<string>().Should().Be("@{person.id}");
        write.Subrequests[1].Body!["Status"]!.GetValue<string>().Should().Be("Completed");
    }

    [Fact]
    public async Task ExportAsync_ExistingVisitor_LinksTheTaskToThemInTwoCalls()
    {
        _org.Add("Contact", new JsonObject
        {
            ["Id"] = TestData.ContactId, ["OwnerId"] = TestData.DefaultOwnerId, ["FirstName"] = "Ada", ["LastName"] = "Lovelace",
            ["Email"] = "ada@example.com", ["Phone"] = "+1 555", ["CreatedDate"] = "2025-01-01T00:00:00.000+0000", ["LastModifiedDate"] = "2025-01-01T00:00:00.000+0000",
        });

        var result = await Exporter().ExportAsync(TestData.Conversation(email: "ADA@example.com "));

        Calls.Should().Be(2);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", TestData.ContactId, RecordChange.Unchanged));
        result.Activity!.Change.Should().Be(RecordChange.Created);
        result.ApiCalls.Should().Be(2);
        WriteRequest.Subrequests.Single().Body!["WhoId"]!.GetValue<string>().Should().Be(TestData.ContactId);
    }

    [Fact]
    public async Task ExportAsync_ExistingVisitorWithABlankField_FillsItInTheSameWrite()
    {
        _org.Add("Contact", new JsonObject { ["Id"] = TestData.ContactId, ["OwnerId"] = TestData.DefaultOwnerId, ["FirstName"] = null, ["LastName"] = "Lovelace", ["Email"] = "ada@example.com", ["Phone"] = null });

        var result = await Exporter().ExportAsync(TestData.Conversation(phone: "+44 20 7946 0958"));

        result.Person!.Change.Should().Be(RecordChange.Updated);
        result.ApiCalls.Should().Be(2);
        var person = WriteRequest.Subrequests[0];
        person.Method.Should().Be("PATCH");
        person.Url.Should().Be($"sobjects/Contact/{TestData.ContactId}");
        person.Body!.ToJsonString().Should().Be("""{"FirstName":"Ada","Phone":"\u002B44 20 7946 0958"}""");
    }

    [Fact]
    public async Task ExportAsync_AgentWithAUser_ReadsTheUserInTheSameRequestAndOwnsTheRecords()
    {
        _org.Add("User", new JsonObject { ["Id"] = TestData.AgentUserId, ["Email"] = "grace@example.com" });

        var result = await Exporter().ExportAsync(TestData.Conversation(agent: new ChatAgent { Name = "Grace", Email = "grace@example.com" }));

        Calls.Should().Be(2);
        result.OwnerId.Should().Be(TestData.AgentUserId);
        WriteRequest.Headers.Should().Contain("Sforce-Auto-Assign", "FALSE");
        WriteRequest.Subrequests.Should().OnlyContain(s => s.Body!["OwnerId"]!.GetValue<string>() == TestData.AgentUserId);
    }

    [Fact]
    public async Task ExportAsync_WarmCache_StillTakesTwoCallsForANewVisitor()
    {
        var exporter = Exporter();
        await exporter.ExportAsync(TestData.Conversation(id: "conv-1", email: "one@example.com"));
        _client.ClearReceivedCalls();

        var result = await exporter.ExportAsync(TestData.Conversation(id: "conv-2", email: "two@example.com"));

        result.ApiCalls.Should().Be(2);
        Calls.Should().Be(2);
        await _client.Received(1).QueryAsync(Arg.Is<string>(q => q.Contains("two@example.com")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ExportAsync_PersonKeyFieldWithWarmCache_TakesOneCall()
    {
        var exporter = Exporter(o =>
        {
            o.PersonKeyField = "Chat_Visitor_Key__c";
            o.ConversationIdField = "Chat_Conversation_Id__c";
        });
        await exporter.ExportAsync(TestData.Conversation(id: "conv-1"));
        _client.ClearReceivedCalls();

        var result = await exporter.ExportAsync(TestData.Conversation(id: "conv-2", email: "o'brien+x@example.com"));

        Calls.Should().Be(1);
        result.ApiCalls.Should().Be(1);
        WriteRequest.Subrequests.Select(s => s.Url).Should().Equal(
            "sobjects/Contact/Chat_Visitor_Key__c/o%27brien%2Bx%40example.com",
            "sobjects/Task/Chat_Conversation_Id__c/conv-2");
    }

    [Fact]
    public async Task ExportAsync_UnknownMappedField_ThrowsAConfigurationError()
    {
        var exporter = Exporter(o => o.FieldMappings = [new FieldMapping { Value = "x", Target = "Contact.Missing__c" }]);

        var act = () => exporter.ExportAsync(TestData.Conversation());

        await act.Should().ThrowAsync<ExportConfigurationException>().Where(e => e.Setting == "FieldMappings[0].Target");
        _org.Composites.Should().NotContain(c => c.AllOrNone, "nothing is written");
    }

    [Fact]
    public async Task ExportAsync_SeveralMatchesWithSkipPolicy_IsSkippedAfterTheReadOnly()
    {
        _org.Add("Contact", new JsonObject { ["Id"] = TestData.ContactId, ["Email"] = "ada@example.com" });
        _org.Add("Contact", new JsonObject { ["Id"] = TestData.OtherContactId, ["Email"] = "ada@example.com" });

        var result = await Exporter(o => o.Identity.MultipleMatches = MultipleMatchPolicy.Skip).ExportAsync(TestData.Conversation());

        result.Status.Should().Be(ExportStatus.Skipped);
        result.ApiCalls.Should().Be(1);
        Calls.Should().Be(1);
    }

    [Fact]
    public async Task ExportManyAsync_OneFailingConversation_IsFailedInPlaceAndOthersExport()
    {
        // A batch writes with sObject Collections: Salesforce rejects conv-3's activity record, and only it.
        _org.RejectRecordWhen = (type, record) => type == "Task" && record.ToJsonString().Contains("conv-3", StringComparison.Ordinal)
            ? new SalesforceError("FIELD_CUSTOM_VALIDATION_EXCEPTION", "rejected", [])
            : null;
        var conversations = Enumerable.Range(1, 6).Select(i => TestData.Conversation(id: $"conv-{i}", email: $"v{i}@example.com")).ToList();

        var results = await ToListAsync(Exporter(o => o.MaxConcurrency = 3).ExportManyAsync(conversations));

        results.Select(r => r.ConversationId).Should().Equal("conv-1", "conv-2", "conv-3", "conv-4", "conv-5", "conv-6");
        results.Select(r => r.Status).Should().Equal(ExportStatus.Exported, ExportStatus.Exported, ExportStatus.Failed, ExportStatus.Exported, ExportStatus.Exported, ExportStatus.Exported);
        results[2].Error.Should().BeOfType<SalesforceApiException>().Which.ErrorCode.Should().Be("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        _org.Records["Task"].Should().HaveCount(5);
    }

    [Fact]
    public async Task ExportManyAsync_DuplicateConversationIds_ExportsOnce()
    {
        var conversations = new[] { TestData.Conversation(id: "conv-1"), TestData.Conversation(id: "conv-1"), TestData.Conversation(id: "conv-2", email: "b@example.com") };

        var results = await ToListAsync(Exporter().ExportManyAsync(conversations));

        results.Select(r => (r.ConversationId, r.Status)).Should().Equal(("conv-1", ExportStatus.Exported), ("conv-1", ExportStatus.Skipped), ("conv-2", ExportStatus.Exported));
        results[1].SkipReason.Should().Contain("exported once");
        _org.Records["Task"].Should().HaveCount(2);
    }

    [Fact]
    public async Task ExportManyAsync_ManyDuplicatesRunningConcurrently_AlwaysExportsTheFirstOccurrence()
    {
        var conversations = Enumerable.Range(0, 100).SelectMany(i => new[] { TestData.Conversation(id: $"conv-{i}", email: $"v{i}@example.com"), TestData.Conversation(id: $"conv-{i}", email: $"v{i}@example.com") }).ToList();
        var exporter = Exporter(o => o.MaxConcurrency = 25);

        // On the thread pool (as in a host) the batch's items start on whichever worker is free.
        var results = await Task.Run(() => ToListAsync(exporter.ExportManyAsync(conversations)));

        results.Where((_, index) => index % 2 == 0).Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        results.Where((_, index) => index % 2 == 1).Should().OnlyContain(r => r.Status == ExportStatus.Skipped);
    }

    [Fact]
    public async Task ExportManyAsync_AsyncStreamWithANullItem_ReportsItFailedAndReportsProgress()
    {
        var progress = new List<ExportProgress>();

        async IAsyncEnumerable<Conversation> Stream()
        {
            yield return TestData.Conversation(id: "conv-1");
            await Task.Yield();
            yield return null!;
            yield return TestData.Conversation(id: "conv-3", email: null);
        }

        var results = await ToListAsync(Exporter(o => o.OnProgress = p =>
        {
            lock (progress)
            {
                progress.Add(p);
            }
        }).ExportManyAsync(Stream()));

        results.Select(r => r.Status).Should().Equal(ExportStatus.Exported, ExportStatus.Failed, ExportStatus.Skipped);
        results[1].Error.Should().BeOfType<ArgumentNullException>();
        progress.Should().HaveCount(3);
        progress.MaxBy(p => p.Completed).Should().Be(new ExportProgress(3, 1, 1, 1));
    }

    [Fact]
    public async Task ExportManyAsync_Null_Throws()
    {
        var act = async () => await ToListAsync(Exporter().ExportManyAsync((IEnumerable<Conversation>)null!));

        await act.Should().ThrowAsync<ArgumentNullException>();
    }

    [Fact]
    public async Task ExportAsync_RecordOwnerForANewVisitor_SetsAndReportsTheNextStrategysOwner()
    {
        var exporter = Exporter(o =>
        {
            o.DefaultOwnerId = TestData.DefaultOwnerId;
            o.OwnerStrategies = [OwnerStrategy.RecordOwner, OwnerStrategy.DefaultOwner];
        });

        var result = await exporter.ExportAsync(TestData.Conversation());

        WriteRequest.Subrequests.Should().OnlyContain(s => s.Body!["OwnerId"]!.GetValue<string>() == TestData.DefaultOwnerId);
        result.OwnerId.Should().Be(TestData.DefaultOwnerId, "the SDK set the default owner on the new Contact and its Task");
    }

    [Fact]
    public async Task ExportAsync_RecordOwnerForANewVisitorWithAnInactiveDefaultOwner_FallsBackToTheConnectingUser()
    {
        _org.RejectWhen = s => s.ReferenceId == "person" && s.Body?["OwnerId"]?.GetValue<string>() == TestData.DefaultOwnerId
            ? new JsonArray(new JsonObject { ["errorCode"] = "INACTIVE_OWNER_OR_USER", ["message"] = "operation performed with inactive user" })
            : null;
        var exporter = Exporter(o =>
        {
            o.DefaultOwnerId = TestData.DefaultOwnerId;
            o.OwnerStrategies = [OwnerStrategy.RecordOwner, OwnerStrategy.DefaultOwner];
        });

        var result = await exporter.ExportAsync(TestData.Conversation());

        result.Status.Should().Be(ExportStatus.Exported);
        result.OwnerId.Should().BeNull();
        result.Warnings.Should().Contain(w => w.Contains("DefaultOwner", StringComparison.Ordinal) && w.Contains("ConnectingUser", StringComparison.Ordinal));
        WriteRequest.Subrequests.Should().OnlyContain(s => !s.Body!.AsObject().ContainsKey("OwnerId"));
    }

    [Fact]
    public async Task ExportAsync_RecordOwnerForAnExistingVisitor_KeepsTheirOwner()
    {
        _org.Add("Contact", new JsonObject { ["Id"] = TestData.ContactId, ["OwnerId"] = "005000000000099AAA", ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["Email"] = "ada@example.com", ["Phone"] = "1" });
        var exporter = Exporter(o =>
        {
            o.DefaultOwnerId = TestData.DefaultOwnerId;
            o.ProtectedFields = [];
            o.OwnerStrategies = [OwnerStrategy.RecordOwner, OwnerStrategy.DefaultOwner];
        });

        var result = await exporter.ExportAsync(TestData.Conversation());

        result.Person!.Change.Should().Be(RecordChange.Unchanged);
        WriteRequest.Subrequests.Single().Body!["OwnerId"]!.GetValue<string>().Should().Be("005000000000099AAA");
    }

    [Fact]
    public async Task ExportAsync_ConvertedLead_LinksTheTaskToItsContactAndNeverUpdatesTheLead()
    {
        _org.Add("Lead", new JsonObject
        {
            ["Id"] = TestData.LeadId, ["Email"] = "ada@example.com", ["LastName"] = "Lovelace", ["IsConverted"] = true, ["ConvertedContactId"] = TestData.ContactId,
        });
        var exporter = Exporter(o => o.Mode = ExportMode.LeadAndTask);

        // A hang here would mean a stage awaited a read nobody sends; fail instead of blocking the run.
        var result = await exporter.ExportAsync(TestData.Conversation()).WaitAsync(TimeSpan.FromSeconds(30));

        result.Person.Should().Be(new SalesforceRecordRef("Contact", TestData.ContactId, RecordChange.Unchanged));
        WriteRequest.Subrequests.Should().NotContain(s => s.Url.Contains("Lead", StringComparison.Ordinal));
        WriteRequest.Subrequests.Single().Body!["WhoId"]!.GetValue<string>().Should().Be(TestData.ContactId);
        result.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task ExportAsync_CustomStageReadingAfterTheReadRound_GetsItsReadSent()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_client);
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://acme.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "token";
        }).UseRecordResolver<ReadingRecordResolver>();
        _provider = services.BuildServiceProvider();
        _org.Add("Account", new JsonObject { ["Id"] = "001000000000001AAA", ["Name"] = "Acme" });

        var result = await _provider.GetRequiredService<IConversationExporter>().ExportAsync(TestData.Conversation()).WaitAsync(TimeSpan.FromSeconds(30));

        result.Status.Should().Be(ExportStatus.Exported);
        WriteRequest.Subrequests[0].Body!["AccountId"]!.GetValue<string>().Should().Be("001000000000001AAA");
        result.ApiCalls.Should().Be(3);
    }

    [Fact]
    public async Task ExportAsync_IdentityQueryRejectsAMappedField_ReportsTheConfigurationError()
    {
        _org.RejectWhen = s => s.Url.StartsWith("query", StringComparison.Ordinal) && s.Url.Contains("Missing__c", StringComparison.Ordinal)
            ? new JsonArray(new JsonObject { ["errorCode"] = "INVALID_FIELD", ["message"] = "No such column 'Missing__c' on entity 'Contact'." })
            : null;
        var exporter = Exporter(o => o.FieldMappings = [new FieldMapping { Value = "x", Target = "Contact.Missing__c" }]);

        var act = () => exporter.ExportAsync(TestData.Conversation());

        await act.Should().ThrowAsync<ExportConfigurationException>().Where(e => e.Setting == "FieldMappings[0].Target" && e.Message.Contains("Contact.Missing__c"));
    }

    [Fact]
    public async Task ExportAsync_Canceled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => Exporter().ExportAsync(TestData.Conversation(), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ExportAsync_RecordModeWithAKey_UpdatesTheRecordFoundOnIt()
    {
        _org.Add("Chat_Lead__c", new JsonObject { ["Id"] = "a01000000000001AAA", ["Visitor_Key__c"] = "v-1", ["Email__c"] = "ada@example.com", ["Topic__c"] = null });
        var exporter = Exporter(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.Record.KeyField = "Visitor_Key__c";
            o.FieldMappings =
            [
                new FieldMapping { Source = "custom:visitorId", Target = "Chat_Lead__c.Visitor_Key__c" },
                new FieldMapping { Source = "custom:topic", Target = "Chat_Lead__c.Topic__c" },
            ];
        });

        var result = await exporter.ExportAsync(TestData.Conversation(email: null, custom: new Dictionary<string, string?> { ["visitorId"] = "v-1", ["topic"] = "pricing" }));

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person.Should().Be(new SalesforceRecordRef("Chat_Lead__c", "a01000000000001AAA", RecordChange.Updated));
        result.Activity.Should().BeNull();
        WriteRequest.Subrequests.Single().Should().Match<SalesforceSubrequest>(s => s.Method == "PATCH" && s.Url == "sobjects/Chat_Lead__c/a01000000000001AAA");
        WriteRequest.Subrequests.Single().Body!.ToJsonString().Should().Be("""{"Topic__c":"pricing"}""");
    }

    [Fact]
    public async Task ExportAsync_RecordModeWithoutAKey_AlwaysCreates()
    {
        var exporter = Exporter(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
            o.FieldMappings = [new FieldMapping { Source = "visitor.email", Target = "Chat_Lead__c.Email__c" }];
        });

        var result = await exporter.ExportAsync(TestData.Conversation());

        result.Person!.Change.Should().Be(RecordChange.Created);
        WriteRequest.Subrequests.Single().Body!.ToJsonString().Should().Be("""{"Email__c":"ada@example.com"}""");
        result.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task ExportAsync_AgentUserRejectedAsInactive_FallsBackAndForgetsTheCachedUser()
    {
        _org.Add("User", new JsonObject { ["Id"] = TestData.AgentUserId, ["Email"] = "grace@example.com" });
        _org.RejectWhen = s => s.ReferenceId == "person" && s.Body?["OwnerId"]?.GetValue<string>() == TestData.AgentUserId
            ? new JsonArray(new JsonObject { ["errorCode"] = "INACTIVE_OWNER_OR_USER", ["message"] = "operation performed with inactive user" })
            : null;
        var exporter = Exporter(o => o.DefaultOwnerId = TestData.DefaultOwnerId);
        var agent = new ChatAgent { Email = "grace@example.com" };

        var first = await exporter.ExportAsync(TestData.Conversation(id: "conv-1", email: "one@example.com", agent: agent));
        await exporter.ExportAsync(TestData.Conversation(id: "conv-2", email: "two@example.com", agent: agent));

        first.OwnerId.Should().Be(TestData.DefaultOwnerId);
        first.Warnings.Should().Contain(w => w.Contains("AgentUser", StringComparison.Ordinal));
        _org.Queries.Count(q => q.Contains("FROM User", StringComparison.Ordinal)).Should().Be(2, "the rejected agent User is looked up again");
    }

    private sealed class ReadingRecordResolver : ChatToSalesforce.Records.IRecordResolver
    {
        public async ValueTask<ChatToSalesforce.Records.ResolvedRecord> ResolveAsync(ChatToSalesforce.Records.RecordResolutionContext context, CancellationToken cancellationToken)
        {
            var accounts = await context.Salesforce.QueryAsync("SELECT Id FROM Account WHERE Name = 'Acme'", cancellationToken);
            var fields = (JsonObject)context.Fields.For(context.PersonObject).DeepClone();
            fields["AccountId"] = accounts.Records[0]["Id"]!.GetValue<string>();
            return new ChatToSalesforce.Records.ResolvedRecord { Action = ChatToSalesforce.Records.RecordAction.Create, ObjectType = context.PersonObject, Fields = fields };
        }
    }
}
