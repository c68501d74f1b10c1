using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>Smoke tests: the exporter, resolved from DI, over the default transport and a stub Salesforce.</summary>
public sealed class ExporterOverTransportTests
{
    [Fact]
    public async Task ExportAsync_NewVisitor_AuthenticatesOnceAndWritesThroughComposites()
    {
        var stub = new StubSalesforce();
        await using var provider = Build(stub);
        var exporter = provider.GetRequiredService<IConversationExporter>();

        var result = await exporter.ExportAsync(Conversation("c-1"));

        result.Status.Should().Be(ExportStatus.Exported, result.Error?.ToString());
        result.Person.Should().NotBeNull();
        result.Activity.Should().NotBeNull();
        stub.Handler.TokenRequests.Should().HaveCount(1);
        stub.Handler.ApiRequests.Should().OnlyContain(r => r.Header("Sforce-Call-Options")!.StartsWith("client=ChatToSalesforce/", StringComparison.Ordinal));
        stub.Handler.ApiRequests.Should().OnlyContain(r => r.Uri.AbsolutePath.StartsWith("/services/data/v62.0/", StringComparison.Ordinal));
        result.ApiCalls.Should().Be(stub.Handler.ApiRequests.Count);
        provider.GetRequiredService<ISalesforceApiUsage>().Current!.Used.Should().Be(stub.Handler.ApiRequests.Count);
    }

    [Fact]
    public async Task ExportAsync_SessionExpiredOnWrite_ReauthenticatesAndReplaysOnce()
    {
        var stub = new StubSalesforce();
        await using var provider = Build(stub);
        var exporter = provider.GetRequiredService<IConversationExporter>();
        stub.ExpireTokenOnNextWrite = true;

        var result = await exporter.ExportAsync(Conversation("c-2"));

        result.Status.Should().Be(ExportStatus.Exported, result.Error?.ToString());
        stub.Handler.TokenRequests.Should().HaveCount(2);
        stub.Writes.Should().Be(1, "the rejected write was not processed; the replay is the only write");
    }

    [Fact]
    public async Task ExportAsync_DailyLimitExhausted_FailsFastAfterOneCall()
    {
        var stub = new StubSalesforce { Exhausted = true };
        await using var provider = Build(stub);
        var exporter = provider.GetRequiredService<IConversationExporter>();

        var first = await FluentActions.Awaiting(() => exporter.ExportAsync(Conversation("c-3"))).Should().ThrowAsync<ChatToSalesforceException>();
        var second = await FluentActions.Awaiting(() => exporter.ExportAsync(Conversation("c-4"))).Should().ThrowAsync<ChatToSalesforceException>();

        (first.Which as SalesforceApiException ?? first.Which.InnerException as SalesforceApiException)?.ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        (second.Which is SalesforceApiBudgetExceededException || second.Which.InnerException is SalesforceApiBudgetExceededException).Should().BeTrue(second.Which.ToString());
        stub.Handler.ApiRequests.Should().HaveCount(1);
    }

