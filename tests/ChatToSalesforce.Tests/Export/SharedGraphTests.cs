using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Testing;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>
/// A chunk of more than 75 conversations is written in one graph request, several conversations sharing a graph: each
/// conversation stays all or nothing, and the conversations rolled back because another one of their graph failed are
/// sent again at once.
/// </summary>
public sealed class SharedGraphTests : IDisposable
{
    private readonly SalesforceEmulator _org = new();

    public void Dispose() => _org.Dispose();

    [Fact]
    public async Task A_chunk_of_200_new_visitors_costs_one_read_and_one_graph_request()
    {
        using var host = EmulatorExport.Create(_org);
        var conversations = Enumerable.Range(0, 200).Select(i => Conversation($"g{i:D3}", $"g{i:D3}@example.com")).ToArray();

        var results = await host.Exporter.ExportManyAsync(conversations).ToListAsync();

        results.Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.ApiCallsUsed.Should().Be(2, "one read request and one graph request of 75 graphs, most carrying 3 conversations");
        var graph = _org.RequestLog.Single(r => r.Path.EndsWith("/composite/graph", StringComparison.Ordinal));
        graph.Subrequests.Should().HaveCount(400);
        _org.Records("Contact").Should().HaveCount(200);
        var tasks = _org.Records("Task");
        tasks.Should().HaveCount(200);
        foreach (var result in results)
        {
            // Each conversation's activity is linked to its own person, although persons were created side by side in one graph.
            tasks.Single(t => t.Text("Id") == result.Activity!.Id).Text("WhoId").Should().Be(result.Person!.Id);
        }
    }

    [Fact]
    public async Task A_rejected_conversation_rolls_back_only_its_graph_and_the_others_of_that_graph_are_sent_again()
    {
        _org.AddValidationRule("Contact", new EmulatorValidationRule { Name = "NoTest", Message = "Test visitors are not allowed", Field = "LastName", Pattern = "^(?!Test$).*" });
        using var host = EmulatorExport.Create(_org);
        var conversations = Enumerable.Range(0, 200)
            .Select(i => Conversation($"r{i:D3}", $"r{i:D3}@example.com", lastName: i == 100 ? "Test" : "Visitor"))
            .ToArray();

        var results = await host.Exporter.ExportManyAsync(conversations).ToListAsync();

        var rejected = results.Single(r => r.Status != ExportStatus.Exported);
        rejected.ConversationId.Should().Be("r100");
        rejected.FailureKind.Should().Be(ExportFailureKind.RejectedData);
        rejected.Error!.Message.Should().Contain("FIELD_CUSTOM_VALIDATION_EXCEPTION");
        results.Where(r => r.ConversationId != "r100").Should().OnlyContain(r => r.Status == ExportStatus.Exported);
        _org.Records("Contact").Should().HaveCount(199);
        _org.Records("Task").Should().HaveCount(199);

        // The first graph request rolled back r100's graph (three conversations); the second sends its two innocent
        // neighbours, each in a graph of its own.
        var graphs = _org.RequestLog.Where(r => r.Path.EndsWith("/composite/graph", StringComparison.Ordinal)).ToList();
        graphs.Should().HaveCount(2);
        graphs[1].Subrequests.Should().HaveCount(4);
        _org.ApiCallsUsed.Should().Be(3);
    }

    [Fact]
    public void Up_to_75_units_travel_one_per_graph_with_their_own_operation_names()
    {
        var units = Units(75, operations: 2);

        var requests = TypedOperationsWire.PlanWrites(units);

        requests.Should().ContainSingle();
        requests[0].Should().HaveCount(75).And.OnlyContain(g => g.Length == 1);
        Body(units, requests[0]).Should().Contain("\"referenceId\":\"person\"").And.Contain("@{person.id}").And.NotContain("u0_");
    }

