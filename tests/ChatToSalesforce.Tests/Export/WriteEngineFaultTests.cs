using System.Net;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>
/// The resend rules and the "nothing twice" guarantees of the write engine, under faults: a unit Salesforce rolled back is
/// resent; a write whose outcome is unknown is not, and the next export looks before it creates.
/// </summary>
public sealed class WriteEngineFaultTests : IDisposable
{
    private readonly SalesforceEmulator _org = new();
    private readonly List<EmulatorExport> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        _org.Dispose();
    }

    private IConversationExporter Exporter(
        Action<SalesforceChatExportOptions>? configure = null,
        Func<ISalesforceClient, ISalesforceClient>? decorate = null,
        Func<HttpMessageHandler, HttpMessageHandler>? handler = null)
    {
        var host = EmulatorExport.Create(_org, configure, decorate: decorate, handler: handler);
        _hosts.Add(host);
        return host.Exporter;
    }

    private static async Task<ConversationExportResult> Export(IConversationExporter exporter, Conversation conversation, bool batch) =>
        batch ? (await exporter.ExportManyAsync([conversation]).ToListAsync()).Single() : await exporter.ExportAsync(conversation);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_unit_rolled_back_on_a_row_lock_is_resent_and_written_once(bool batch)
    {
        RollingBackClient? client = null;
        var exporter = Exporter(decorate: inner => client = new RollingBackClient(inner, "UNABLE_TO_LOCK_ROW", times: 2));

        var result = await Export(exporter, Conversation("lock-1", "lock@example.com"), batch);

        result.Status.Should().Be(ExportStatus.Exported);
        client!.WriteCalls.Should().Be(3, "two rolled-back attempts, then the one Salesforce applied");
        _org.Records("Contact").Should().ContainSingle().Which.Id().Should().Be(result.Person!.Id);
        _org.Records("Task").Should().ContainSingle().Which.Text("WhoId").Should().Be(result.Person.Id);
    }

    [Fact]
    public async Task A_unit_that_keeps_rolling_back_fails_with_a_transient_error_after_the_retry_budget_and_leaves_nothing()
    {
        RollingBackClient? client = null;
        var exporter = Exporter(o => o.Resilience.MaxRetryAttempts = 2, decorate: inner => client = new RollingBackClient(inner, "UNABLE_TO_LOCK_ROW", times: 100));

        var act = () => exporter.ExportAsync(Conversation("lock-2", "lock@example.com"));

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.Should().Match<SalesforceApiException>(e => e.ErrorCode == "UNABLE_TO_LOCK_ROW" && e.IsTransient);
        client!.WriteCalls.Should().Be(3);
        _org.Records("Contact").Should().BeEmpty();
        _org.Records("Task").Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_answered_503_before_processing_is_resent_and_written_once(bool batch)
    {
        _org.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite/graph", StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });
        var exporter = Exporter();

        var result = await Export(exporter, Conversation("busy-1", "busy@example.com"), batch);

        result.Status.Should().Be(ExportStatus.Exported);
        _org.Faults.Pending.Should().Be(0);
        _org.WriteRequests().Should().Be(2);
        _org.Records("Contact").Should().ContainSingle();
        _org.Records("Task").Should().ContainSingle();
    }

    public static TheoryData<string, bool> LostResponses => new()
    {
        { "gateway timeout after commit", false },
        { "gateway timeout after commit", true },
        { "connection lost after commit", false },
        { "connection lost after commit", true },
    };

    [Theory]
    [MemberData(nameof(LostResponses))]
    public async Task A_write_whose_answer_was_lost_is_not_resent_and_the_next_export_finds_what_it_wrote(string fault, bool batch)
    {
        Func<HttpMessageHandler, HttpMessageHandler>? handler = null;
        if (fault.StartsWith("gateway", StringComparison.Ordinal))
        {
            // Salesforce applies the graph; the client gets a gateway timeout instead of its answer.
            _org.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite/graph", AfterCommit = true, StatusCode = 504, ErrorCode = "GATEWAY_TIMEOUT" });
        }
        else
        {
            handler = inner => new LosingHandler(inner, r => r.RequestUri!.AbsolutePath.EndsWith("/composite/graph", StringComparison.Ordinal));
        }

        var exporter = Exporter(handler: handler);
        var conversation = Conversation("lost-1", "lost@example.com");

        ConversationExportResult first;
        if (batch)
        {
            first = (await exporter.ExportManyAsync([conversation]).ToListAsync()).Single();
        }
        else
        {
            var act = () => exporter.ExportAsync(conversation);
            var thrown = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
            first = ConversationExportResult.Failed(conversation.Id, thrown);
        }

        first.Status.Should().Be(ExportStatus.Failed);
        first.Error.Should().BeOfType<SalesforceApiException>().Which.IsTransient.Should().BeTrue("a retry later is the cure");
        _org.WriteRequests().Should().Be(1, "a write whose outcome is unknown is never resent blindly");
        _org.Records("Contact").Should().ContainSingle("Salesforce committed the write");
        _org.Records("Task").Should().ContainSingle();

        // Re-delivery, without ConversationIdField: the person is found by identity, the activity by its marker.
        _org.Faults.Clear();
        var again = await Export(Exporter(), conversation, batch);

        again.Status.Should().Be(ExportStatus.Exported);
        again.Person!.Change.Should().Be(RecordChange.Unchanged);
        again.Activity!.Change.Should().Be(RecordChange.Updated);
        _org.Records("Contact").Should().ContainSingle().Which.Id().Should().Be(again.Person.Id);
        _org.Records("Task").Should().ContainSingle().Which.Id().Should().Be(again.Activity.Id);
    }

    public static TheoryData<string> SecondGraphRequestFaults => new()
    {
        "503 before processing",
        "503 after commit",
        "500 after commit",
        "connection lost after commit",
    };

    [Theory]
    [MemberData(nameof(SecondGraphRequestFaults))]
    public async Task A_failed_later_graph_request_of_a_chunk_leaves_the_units_an_earlier_request_committed_exported(string fault)
    {
        // 12 conversations of 48 inline files each: 50 writes a unit, so one chunk takes two graph requests (500 nodes a
        // request), 10 units and 2. The first request is applied and answered; the second fails as a whole.
        var conversations = Enumerable.Range(0, 12).Select(i => BatchExportTests.WithAttachments(
            Conversation($"split-{i:D2}", $"split{i:D2}@example.com"),
            Enumerable.Range(0, 48).Select(f => new ChatAttachment { FileName = $"f{f}.txt", ContentType = "text/plain", Content = new byte[] { 1, 2, (byte)f } }).ToArray())).ToArray();
        var committed = new Dictionary<string, string>(StringComparer.Ordinal);
        var exporter = Exporter(handler: inner => new SecondGraphFaultHandler(inner, fault == "connection lost after commit", () =>
        {
            // What the first request committed (its answer arrived), before the second is sent.
            foreach (var contact in _org.Records("Contact"))
            {
                committed[contact.Text("Email")!] = contact.Id();
            }

            if (fault.StartsWith("50", StringComparison.Ordinal))
            {
                _org.Faults.Add(new FaultRule
                {
                    Method = "POST", PathContains = "/composite/graph", AfterCommit = fault.EndsWith("after commit", StringComparison.Ordinal),
                    StatusCode = fault.StartsWith("503", StringComparison.Ordinal) ? 503 : 500, ErrorCode = fault.StartsWith("503", StringComparison.Ordinal) ? "SERVER_UNAVAILABLE" : "UNKNOWN_EXCEPTION",
                });
            }
        }));

        var results = await exporter.ExportManyAsync(conversations).ToListAsync();

        committed.Should().HaveCount(10, "the first graph request carries 10 units of 50 nodes");
        _org.Faults.Pending.Should().Be(0);
        foreach (var result in results.Where(r => committed.ContainsKey(Email(r))))
        {
            result.Status.Should().Be(ExportStatus.Exported, "Salesforce committed conversation {0} in the first request ({1})", result.ConversationId, result.Error?.Message);
            result.Person!.Id.Should().Be(committed[Email(result)]);
            result.Person.Change.Should().Be(RecordChange.Created);
            _org.Find("Task", result.Activity!.Id)!.Text("WhoId").Should().Be(result.Person.Id);
            result.Files.Should().HaveCount(48);
        }

        var second = results.Where(r => !committed.ContainsKey(Email(r))).ToList();
        second.Should().HaveCount(2);
        if (fault == "503 before processing")
        {
            // Salesforce answered before processing the second request: its units (provably absent) are sent again.
            second.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
            _org.WriteRequests().Should().Be(3);
        }
        else
        {
            // The second request's outcome is unknown (it was committed): its units are not resent, they fail as retry-later.
            second.Should().OnlyContain(r => r.Status == ExportStatus.Failed && r.FailureKind == ExportFailureKind.RetryLater);
            second.Select(r => r.Error).Should().AllSatisfy(e => e.Should().BeOfType<SalesforceApiException>().Which.IsTransient.Should().BeTrue());
            _org.WriteRequests().Should().Be(2, "a write whose outcome is unknown is never resent blindly");
        }

        _org.Records("Contact").Should().HaveCount(12, "one person a conversation");
        _org.Records("Task").Should().HaveCount(12, "one activity a conversation");
        _org.Records("ContentVersion").Should().HaveCount(12 * 48);

        // The next export finds what every request wrote, the lost one's too.
        var again = await Exporter().ExportManyAsync(conversations).ToListAsync();
        again.Should().OnlyContain(r => r.Status == ExportStatus.Exported && r.Person!.Change == RecordChange.Unchanged && r.Activity!.Change == RecordChange.Updated);
        _org.Records("Contact").Should().HaveCount(12);
        _org.Records("Task").Should().HaveCount(12);
        _org.Records("ContentVersion").Should().HaveCount(12 * 48);

        string Email(ConversationExportResult r) => conversations.Single(c => c.Id == r.ConversationId).Visitor!.Email!;
    }

    [Fact]
    public async Task Concurrent_exports_of_one_new_visitor_that_all_read_before_any_writes_create_one_contact()
    {
        const int Exports = 3;
        var exporter = Exporter(o => o.MaxConcurrency = Exports + 1, handler: inner => new BarrierHandler(inner, Exports, IsRead));

        var results = await Task.WhenAll(Enumerable.Range(0, Exports).Select(i => Task.Run(() => exporter.ExportAsync(Conversation($"visit-{i}", "same.visitor@example.com")))));

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        var contact = _org.Records("Contact").Should().ContainSingle().Subject.Id();
        results.Should().OnlyContain(r => r.Person!.Id == contact);
        results.Count(r => r.Person!.Change == RecordChange.Created).Should().Be(1);
        _org.Records("Task").Should().HaveCount(Exports).And.OnlyContain(t => t.Text("WhoId") == contact);
    }

    [Fact]
    public async Task An_export_that_read_before_another_created_the_same_new_visitor_links_to_that_contact()
    {
        // visit-b reads (no contact yet); while its answer is in flight, visit-a is exported completely; then visit-b goes on.
        var holding = (HoldingHandler?)null;
        var exporter = Exporter(handler: inner => holding = new HoldingHandler(inner, (r, body) => IsRead(r) && body.Contains("visit-b", StringComparison.Ordinal)));
        await exporter.ExportAsync(Conversation("warm-up", "someone.else@example.com"));

        var b = Task.Run(() => exporter.ExportAsync(Conversation("visit-b", "same.visitor@example.com")));
        await holding!.Arrived.WaitAsync(TimeSpan.FromSeconds(60));
        var a = await exporter.ExportAsync(Conversation("visit-a", "same.visitor@example.com"));
        holding.Release();
        var second = await b;

        a.Person!.Change.Should().Be(RecordChange.Created);
        second.Status.Should().Be(ExportStatus.Exported);
        _org.Records("Contact").Where(c => c.Text("Email") == "same.visitor@example.com").Should().ContainSingle("two exports of one new visitor in one process make one person");
        second.Person!.Id.Should().Be(a.Person.Id);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task An_interrupted_file_upload_fails_naming_the_attachment_and_the_next_export_adds_only_the_missing_file(bool batch, bool conversationIdField)
    {
        var big = new byte[600 * 1024];
        big.AsSpan().Fill(7);
        var conversation = BatchExportTests.WithAttachments(
            Conversation("files-1", "files@example.com"),
            new ChatAttachment { FileName = "notes.txt", ContentType = "text/plain", Content = "hello"u8.ToArray() },
            new ChatAttachment { FileName = "recording.bin", ContentType = "application/octet-stream", Content = big });
        _org.Faults.Add(new FaultRule { Method = "POST", PathContains = "sobjects/ContentVersion", StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE", Times = 10 });
        if (conversationIdField)
        {
            SingleExportTests.DefineKeys(_org);
        }

        var exporter = Exporter(o => o.ConversationIdField = conversationIdField ? "Chat_Conversation_Id__c" : null);

        ConversationExportResult first;
        if (batch)
        {
            first = (await exporter.ExportManyAsync([conversation]).ToListAsync()).Single();
        }
        else
        {
            var act = () => exporter.ExportAsync(conversation);
            first = ConversationExportResult.Failed(conversation.Id, (await act.Should().ThrowAsync<ChatToSalesforceException>()).Which);
        }

        first.Status.Should().Be(ExportStatus.Failed);
        first.Error!.Message.Should().Contain("Attachment 2");
        first.Error.Should().BeAssignableTo<ChatToSalesforceException>("an upload failure is reported in the SDK's terms");
        var task = _org.Records("Task").Should().ContainSingle().Subject.Id();
        _org.FilesOf(task).Select(f => f.Text("PathOnClient")).Should().Equal("notes.txt");

        _org.Faults.Clear();
        var again = await Export(exporter, conversation, batch);

        again.Status.Should().Be(ExportStatus.Exported);
        again.Activity!.Id.Should().Be(task);
        _org.Records("Task").Should().ContainSingle();
        _org.FilesOf(task).Select(f => f.Text("PathOnClient")).Should().BeEquivalentTo("notes.txt", "recording.bin");
        _org.Records("ContentVersion").Should().HaveCount(2, "the file written before is not written twice");
        again.Files.Should().OnlyContain(f => _org.Find("ContentVersion", f.Id) != null);
    }

    internal static bool IsRead(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/composite", StringComparison.Ordinal);

    /// <summary>Answers the first <c>times</c> write calls as Salesforce does when a unit rolled back on a transient error; writes nothing.</summary>
    private sealed class RollingBackClient(ISalesforceClient inner, string errorCode, int times) : ClientDecorator(inner)
    {
        private int _calls;

        public int WriteCalls => Volatile.Read(ref _calls);

        public override Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) > times)
            {
                return Inner.WriteAsync(units, cancellationToken);
            }

            var results = units.Select(u => new SalesforceWriteResult(false, u.Operations.Select((op, i) => i == 0
                ? new SalesforceOperationResult(op.Name, false, null, false, [new SalesforceError(errorCode, "unable to obtain exclusive access to this record", [])])
                : new SalesforceOperationResult(op.Name, false, null, false, [new SalesforceError("PROCESSING_HALTED", "Processing halted.", [])], Halted: true)).ToList())).ToList();
            return Task.FromResult(new SalesforceWriteBatchResult(results, 1));
        }
    }

    /// <summary>Runs <c>afterFirst</c> once the first composite graph request is answered; drops the connection of the second after the org applied it, if asked.</summary>
    private sealed class SecondGraphFaultHandler(HttpMessageHandler inner, bool loseSecond, Action afterFirst) : DelegatingHandler(inner)
    {
        private int _graphs;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var graph = request.RequestUri!.AbsolutePath.EndsWith("/composite/graph", StringComparison.Ordinal) ? Interlocked.Increment(ref _graphs) : 0;
            var response = await base.SendAsync(request, cancellationToken);
            if (graph == 1)
            {
                afterFirst();
            }
            else if (graph == 2 && loseSecond)
            {
                response.Dispose();
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            }

            return response;
        }
    }

    /// <summary>Lets the org apply the first selected request, then drops the connection before the answer arrives.</summary>
    private sealed class LosingHandler(HttpMessageHandler inner, Func<HttpRequestMessage, bool> select) : DelegatingHandler(inner)
    {
        private int _lost;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (select(request) && Interlocked.Exchange(ref _lost, 1) == 0)
            {
                response.Dispose();
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            }

            return response;
        }
    }
}
