using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Composite graph limits (REST API Developer Guide, "Composite Graph Limits"; API-FACTS 4.5).</summary>
public sealed class GraphLimitTests
{
    private static JsonObject Node(string refId, string lastName, string version = "v62.0", JsonObject? extra = null)
    {
        var body = new JsonObject { ["LastName"] = lastName };
        foreach (var (k, v) in extra ?? [])
        {
            body[k] = v?.DeepClone();
        }

        return new JsonObject { ["method"] = "POST", ["url"] = $"/services/data/{version}/sobjects/Contact", ["referenceId"] = refId, ["body"] = body };
    }

    private static JsonObject Graph(string id, params JsonObject[] nodes) => new() { ["graphId"] = id, ["compositeRequest"] = new JsonArray(nodes) };

    private static JsonObject Payload(IEnumerable<JsonObject> graphs) => new() { ["graphs"] = new JsonArray(graphs.ToArray<JsonNode>()) };

    [Fact]
    public async Task More_than_75_graphs_or_500_nodes_are_refused_whole()
    {
        using var org = new Org();
        var tooMany = await org.Post("/services/data/v62.0/composite/graph", Payload(Enumerable.Range(0, 76).Select(i => Graph($"g{i}", Node("c", "x")))));
        tooMany.Status.Should().Be(400);
        tooMany.ErrorCode.Should().Be("INVALID_INPUT");

        var nodes = Enumerable.Range(0, 501).Select(i => Node($"c{i}", "x")).ToArray();
        var tooBig = await org.Post("/services/data/v62.0/composite/graph", Payload([Graph("g1", nodes[..250]), Graph("g2", nodes[250..])]));
        tooBig.Status.Should().Be(400);
        org.Emulator.Records("Contact").Should().BeEmpty();
    }

    [Fact]
    public async Task After_14_failed_graphs_the_remaining_graphs_are_halted()
    {
        using var org = new Org();
        var graphs = Enumerable.Range(0, 16).Select(i => Graph($"bad{i}", Node("c", string.Empty))).ToList(); // LastName missing: each graph fails
        graphs.Insert(3, Graph("good1", Node("c", "Early")));
        graphs.Add(Graph("good2", Node("c", "Late")));

        var reply = await org.Post("/services/data/v62.0/composite/graph", Payload(graphs));

        reply.Status.Should().Be(200);
        var results = reply.Json!["graphs"]!.AsArray();
        results.Should().HaveCount(18);
        ((bool)results[3]!["isSuccessful"]!).Should().BeTrue();
        var processed = results.Take(16).ToList(); // 15 failures (one past the limit of 14) and the good graph
        processed.Where(g => g!["graphId"]!.ToString() != "good1").Should().OnlyContain(g => (string)g!["graphResponse"]!["compositeResponse"]![0]!["body"]![0]!["errorCode"]! == "REQUIRED_FIELD_MISSING");
        foreach (var halted in results.Skip(16))
        {
            ((bool)halted!["isSuccessful"]!).Should().BeFalse();
            ((string)halted["graphResponse"]!["compositeResponse"]![0]!["body"]![0]!["errorCode"]!).Should().Be("PROCESSING_HALTED");
        }

        org.Emulator.Records("Contact").Select(c => (string)c["LastName"]!).Should().Equal("Early");
    }

    [Fact]
    public async Task A_graph_deeper_than_15_references_is_refused()
    {
        using var org = new Org();
        var account = org.Emulator.Insert("Account", new { Name = "Root" });
        JsonObject[] Chain(int length) => Enumerable.Range(0, length).Select(i => i == 0
            ? Node("n0", "x", extra: new JsonObject { ["AccountId"] = account })
            : Node($"n{i}", "x", extra: new JsonObject { ["Description"] = $"@{{n{i - 1}.id}}" })).ToArray();

        (await org.Post("/services/data/v62.0/composite/graph", Payload([Graph("ok", Chain(15))]))).Json!["graphs"]![0]!["isSuccessful"]!.GetValue<bool>().Should().BeTrue();
        var deep = await org.Post("/services/data/v62.0/composite/graph", Payload([Graph("deep", Chain(16))]));
        deep.Status.Should().Be(400);
        deep.ErrorCode.Should().Be("INVALID_INPUT");
        deep.Message.Should().Contain("deeper than the maximum of 15");
    }