    [Fact]
    public void More_than_75_units_share_graphs_as_evenly_as_the_75_graphs_allow_and_keep_their_references_apart()
    {
        var units = Units(200, operations: 2);

        var requests = TypedOperationsWire.PlanWrites(units);

        requests.Should().ContainSingle();
        var graphs = requests[0];
        graphs.Should().HaveCount(75);
        graphs.Select(g => g.Length).Should().OnlyContain(n => n == 2 || n == 3);
        graphs.SelectMany(g => g).Should().Equal(Enumerable.Range(0, 200), "units keep their order");
        var body = Body(units, graphs);
        body.Should().Contain("\"referenceId\":\"u0_person\"").And.Contain("@{u0_person.id}").And.Contain("@{u199_person.id}");
    }

    [Fact]
    public void A_request_carries_at_most_500_nodes_and_15_different_nodes()
    {
        var large = TypedOperationsWire.PlanWrites(Units(300, operations: 2));
        large.Select(r => r.Sum(g => g.Length * 2)).Should().Equal(500, 100);
        large.Should().OnlyContain(r => r.Count <= 75);

        // 16 objects, one create each: the sixteenth starts a second request.
        var mixed = Enumerable.Range(0, 16).Select(i => Unit(Create("op", $"Object{i}__c"))).ToList();
        TypedOperationsWire.PlanWrites(mixed).Select(r => r.Count).Should().Equal(15, 1);
    }

