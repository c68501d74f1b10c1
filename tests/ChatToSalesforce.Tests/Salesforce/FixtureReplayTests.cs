using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>Replays every exchange of the shared Salesforce fixture corpus through the default transport.</summary>
public sealed class FixtureReplayTests
{
    private static readonly string[] TokenSuccess = ["01", "02", "04", "05"];
    private static readonly string[] TokenErrors = ["06", "07", "08", "09"];
    private static readonly string[] SinglePageQueries = ["10", "18", "19", "20", "21", "22", "23"];
    private static readonly string[] WriteResults = ["24", "25", "26", "27", "28", "29", "67", "68"];
    private static readonly string[] ErrorResponses = ["30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52"];
    private static readonly string[] Composites = ["53", "54", "55", "56", "57", "58"];
    private static readonly string[] Collections = ["61", "62", "63", "64", "65"];
    private static readonly string[] Describes = ["69", "70", "71", "72"];

    /// <summary>Fixtures replayed by a dedicated test below (paging sequences, odd shapes).</summary>
    private static readonly string[] Dedicated = ["03", "11", "12", "13", "14", "15", "16", "17", "59", "60", "66", "73", "74", "75", "76"];

    public static TheoryData<string> TokenSuccessFixtures => Data(TokenSuccess);

    public static TheoryData<string> TokenErrorFixtures => Data(TokenErrors);

    public static TheoryData<string> SinglePageQueryFixtures => Data(SinglePageQueries);

    public static TheoryData<string> WriteResultFixtures => Data(WriteResults);

    public static TheoryData<string> ErrorFixtures => Data(ErrorResponses);

    public static TheoryData<string> CompositeFixtures => Data(Composites);

    public static TheoryData<string> CollectionFixtures => Data(Collections);

    public static TheoryData<string> DescribeFixtures => Data(Describes);

    [Fact]
    public void Corpus_EveryFixture_IsReplayedByATest()
    {
        var covered = TokenSuccess.Concat(TokenErrors).Concat(SinglePageQueries).Concat(WriteResults).Concat(ErrorResponses)
            .Concat(Composites).Concat(Collections).Concat(Describes).Concat(Dedicated).ToHashSet();
        var all = Fixtures.All().Where(f => f.EndsWith(".json", StringComparison.Ordinal)).Select(f => f[..2]).ToList();

        all.Should().HaveCount(76, "the fixture corpus is linked into the test output");
        all.Should().OnlyContain(n => covered.Contains(n));
    }

    [Theory]
    [MemberData(nameof(TokenSuccessFixtures))]
    public async Task TokenSuccess_Fixture_GivesTokenInstanceAndIdentity(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var h = TransportHarness.Create();
        h.Token = (_, _) => Fixtures.Response(f);
        var body = f["response"]!["body"]!;

        var connection = await h.Client.GetConnectionAsync();

        connection.InstanceUrl.Should().Be(new Uri(body["instance_url"]!.GetValue<string>()));
        var id = new Uri(body["id"]!.GetValue<string>()).AbsolutePath.Split('/');
        connection.OrganizationId.Should().Be(id[^2]);
        connection.UserId.Should().Be(id[^1]);
        await h.Client.GetLimitsAsync();
        h.Handler.ApiRequests.Single().Header("Authorization").Should().Be("Bearer " + body["access_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenSuccess_PlaceholderInstanceUrl_IsRefused()
    {
        // Fixture 03 is Salesforce's Help sample with "instance_url": "instance_url": not a URL the SDK may call.
        var h = TransportHarness.Create();
        h.Token = (_, _) => Fixtures.Response(Fixtures.Load("03"));

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which.Message.Should().Contain("instance_url");
        h.Handler.ApiRequests.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TokenErrorFixtures))]
    public async Task TokenError_Fixture_BecomesAuthenticationExceptionWithoutRetry(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var h = TransportHarness.Create();
        h.Token = (_, _) => Fixtures.Response(f);
        var body = f["response"]!["body"]!;

        var act = () => h.Client.GetLimitsAsync();

        var ex = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        ex.Error.Should().Be(body["error"]!.GetValue<string>());
        ex.ErrorDescription.Should().Be(body["error_description"]!.GetValue<string>());
        ex.Message.Should().Contain(ex.Error).And.NotContain(ex.ErrorDescription, "Salesforce's own text stays in ErrorDescription");
        h.Handler.TokenRequests.Should().HaveCount(1);
        h.Handler.ApiRequests.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(SinglePageQueryFixtures))]
    public async Task Query_SinglePageFixture_Parses(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(f));
        var body = f["response"]!["body"]!;

        var result = await h.Client.QueryAsync("SELECT Id FROM Contact");

