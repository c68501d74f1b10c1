using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class SalesforceRestClientTests
{
    [Theory]
    [InlineData("62.0")]
    [InlineData("v62.0")]
    public async Task DescribeAsync_RelativeUrl_ExpandsToVersionedDataRoot(string apiVersion)
    {
        var h = TransportHarness.Create(o => o.ApiVersion = apiVersion);
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, """{"name":"Contact","fields":[{"name":"Email","type":"email"}]}"""));

        await h.Client.DescribeAsync("Contact");

        h.Handler.ApiRequests.Single().Uri.ToString().Should().Be("https://acme.my.salesforce.com/services/data/v62.0/sobjects/Contact/describe");
    }

    [Fact]
    public async Task An_answer_shorter_than_it_announced_is_a_network_error_not_a_raw_exception()
    {
        // Answers are read into an array of their announced length; one that ends early is the network failure it is.
        var h = TransportHarness.Create();
        h.Api = (_, _) =>
        {
            var truncated = new StreamContent(new MemoryStream("""{"totalSize":0,"done":true,"rec"""u8.ToArray()));
            truncated.Headers.ContentLength = 200;
            truncated.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = truncated });
        };

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("NETWORK_ERROR");
    }

    [Fact]
    public async Task An_answer_of_its_announced_length_is_read_whole()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, """{"DailyApiRequests":{"Max":15000,"Remaining":14990}}"""));

        var limits = await h.Client.GetLimitsAsync();

        limits["DailyApiRequests"]!["Remaining"]!.GetValue<int>().Should().Be(14990);
    }

    [Fact]
    public async Task EveryRequest_CarriesCallOptionsAuthorizationAndAccept()
    {
        var h = TransportHarness.Create();

        await h.Client.GetLimitsAsync();

        var request = h.Handler.ApiRequests.Single();
        request.Header("Sforce-Call-Options").Should().MatchRegex(@"^client=ChatToSalesforce/\d+\.\d+\.\d+");
        request.Header("Authorization").Should().Be("Bearer tok-1");
        request.Header("Accept").Should().Be("application/json");
    }

    [Fact]
    public async Task QueryAsync_Soql_IsUrlEncodedInQ()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, """{"totalSize":0,"done":true,"records":[]}"""));
        var soql = "SELECT Id FROM Contact WHERE Email = " + Soql.Quote("o'hara+1@example.com");

        await h.Client.QueryAsync(soql);

        var uri = h.Handler.ApiRequests.Single().Uri;
        uri.AbsolutePath.Should().Be("/services/data/v62.0/query");
        Uri.UnescapeDataString(uri.Query).Should().Be("?q=" + soql);
        uri.Query.Should().NotContain(" ").And.NotContain("+1@").And.Contain("%2B1");
    }

    [Theory]
    [InlineData("https://evil.example.com/services/data/v62.0/query/01g-200")]
    [InlineData("//evil.example.com/services/data/v62.0/query/01g-200")]
    [InlineData("/services/apexrest/steal")]
    [InlineData("/services/data/v62.0/../../x")]
    public async Task QueryAsync_ForeignNextRecordsUrl_IsNotFollowed(string next)
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, new JsonObject { ["totalSize"] = 4, ["done"] = false, ["nextRecordsUrl"] = next, ["records"] = new JsonArray() }));

        var act = () => h.Client.QueryAsync("SELECT Id FROM Contact");

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("INVALID_NEXT_RECORDS_URL");
        h.Handler.ApiRequests.Should().HaveCount(1);
    }

    [Fact]
    public async Task QueryAsync_RepeatingNextRecordsUrl_Stops()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, """{"totalSize":4,"done":false,"nextRecordsUrl":"/services/data/v62.0/query/01g-2","records":[{"Id":"003a"}]}"""));

        var act = () => h.Client.QueryAsync("SELECT Id FROM Contact");

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("INVALID_NEXT_RECORDS_URL");
        h.Handler.ApiRequests.Should().HaveCount(2, "the first page and one next page; the repeated URL is not fetched again");
    }

    [Fact]
    public async Task SendCompositeAsync_Body_ExpandsUrlsAndCarriesHeaders()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, """{"compositeResponse":[]}"""));
        var person = new JsonObject { ["LastName"] = "Doe" };
        var request = new SalesforceCompositeRequest { AllOrNone = true };
        request.Headers["Sforce-Auto-Assign"] = "FALSE";
        request.Subrequests.Add(new SalesforceSubrequest("post", "sobjects/Lead", "lead", person) { HttpHeaders = new Dictionary<string, string> { ["Sforce-Duplicate-Rule-Header"] = "allowSave=true" } });
        request.Subrequests.Add(new SalesforceSubrequest("GET", "/services/data/v62.0/sobjects/Lead/@{lead.id}", "read"));

        await h.Client.SendCompositeAsync(request);

        var sent = h.Handler.ApiRequests.Single();
        sent.Uri.AbsolutePath.Should().Be("/services/data/v62.0/composite");
        sent.Header("Sforce-Auto-Assign").Should().Be("FALSE");
        sent.ContentType.Should().StartWith("application/json");
        var body = JsonNode.Parse(sent.Body!)!;
        body["allOrNone"]!.GetValue<bool>().Should().BeTrue();
        var subs = body["compositeRequest"]!.AsArray();
        subs[0]!["method"]!.GetValue<string>().Should().Be("POST");
        subs[0]!["url"]!.GetValue<string>().Should().Be("/services/data/v62.0/sobjects/Lead");
        subs[0]!["referenceId"]!.GetValue<string>().Should().Be("lead");
        subs[0]!["body"]!["LastName"]!.GetValue<string>().Should().Be("Doe");
        subs[0]!["httpHeaders"]!["Sforce-Duplicate-Rule-Header"]!.GetValue<string>().Should().Be("allowSave=true");
        subs[1]!["url"]!.GetValue<string>().Should().Be("/services/data/v62.0/sobjects/Lead/@{lead.id}");
        subs[1]!.AsObject().ContainsKey("body").Should().BeFalse();
        person.Parent.Should().BeNull("the caller's JSON is written, not re-parented");
    }

    [Fact]
    public async Task SendCompositeAsync_TopLevelError_Throws()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(400, """[{"message":"Json Deserialization failed on token 'compositeRequest'","errorCode":"JSON_PARSER_ERROR"}]"""));
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new SalesforceSubrequest("GET", "limits", "x"));

        var act = () => h.Client.SendCompositeAsync(request);

        var ex = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        ex.ErrorCode.Should().Be("JSON_PARSER_ERROR");
        ex.Message.Should().StartWith("Composite request: HTTP 400 JSON_PARSER_ERROR.");
        ex.SalesforceMessage.Should().Be("Json Deserialization failed on token 'compositeRequest'");
    }

    [Fact]
    public async Task SendCompositeAsync_SubrequestFailure_IsReturnedNotThrown()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("57")));
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new SalesforceSubrequest("GET", "sobjects/Foo", "CCI__RefId__0__"));

        var response = await h.Client.SendCompositeAsync(request);

        var sub = response.Find("CCI__RefId__0__")!;
        sub.IsSuccess.Should().BeFalse();
        sub.HttpStatusCode.Should().Be(404);
        sub.Body.Should().NotBeNull();
        sub.Body!.Parent.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"message":"not a describe"}""")]
    [InlineData("""{"name":42,"fields":[]}""")]
    [InlineData("""["Contact"]""")]
    [InlineData("null")]
    public async Task ReadAsync_DescribeSubresponseOfAnUnexpectedShape_IsThatReadsUnexpectedResponseError(string describeBody)
    {
        // Regression: a describe inside a composite read whose body was not a describe result threw a raw FormatException.
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, $$"""
            {"compositeResponse":[
              {"body":{{describeBody}},"httpHeaders":{},"httpStatusCode":200,"referenceId":"read0"},
              {"body":{"name":"Lead","fields":[{"name":"Email","type":"email"}]},"httpHeaders":{},"httpStatusCode":200,"referenceId":"read1"}
            ]}
            """));

        var batch = await h.Client.ReadAsync([SalesforceRead.Describe("Contact"), SalesforceRead.Describe("Lead")]);

        var error = batch.Results[0].Error;
        error.Should().NotBeNull();
        error!.ErrorCode.Should().Be("UNEXPECTED_RESPONSE");
        error.Message.Should().Contain("describe of Contact").And.NotContain("Exception");
        batch.Results[0].Description.Should().BeNull();
        batch.Results[1].Description!.Name.Should().Be("Lead", "the other reads of the request are unaffected");
    }

    [Theory]
    [InlineData("\"<html>Down for maintenance</html>\"")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task ReadAsync_QuerySubresponseThatIsNotAQueryResult_IsThatReadsUnexpectedResponseErrorNotZeroRecords(string queryBody)
    {
        // Regression: inside a composite read, such a body was read as "no records", so a look-up could conclude the visitor
        // was new and create a duplicate person (the single-query path already refused it).
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, $$"""
            {"compositeResponse":[
              {"body":{{queryBody}},"httpHeaders":{},"httpStatusCode":200,"referenceId":"read0"},
              {"body":{"totalSize":0,"done":true,"records":[]},"httpHeaders":{},"httpStatusCode":200,"referenceId":"read1"}
            ]}
            """));

        var batch = await h.Client.ReadAsync([SalesforceRead.Query("SELECT Id FROM Contact"), SalesforceRead.Query("SELECT Id FROM Lead")]);

        batch.Results[0].Error!.ErrorCode.Should().Be("UNEXPECTED_RESPONSE");
        batch.Results[0].Query.Should().BeNull();
        batch.Results[1].Query!.Records.Should().BeEmpty("the other reads of the request are unaffected");
    }

    [Fact]
    public async Task WriteAsync_LaterGraphRequestFails_KeepsTheEarlierRequestsResultsAndMarksTheUnsentOnesNotProcessed()
    {
        // Three units of 300 nodes: one graph request each (500 nodes a request). The first is answered, the second 503.
        var h = TransportHarness.Create();
        var graphRequests = 0;
        h.Api = (request, _) => Task.FromResult(++graphRequests == 1
            ? StubHttpHandler.Json(200, AppliedGraphs(JsonNode.Parse(request.Body!)!))
            : StubHttpHandler.Json(503, """[{"message":"Server Unavailable","errorCode":"SERVER_UNAVAILABLE"}]"""));
        var units = Enumerable.Range(0, 3).Select(u =>
        {
            var unit = new SalesforceWriteUnit { Key = $"u{u}" };
            for (var n = 0; n < 300; n++)
            {
                unit.Operations.Add(new SalesforceWriteOperation { Name = $"c{n}", Kind = SalesforceWriteKind.Create, ObjectType = "Contact", Fields = new SalesforceFieldValues { ["LastName"] = $"L{n}" } });
            }

            return unit;
        }).ToList();

        var act = () => h.Client.WriteAsync(units);

        var ex = (await act.Should().ThrowAsync<IncompleteWriteException>()).Which;
        graphRequests.Should().Be(2, "the request after the failed one is not sent");
        ex.ApiCalls.Should().Be(1);
        ex.InnerException.Should().BeOfType<SalesforceApiException>().Which.ErrorCode.Should().Be("SERVER_UNAVAILABLE");
        ex.Written.Should().HaveCount(3);
        ex.Written[0]!.Success.Should().BeTrue();
        ex.Written[0]!.Operations.Should().OnlyContain(o => o.Id != null && o.Created);
        ex.Written[1].Should().BeNull("the outcome of the failed request is what its exception says");
        ex.Written[2]!.NotProcessed.Should().BeTrue("a request not sent applied nothing");

        // One request, no doubt about the others: its failure is thrown as it is.
        graphRequests = 1;
        var single = () => h.Client.WriteAsync(units.Take(1).ToList());
        (await single.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("SERVER_UNAVAILABLE");

        static string AppliedGraphs(JsonNode request) => new JsonObject
        {
            ["graphs"] = new JsonArray(request["graphs"]!.AsArray().Select(g => (JsonNode)new JsonObject
            {
                ["graphId"] = g!["graphId"]!.GetValue<string>(),
                ["isSuccessful"] = true,
                ["graphResponse"] = new JsonObject
                {
                    ["compositeResponse"] = new JsonArray(g["compositeRequest"]!.AsArray().Select((n, i) => (JsonNode)new JsonObject
                    {
                        ["body"] = new JsonObject { ["id"] = $"003xx{i:D10}", ["success"] = true, ["errors"] = new JsonArray() },
                        ["httpHeaders"] = new JsonObject(),
                        ["httpStatusCode"] = 201,
                        ["referenceId"] = n!["referenceId"]!.GetValue<string>(),
                    }).ToArray()),
                },
            }).ToArray()),
        }.ToJsonString();
    }

    [Fact]
    public async Task DescribeAsync_InvalidName_ThrowsArgumentException()
    {
        var h = TransportHarness.Create();

        await FluentActions.Awaiting(() => h.Client.DescribeAsync("Contact/../../x")).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task ErrorMessages_NeverContainTokensSecretsOrSentContent()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("38")));
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new SalesforceSubrequest("PATCH", "sobjects/Contact/003xx", "p", new JsonObject { ["Description"] = "visitor secret transcript" }));

        var ex = (await FluentActions.Awaiting(() => h.Client.SendCompositeAsync(request)).Should().ThrowAsync<SalesforceApiException>()).Which;

        ex.ToString().Should().NotContain("tok-1").And.NotContain(TransportHarness.ClientSecret).And.NotContain("visitor secret transcript");
    }

    [Fact]
    public void AddSalesforceChatExport_RegistersTheDefaultTransport()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri(TransportHarness.Instance);
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "id";
            o.Authentication.ClientSecret = "secret";
        });
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ISalesforceClient>().Should().BeOfType<SalesforceRestClient>();
        provider.GetRequiredService<ISalesforceApiUsage>().Should().BeSameAs(provider.GetRequiredService<ApiUsageTracker>());
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(SalesforceChatExportServiceCollectionExtensions.HttpClientName).Timeout
            .Should().Be(Timeout.InfiniteTimeSpan, "timeouts belong to the resilience pipeline");
        provider.GetRequiredService<IOptions<SalesforceChatExportOptions>>().Value.InstanceUrl.Should().NotBeNull();
    }

    [Fact]
    public void UseSalesforceClient_ReplacesTheDefaultTransport()
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o => o.InstanceUrl = new Uri(TransportHarness.Instance)).UseSalesforceClient<HostClient>();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ISalesforceClient>().Should().BeOfType<HostClient>();
    }

    [Fact]
    public async Task Telemetry_SourceName_IsChatToSalesforce()
    {
        ChatToSalesforceTelemetry.SourceName.Should().Be("ChatToSalesforce");
        var measurements = new List<(string Name, long Value)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ChatToSalesforceTelemetry.SourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value));
            }
        });
        listener.Start();
        var h = TransportHarness.Create();
        h.Token = (_, _) => StubHttpHandler.Json(200, $$"""{"access_token":"t","instance_url":"{{TransportHarness.Instance}}","id":"https://login.salesforce.com/id/00Dmetrics0000AA/005xx000001Sv6e"}""");
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, "{}", ("Sforce-Limit-Info", "api-usage=42/15000")));

        await h.Client.GetLimitsAsync();
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            measurements.Should().Contain((ChatToSalesforceTelemetry.ApiRequestsMetric, 1L));
            measurements.Should().Contain((ChatToSalesforceTelemetry.ApiUsageMetric, 42L));
            measurements.Should().Contain((ChatToSalesforceTelemetry.ApiLimitMetric, 15000L));
        }
    }

    [Fact]
    public async Task Tracing_FailedRequest_RecordsAClientSpanWithErrorType()
    {
        var spans = new List<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == ChatToSalesforceTelemetry.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("47")));

        await FluentActions.Awaiting(() => h.Client.DescribeAsync("NoSuchObject__c")).Should().ThrowAsync<SalesforceApiException>();

        lock (spans)
        {
            spans.Should().Contain(a => a.OperationName == "ChatToSalesforce.Salesforce.Request"
                && a.Status == System.Diagnostics.ActivityStatusCode.Error
                && (string?)a.GetTagItem("error.type") == "NOT_FOUND"
                && (string?)a.GetTagItem("salesforce.operation") == "Describe");
        }
    }

    private sealed class HostClient : ISalesforceClient
    {
        public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