    private static ServiceProvider Build(StubSalesforce stub)
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri(TransportHarness.Instance);
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "id";
            o.Authentication.ClientSecret = "secret";
            o.Resilience.BaseDelay = TimeSpan.Zero;
            o.Resilience.MaxDelay = TimeSpan.Zero;
        }).HttpClient.ConfigurePrimaryHttpMessageHandler(() => stub.Handler);
        return services.BuildServiceProvider();
    }

    private static Conversation Conversation(string id) => new()
    {
        Id = id,
        Channel = "web",
        StartedAt = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
        EndedAt = new DateTimeOffset(2026, 11, 21, 10, 5, 0, TimeSpan.Zero),
        Visitor = new ChatVisitor { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com" },
        Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello", SentAt = new DateTimeOffset(2026, 11, 21, 10, 1, 0, TimeSpan.Zero) }],
    };

    /// <summary>Answers composites subrequest by subrequest: empty queries, fixture describes, successful writes.</summary>
    private sealed class StubSalesforce
    {
        private int _ids;
        private int _tokens;
        private int _writes;
        private int _calls;

        public StubSalesforce() => Handler = new StubHttpHandler((r, _) => Task.FromResult(Respond(r)));

        public StubHttpHandler Handler { get; }

        public bool ExpireTokenOnNextWrite { get; set; }

        public bool Exhausted { get; set; }

        public int Writes => _writes;

        private HttpResponseMessage Respond(RecordedRequest r)
        {
            if (r.IsToken)
            {
                return StubHttpHandler.Json(200, TransportHarness.TokenBody($"tok-{Interlocked.Increment(ref _tokens)}"));
            }

            var usage = ("Sforce-Limit-Info", $"api-usage={Interlocked.Increment(ref _calls)}/15000");
            if (Exhausted)
            {
                return Fixtures.Response(Fixtures.Load("36"));
            }

            if (r.Uri.AbsolutePath.EndsWith("/composite/graph", StringComparison.Ordinal))
            {
                return Graph(r, usage);
            }

            if (!r.Uri.AbsolutePath.EndsWith("/composite", StringComparison.Ordinal))
            {
                return StubHttpHandler.Json(200, """{"totalSize":0,"done":true,"records":[]}""", usage);
            }

            var subs = JsonNode.Parse(r.Body!)!["compositeRequest"]!.AsArray();
            var isWrite = subs.Any(s => s!["method"]!.GetValue<string>() != "GET");
            if (isWrite && ExpireTokenOnNextWrite)
            {
                ExpireTokenOnNextWrite = false;
                return StubHttpHandler.Json(401, """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""");
            }

            if (isWrite)
            {
                Interlocked.Increment(ref _writes);
            }

            var responses = new JsonArray();
            foreach (var sub in subs)
            {
                var method = sub!["method"]!.GetValue<string>();
                var url = sub["url"]!.GetValue<string>();
                JsonNode? body;
                var status = 200;
                if (method == "GET" && url.EndsWith("/describe", StringComparison.Ordinal))
                {
                    var name = url.Split('/')[^2];
                    body = Describe(name);
                }
                else if (method == "GET")
                {
                    body = JsonNode.Parse("""{"totalSize":0,"done":true,"records":[]}""");
                }
                else
                {
                    status = 201;
                    body = new JsonObject { ["id"] = $"00Xxx{Interlocked.Increment(ref _ids):D10}", ["success"] = true, ["errors"] = new JsonArray(), ["created"] = true };
                }

                responses.Add(new JsonObject { ["body"] = body, ["httpHeaders"] = new JsonObject(), ["httpStatusCode"] = status, ["referenceId"] = sub["referenceId"]!.GetValue<string>() });
            }

            return StubHttpHandler.Json(200, new JsonObject { ["compositeResponse"] = responses }, usage);
        }

        /// <summary>Answers a graph write: every graph succeeds, every node gets a new id.</summary>
        private HttpResponseMessage Graph(RecordedRequest r, (string, string) usage)
        {
            if (ExpireTokenOnNextWrite)
            {
                ExpireTokenOnNextWrite = false;
                return StubHttpHandler.Json(401, """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""");
            }

            Interlocked.Increment(ref _writes);
            var graphs = new JsonArray();
            foreach (var graph in JsonNode.Parse(r.Body!)!["graphs"]!.AsArray())
            {
                var nodes = new JsonArray();
                foreach (var node in graph!["compositeRequest"]!.AsArray())
                {
                    nodes.Add(new JsonObject
                    {
                        ["body"] = new JsonObject { ["id"] = $"00Xxx{Interlocked.Increment(ref _ids):D10}", ["success"] = true, ["errors"] = new JsonArray(), ["created"] = true },
                        ["httpHeaders"] = new JsonObject(),
                        ["httpStatusCode"] = 201,
                        ["referenceId"] = node!["referenceId"]!.GetValue<string>(),
                    });
                }

                graphs.Add(new JsonObject { ["graphId"] = graph["graphId"]!.GetValue<string>(), ["graphResponse"] = new JsonObject { ["compositeResponse"] = nodes }, ["isSuccessful"] = true });
            }

            return StubHttpHandler.Json(200, new JsonObject { ["graphs"] = graphs }, usage);
        }

        private static JsonNode Describe(string name)
        {
            var fixture = name switch
            {
                "Contact" => "69",
                "Lead" => "70",
                "Case" => "71",
                _ => "72", // Event; also stands in for Task (no Task describe in the corpus)
            };
            var body = Fixtures.Body(Fixtures.Load(fixture))!;
            body["name"] = name;
            return body;
        }
    }
}