        result.TotalSize.Should().Be(body["totalSize"]!.GetValue<int>());
        result.Records.Should().HaveCount(body["records"]!.AsArray().Count);
        result.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Query_FourPageFixture_FollowsNextRecordsUrl()
    {
        var pages = new[] { "12", "13", "14", "15" }.Select(Fixtures.Load).ToList();
        var h = TransportHarness.Create();
        h.Api = (r, _) => Task.FromResult(Fixtures.Response(
            r.Uri.AbsolutePath.EndsWith("/query", StringComparison.Ordinal)
                ? pages[0]
                : pages.Single(p => p["request"]!["path"]!.GetValue<string>() == r.Uri.AbsolutePath)));

        var result = await h.Client.QueryAsync("SELECT Id FROM Contact");

        result.TotalSize.Should().Be(800);
        result.Records.Should().HaveCount(800);
        result.Requests.Should().Be(4);
        h.Handler.ApiRequests.Select(r => r.Uri.PathAndQuery).Skip(1).Should().Equal(
            "/services/data/v57.0/query/01gC000006QJJ7fIAH-200",
            "/services/data/v57.0/query/01gC000006QJJ7fIAH-400",
            "/services/data/v57.0/query/01gC000006QJJ7fIAH-600");
        result.Records.Should().OnlyContain(r => r.GetString("Id") != null && !r.ContainsField("attributes"), "records carry their fields, not the JSON envelope");
    }

    [Fact]
    public async Task Query_TwoPageFixtures_FollowNextRecordsUrl()
    {
        var h = TransportHarness.Create();
        h.Api = (r, _) => Task.FromResult(Fixtures.Response(Fixtures.Load(r.Uri.AbsolutePath.EndsWith("/01gD", StringComparison.Ordinal) ? "17" : "16")));

        var result = await h.Client.QueryAsync("SELECT some FROM Whizbang");

        result.Records.Should().HaveCount(2);
        result.Requests.Should().Be(2);
    }