    [Fact]
    public void Results_are_read_back_per_unit_from_a_shared_graph_that_failed()
    {
        var units = Units(76, operations: 2);
        var graphs = TypedOperationsWire.PlanWrites(units)[0];
        var shared = graphs.Single(g => g.Length == 2);
        var (guilty, innocent) = (shared[0], shared[1]);
        var response = System.Text.Encoding.UTF8.GetBytes("""
            {"graphs":[{"graphId":"gGUILTY","isSuccessful":false,"graphResponse":{"compositeResponse":[
              {"referenceId":"uGUILTY_person","httpStatusCode":400,"body":[{"errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"No","fields":[]}]},
              {"referenceId":"uGUILTY_activity","httpStatusCode":400,"body":[{"errorCode":"PROCESSING_HALTED","message":"The transaction was rolled back since another operation in the same transaction failed."}]},
              {"referenceId":"uINNOCENT_person","httpStatusCode":400,"body":[{"errorCode":"PROCESSING_HALTED","message":"The transaction was rolled back since another operation in the same transaction failed."}]},
              {"referenceId":"uINNOCENT_activity","httpStatusCode":400,"body":[{"errorCode":"PROCESSING_HALTED","message":"The transaction was rolled back since another operation in the same transaction failed."}]}]}}]}
            """.Replace("GUILTY", guilty.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("INNOCENT", innocent.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        var results = TypedOperationsWire.ReadGraphs(response, units, [shared], 200);

        results[0].Success.Should().BeFalse();
        results[0].Failure!.Name.Should().Be("person");
        results[0].NotProcessed.Should().BeFalse();
        results[1].Success.Should().BeFalse();
        results[1].NotProcessed.Should().BeTrue("the unit was rolled back because of its neighbour: sending it again is safe");
    }

    [Fact]
    public void A_graph_answer_is_read_in_any_property_order_with_ids_and_upsert_outcomes()
    {
        var units = new List<SalesforceWriteUnit>
        {
            Unit(Create("person", "Contact"), Create("activity", "Task")),
            Unit(new SalesforceWriteOperation { Name = "activity", Kind = SalesforceWriteKind.Upsert, ObjectType = "Task", ExternalIdField = "Chat_Id__c", ExternalIdValue = "c1", Fields = [] }),
            Unit(new SalesforceWriteOperation { Name = "person", Kind = SalesforceWriteKind.Update, ObjectType = "Contact", Id = "003000000000009AAA", Fields = [] }),
        };
        List<int[]> graphs = [[0], [1], [2]];
        var answer = System.Text.Encoding.UTF8.GetBytes("""
            {"graphs":[
              {"isSuccessful":true,"graphResponse":{"compositeResponse":[
                {"httpHeaders":{"Location":"/services/data/v62.0/sobjects/Task/00T000000000001AAA"},"body":{"errors":[],"success":true,"id":"00T000000000001AAA"},"referenceId":"activity","httpStatusCode":201},
                {"referenceId":"person","httpStatusCode":201,"body":{"id":"003000000000001AAA","success":true,"errors":[],"extra":{"nested":[1,{"id":"not this one"}]}}}]},"graphId":"g0"},
              {"graphId":"g1","graphResponse":{"compositeResponse":[{"body":{"id":"00T000000000002AAA","success":true,"errors":[],"created":false},"httpHeaders":{},"httpStatusCode":200,"referenceId":"activity"}]},"isSuccessful":true},
              {"graphId":"g2","graphResponse":{"compositeResponse":[{"body":null,"httpHeaders":{},"httpStatusCode":204,"referenceId":"person"}]},"isSuccessful":true},
              {"graphId":"ignored","isSuccessful":true,"graphResponse":{"compositeResponse":[]},"unknown":[{"a":"b"}]}
            ],"another":"property"}
            """);

        var results = TypedOperationsWire.ReadGraphs(answer, units, graphs, 200);

        results.Should().HaveCount(3).And.OnlyContain(r => r.Success);
        results[0].Operations.Select(o => (o.Name, o.Id, o.Created)).Should().Equal(("person", "003000000000001AAA", true), ("activity", "00T000000000001AAA", true));
        results[1].Operations[0].Should().Match<SalesforceOperationResult>(o => o.Id == "00T000000000002AAA" && !o.Created, "an upsert answering 200 and created false updated the record");
        results[2].Operations[0].Id.Should().Be("003000000000009AAA", "an update answers 204 without a body: the record is the one it named");
    }

    [Fact]
    public void A_graph_the_answer_omits_is_not_processed_and_an_answer_without_graphs_is_unexpected()
    {
        var units = Units(2, operations: 1);
        List<int[]> graphs = [[0], [1]];
        var answer = System.Text.Encoding.UTF8.GetBytes("""{"graphs":[{"graphId":"g0","isSuccessful":true,"graphResponse":{"compositeResponse":[{"referenceId":"person","httpStatusCode":201,"body":{"id":"003000000000001AAA","success":true,"errors":[]}}]}}]}""");

        var results = TypedOperationsWire.ReadGraphs(answer, units, graphs, 200);

        results[0].Success.Should().BeTrue();
        results[1].Success.Should().BeFalse();
        results[1].NotProcessed.Should().BeTrue("Salesforce did not answer for that graph, so it did not commit it");

        foreach (var body in new[] { "<html>Bad gateway</html>", """{"compositeResponse":[]}""", string.Empty, """{"graphs":[{"graphId":"g0" """ })
        {
            var read = () => TypedOperationsWire.ReadGraphs(System.Text.Encoding.UTF8.GetBytes(body), units, graphs, 200);
            read.Should().Throw<SalesforceApiException>().Which.ErrorCode.Should().Be("UNEXPECTED_RESPONSE");
        }
    }

    private static List<SalesforceWriteUnit> Units(int count, int operations) =>
        Enumerable.Range(0, count).Select(_ => Unit(operations == 1
            ? [Create("person", "Contact")]
            : [Create("person", "Contact"), Create("activity", "Task") with { References = new Dictionary<string, string> { ["WhoId"] = "person" } }])).ToList();

    private static SalesforceWriteUnit Unit(params SalesforceWriteOperation[] operations)
    {
        var unit = new SalesforceWriteUnit();
        foreach (var operation in operations)
        {
            unit.Operations.Add(operation);
        }

        return unit;
    }

    private static SalesforceWriteOperation Create(string name, string objectType) => new()
    {
        Name = name,
        Kind = SalesforceWriteKind.Create,
        ObjectType = objectType,
        Fields = new SalesforceFieldValues { ["LastName"] = "Visitor" },
    };

    private static string Body(IReadOnlyList<SalesforceWriteUnit> units, List<int[]> graphs)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            TypedOperationsWire.WriteGraphs(writer, units, graphs, path => "/services/data/v62.0/" + path);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