    [Fact]
    public async Task More_than_15_different_nodes_in_one_payload_are_refused()
    {
        using var org = new Org();
        var nodes = Enumerable.Range(0, 16).Select(i => Node($"c{i}", "x", version: $"v{50 + i}.0")).ToArray();
        var reply = await org.Post("/services/data/v62.0/composite/graph", Payload([Graph("g", nodes)]));
        reply.Status.Should().Be(400);
        reply.Message.Should().Contain("maximum is 15");

        var same = Enumerable.Range(0, 40).Select(i => Node($"c{i}", "x")).ToArray();
        (await org.Post("/services/data/v62.0/composite/graph", Payload([Graph("g", same)]))).Status.Should().Be(200);
        org.Emulator.Records("Contact").Should().HaveCount(40);
    }

    [Fact]
    public async Task A_graph_node_that_is_not_an_object_is_a_parser_error()
    {
        // Regression: reading the graph ahead of the org's lock threw a raw InvalidOperationException out of the emulator.
        using var org = new Org();
        var payload = new JsonObject { ["graphs"] = new JsonArray { new JsonObject { ["graphId"] = "g1", ["compositeRequest"] = new JsonArray { 1 } } } };

        var reply = await org.Post("/services/data/v62.0/composite/graph", payload);

        reply.Status.Should().Be(400);
        reply.ErrorCode.Should().Be("JSON_PARSER_ERROR");
        org.Emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task A_graph_node_read_from_the_request_gives_the_same_answer_as_a_composite_subrequest()
    {
        // The graph's nodes are read from the parsed request without JSON nodes of their own: a null body, a number as
        // reference id, headers, and the substitution of a reference behave as when read through JSON nodes.
        // Regression: a node refused in a later graph (its reference id) answered 400 after the earlier graphs were saved.
        using var org = new Org();
        var account = org.Emulator.Insert("Account", new { Name = "Root" });
        var payload = JsonNode.Parse($$$"""
            {"graphs":[
              {"graphId":"ok","compositeRequest":[
                {"method":"POST","url":"/services/data/v62.0/sobjects/Contact","referenceId":"c1","body":{"LastName":"One","AccountId":"{{{account}}}"},"httpHeaders":{"Sforce-Auto-Assign":"FALSE"}},
                {"method":"PATCH","url":"/services/data/v62.0/sobjects/Contact/@{c1.id}","referenceId":"c2","body":{"FirstName":"Uno"}}]},
              {"graphId":"nullbody","compositeRequest":[{"method":"POST","url":"/services/data/v62.0/sobjects/Contact","referenceId":"c1","body":null}]},
              {"graphId":"badref","compositeRequest":[{"method":"POST","url":"/services/data/v62.0/sobjects/Contact","referenceId":12,"body":{"LastName":"Two"}}]}
            ]}
            """)!.AsObject();

        var reply = await org.Post("/services/data/v62.0/composite/graph", payload);

        reply.Status.Should().Be(400, "a reference id that is not text is refused");
        reply.Message.Should().Contain("Invalid reference id: 12");
        org.Emulator.Records("Contact").Should().BeEmpty("every graph is checked before any runs");

        payload["graphs"]!.AsArray().RemoveAt(2);
        reply = await org.Post("/services/data/v62.0/composite/graph", payload);
        reply.Status.Should().Be(200);
        var graphs = reply.Json!["graphs"]!.AsArray();
        ((bool)graphs[0]!["isSuccessful"]!).Should().BeTrue();
        graphs[0]!["graphResponse"]!["compositeResponse"]![0]!["httpHeaders"]!["Location"]!.GetValue<string>().Should().StartWith("/services/data/v62.0/sobjects/Contact/003");
        graphs[0]!["graphResponse"]!["compositeResponse"]![1]!["httpStatusCode"]!.GetValue<int>().Should().Be(204);
        ((bool)graphs[1]!["isSuccessful"]!).Should().BeFalse("a null body is a body the save refuses");
        var contact = org.Emulator.Records("Contact").Single();
        ((string)contact["FirstName"]!).Should().Be("Uno");
        org.Emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task A_graph_node_with_a_property_twice_is_a_parser_error()
    {
        // Regression: a property named twice in a graph node threw a raw ArgumentException out of the emulator.
        using var org = new Org();
        var body = """{"graphs":[{"graphId":"g","compositeRequest":[{"method":"POST","method":"POST","url":"/services/data/v62.0/sobjects/Contact","referenceId":"c","body":{"LastName":"x"}}]}]}""";

        var reply = await org.Post("/services/data/v62.0/composite/graph", body);

        reply.Status.Should().Be(400);
        reply.ErrorCode.Should().Be("JSON_PARSER_ERROR");
        reply.Message.Should().Contain("Duplicate field");
        org.Emulator.UnexpectedErrors.Should().Be(0);
    }
}