    [Fact]
    public async Task Query_DocsFirstPageFixture_FollowsItsNextRecordsUrl()
    {
        var h = TransportHarness.Create();
        h.Api = (r, _) => Task.FromResult(r.Uri.AbsolutePath == "/services/data/v56.0/query/01gRO0000016PIAYA2-500"
            ? StubHttpHandler.Json(200, """{"totalSize":3222,"done":true,"records":[]}""")
            : Fixtures.Response(Fixtures.Load("11")));

        var result = await h.Client.QueryAsync("SELECT Id, Name FROM Contact");

        result.TotalSize.Should().Be(3222);
        result.Requests.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(WriteResultFixtures))]
    public async Task WriteResult_Fixture_ParsesAsCompositeSubresponse(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var status = Fixtures.Status(f);
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, new JsonObject
        {
            ["compositeResponse"] = new JsonArray(new JsonObject { ["body"] = Fixtures.Body(f), ["httpHeaders"] = new JsonObject(), ["httpStatusCode"] = status, ["referenceId"] = "w" }),
        }));
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new SalesforceSubrequest(f["request"]!["method"]!.GetValue<string>(), "sobjects/Account", "w"));

        var response = await h.Client.SendCompositeAsync(request);

        var sub = response.Find("w")!;
        sub.IsSuccess.Should().BeTrue();
        SalesforceErrorParser.Parse(sub.Body).Should().BeEmpty();
        if (sub.Body is not null)
        {
            SalesforceErrorParser.ParseSaveResult(sub.Body).Success.Should().BeTrue();
        }
    }

    [Theory]
    [MemberData(nameof(ErrorFixtures))]
    public async Task Error_Fixture_IsRetriedReauthenticatedOrFailedAsSection7Says(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var status = Fixtures.Status(f);
        var errors = SalesforceErrorParser.Parse(Fixtures.Body(f));
        var kind = SalesforceErrorClassifier.Classify(status, errors);
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(f));

        var act = () => h.Client.GetLimitsAsync(); // a GET: safe to repeat

        var ex = (await act.Should().ThrowAsync<ChatToSalesforceException>()).Which.Should().BeOfType<SalesforceApiException>().Subject;
        ex.StatusCode.Should().Be((System.Net.HttpStatusCode)status);
        ex.ErrorCode.Should().Be(SalesforceErrorParser.PickPrimary(errors)?.ErrorCode);
        var expectedCalls = kind switch
        {
            SalesforceErrorKind.Transient => 1 + h.Options.Resilience.MaxRetryAttempts,
            SalesforceErrorKind.ReAuthenticate => 2,
            _ => 1,
        };
        h.Handler.ApiRequests.Should().HaveCount(expectedCalls);
        h.Handler.TokenRequests.Should().HaveCount(kind == SalesforceErrorKind.ReAuthenticate ? 2 : 1);
        ex.IsTransient.Should().Be(kind == SalesforceErrorKind.Transient);
        h.Usage.IsCircuitOpen.Should().Be(kind == SalesforceErrorKind.DailyLimitExceeded);
    }

    [Theory]
    [MemberData(nameof(CompositeFixtures))]
    public async Task Composite_Fixture_ReturnsEverySubresponseWithoutThrowing(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(f));
        var expected = f["response"]!["body"]!["compositeResponse"]!.AsArray();
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new SalesforceSubrequest("GET", "sobjects/Account/describe", "x"));

        var response = await h.Client.SendCompositeAsync(request);

        response.Responses.Select(r => (r.ReferenceId, r.HttpStatusCode)).Should().Equal(
            expected.Select(e => (e!["referenceId"]!.GetValue<string>(), e["httpStatusCode"]!.GetValue<int>())));
        foreach (var failed in response.Responses.Where(r => !r.IsSuccess))
        {
            var ex = SalesforceErrorParser.ToException(failed.HttpStatusCode, failed.Body, "Composite request", failed.ReferenceId);
            ex.FailedSubrequest.Should().Be(failed.ReferenceId);
            ex.ErrorCode.Should().NotBeNull();
        }
    }

    [Fact]
    public async Task CompositeGraphAndBatchFixtures_AreNotCompositeResponses_AndAreReportedAsUnexpected()
    {
        // The SDK sends /composite only (DESIGN: one composite per export); graph (59) and batch (60) shapes are rejected, not misread.
        foreach (var fixture in new[] { "59", "60" })
        {
            var h = TransportHarness.Create();
            h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load(fixture)));
            var request = new SalesforceCompositeRequest();
            request.Subrequests.Add(new SalesforceSubrequest("GET", "limits", "x"));

            var act = () => h.Client.SendCompositeAsync(request);

            (await act.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("UNEXPECTED_RESPONSE");
        }
    }

    [Theory]
    [MemberData(nameof(CollectionFixtures))]
    public void SaveResult_Fixture_Parses(string fixture)
    {
        // The SDK no longer writes with sObject Collections, but save results (file uploads) still parse this way.
        var f = Fixtures.Load(fixture);
        var expected = f["response"]!["body"]!.AsArray();

        var results = expected.Select(SalesforceErrorParser.ParseSaveResult).ToList();

        results.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            results[i].Success.Should().Be(expected[i]!["success"]!.GetValue<bool>());
            results[i].Id.Should().Be(expected[i]!["id"]?.GetValue<string>());
            results[i].Errors.Select(e => e.ErrorCode).Should().Equal(expected[i]!["errors"]!.AsArray().Select(e => e!["statusCode"]!.GetValue<string>()));
        }
    }

    [Fact]
    public void SaveResult_UpsertFixture_ReadsCreatedFlags()
    {
        var body = Fixtures.Body(Fixtures.Load("64"))!.AsArray();

        var results = body.Select(SalesforceErrorParser.ParseSaveResult).ToList();

        results.Select(r => r.Created).Should().Equal(false, false, false, true);
    }

    [Theory]
    [MemberData(nameof(DescribeFixtures))]
    public async Task Describe_Fixture_Parses(string fixture)
    {
        var f = Fixtures.Load(fixture);
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(f));
        var name = f["response"]!["body"]!["name"]!.GetValue<string>();

        var description = await h.Client.DescribeAsync(name);

        description.Name.Should().Be(name);
        description.Fields.Should().NotBeEmpty();
        h.Handler.ApiRequests.Single().Uri.AbsolutePath.Should().Be($"/services/data/v62.0/sobjects/{name}/describe");
    }

    [Fact]
    public async Task Upload_MultipartFixture_SendsEntityContentAndVersionData()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("66")));

        var result = await h.Client.UploadFileAsync(new SalesforceFileUpload("Q1 Sales Brochure.pdf", "Binary data goes here."u8.ToArray(), "00Txx0000001abc"));

        result.Should().BeEquivalentTo(new { Id = "068D00000000pgOIAQ", Success = true });
        var request = h.Handler.ApiRequests.Single();
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri.AbsolutePath.Should().Be("/services/data/v62.0/sobjects/ContentVersion");
        request.ContentType.Should().StartWith("multipart/form-data");
        request.Body.Should().Contain("name=entity_content").And.Contain("\"PathOnClient\":\"Q1 Sales Brochure.pdf\"")
            .And.Contain("\"Title\":\"Q1 Sales Brochure\"").And.Contain("\"FirstPublishLocationId\":\"00Txx0000001abc\"")
            .And.Contain("name=VersionData").And.Contain("filename=\"Q1 Sales Brochure.pdf\"").And.Contain("Binary data goes here.");
        request.Body!.IndexOf("entity_content", StringComparison.Ordinal).Should().BeLessThan(request.Body.IndexOf("VersionData", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Limits_Fixture_ReturnsTheDocument()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("76")));

        var limits = await h.Client.GetLimitsAsync();

        limits["DailyApiRequests"]!["Max"]!.GetValue<int>().Should().Be(15000);
        h.Handler.ApiRequests.Single().Uri.AbsolutePath.Should().Be("/services/data/v62.0/limits");
    }

    private static TheoryData<string> Data(IEnumerable<string> items)
    {
        var data = new TheoryData<string>();
        foreach (var item in items)
        {
            data.Add(item);
        }

        return data;
    }
}
