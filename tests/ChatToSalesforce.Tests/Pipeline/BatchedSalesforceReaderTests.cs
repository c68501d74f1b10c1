using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Pipeline.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tests.Infrastructure;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace ChatToSalesforce.Tests.Pipeline;

public class BatchedSalesforceReaderTests
{
    private readonly ISalesforceClient _client = Substitute.For<ISalesforceClient>();
    private readonly FakeOrg _org = new();
    private readonly FakeTimeProvider _time = new();
    private readonly OrgMetadataCache _cache;

    public BatchedSalesforceReaderTests()
    {
        _cache = new OrgMetadataCache(_time);
        _client.SendCompositeAsync(Arg.Any<SalesforceCompositeRequest>(), Arg.Any<CancellationToken>()).Returns(ci => _org.Respond(ci.Arg<SalesforceCompositeRequest>()));
        _client.QueryAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(ci => _org.Query(ci.Arg<string>()));
        _org.Add("Contact", new JsonObject { ["Id"] = TestData.ContactId, ["Email"] = "o'brien@x.com" });
        _org.Add("User", new JsonObject { ["Id"] = TestData.AgentUserId, ["Email"] = "grace@example.com" });
    }

    private BatchedSalesforceReader NewReader() => new(_client, _cache, TestData.Options());

    private int CompositeCalls => _client.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(ISalesforceClient.SendCompositeAsync));

    private int QueryCalls => _client.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(ISalesforceClient.QueryAsync));

    [Fact]
    public async Task RunAsync_TwoQueriesAndADescribeFromConcurrentParticipants_SendsOneComposite()
    {
        var reader = NewReader();
        const string contactQuery = @"SELECT Id FROM Contact WHERE Email = 'o\'brien@x.com'";
        const string userQuery = "SELECT Id FROM User WHERE Email = 'grace@example.com'";

        async Task<string> Identity()
        {
            var query = reader.QueryAsync(contactQuery, CancellationToken.None);
            var describe = reader.DescribeAsync("Contact", CancellationToken.None);
            var result = await query;
            var description = await describe;
            return result.Records[0]["Id"]!.GetValue<string>() + "|" + description.Name;
        }

        async Task<string> Owner() => (await reader.QueryAsync(userQuery, CancellationToken.None)).Records[0]["Id"]!.GetValue<string>();

        var identity = Identity();
        var owner = Owner();
        await reader.RunAsync([identity, owner], CancellationToken.None);

        (await identity).Should().Be(TestData.ContactId + "|Contact");
        (await owner).Should().Be(TestData.AgentUserId);
        CompositeCalls.Should().Be(1);
        QueryCalls.Should().Be(0);
        var request = _org.Composites.Single();
        request.AllOrNone.Should().BeFalse();
        request.Subrequests.Select(s => (s.Method, s.Url)).Should().Equal(
            ("GET", "query?q=" + Uri.EscapeDataString(contactQuery)),
            ("GET", "sobjects/Contact/describe"),
            ("GET", "query?q=" + Uri.EscapeDataString(userQuery)));
        reader.ApiCalls.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_SingleQuery_GoesThroughQueryAsync()
    {
        _client.QueryAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(new SalesforceQueryResult(0, [], Requests: 2));
        var reader = NewReader();
        var query = reader.QueryAsync("SELECT Id FROM Contact", CancellationToken.None).AsTask();

        await reader.RunAsync([query], CancellationToken.None);

        (await query).TotalSize.Should().Be(0);
        await _client.Received(1).QueryAsync("SELECT Id FROM Contact", Arg.Any<CancellationToken>());
        CompositeCalls.Should().Be(0);
        reader.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task FlushAsync_EightQueries_SplitsIntoTwoCompositesOfAtMostFiveQueries()
    {
        var reader = NewReader();
        var queries = Enumerable.Range(0, 8).Select(i => reader.QueryAsync($"SELECT Id FROM Contact WHERE Email = 'n{i}@x.com'", CancellationToken.None).AsTask()).ToArray();
        var describe = reader.DescribeAsync("Task", CancellationToken.None).AsTask();

        await reader.RunAsync([.. queries, describe], CancellationToken.None);

        _org.Composites.Should().HaveCount(2);
        _org.Composites[0].Subrequests.Count(s => s.Url.StartsWith("query", StringComparison.Ordinal)).Should().Be(5);
        _org.Composites[1].Subrequests.Count(s => s.Url.StartsWith("query", StringComparison.Ordinal)).Should().Be(3);
        _org.Composites.SelectMany(c => c.Subrequests).Should().HaveCount(9);
        queries.Should().OnlyContain(q => q.IsCompletedSuccessfully);
        (await describe).Name.Should().Be("Task");
        reader.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task DescribeAsync_CachedForTheOrg_MakesNoCall()
    {
        var first = NewReader();
        var describe = first.DescribeAsync("Contact", CancellationToken.None).AsTask();
        var query = first.QueryAsync("SELECT Id FROM User", CancellationToken.None).AsTask();
        await first.RunAsync([describe, query], CancellationToken.None);
        _client.ClearReceivedCalls();

        var second = NewReader();
        var cached = second.DescribeAsync("contact", CancellationToken.None).AsTask();

        cached.IsCompletedSuccessfully.Should().BeTrue();
        await second.RunAsync([cached], CancellationToken.None);
        (await cached).Should().BeSameAs(await describe);
        _client.ReceivedCalls().Should().BeEmpty();
        second.ApiCalls.Should().Be(0);
    }

    [Fact]
    public async Task DescribeAsync_AfterMetadataCacheDuration_DescribesAgain()
    {
        var first = NewReader();
        var describe = first.DescribeAsync("Contact", CancellationToken.None).AsTask();
        await first.RunAsync([describe, first.QueryAsync("SELECT Id FROM User", CancellationToken.None).AsTask()], CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(1));
        var second = NewReader();
        var again = second.DescribeAsync("Contact", CancellationToken.None).AsTask();

        again.IsCompleted.Should().BeFalse();
        await second.RunAsync([again], CancellationToken.None);
        _org.Composites.Should().HaveCount(2);
    }

    [Fact]
    public async Task DescribeAsync_SameObjectTwiceInARound_IsDescribedOnce()
    {
        var reader = NewReader();
        var a = reader.DescribeAsync("Task", CancellationToken.None).AsTask();
        var b = reader.DescribeAsync("TASK", CancellationToken.None).AsTask();
        var q = reader.QueryAsync("SELECT Id FROM User", CancellationToken.None).AsTask();

        await reader.RunAsync([a, b, q], CancellationToken.None);

        _org.Composites.Single().Subrequests.Should().HaveCount(2);
        (await a).Should().BeSameAs(await b);
    }

    [Fact]
    public async Task RunAsync_FailingSubrequest_FaultsOnlyItsOwnRead()
    {
        _client.SendCompositeAsync(Arg.Any<SalesforceCompositeRequest>(), Arg.Any<CancellationToken>()).Returns(ci =>
        {
            var request = ci.Arg<SalesforceCompositeRequest>();
            return new SalesforceCompositeResponse(
            [
                new SalesforceSubresponse(request.Subrequests[0].ReferenceId, 200, new JsonObject { ["totalSize"] = 1, ["done"] = true, ["records"] = new JsonArray(new JsonObject { ["Id"] = TestData.ContactId }) }),
                new SalesforceSubresponse(request.Subrequests[1].ReferenceId, 400, new JsonArray(new JsonObject
                {
                    ["errorCode"] = "INVALID_FIELD",
                    ["message"] = "No such column 'Nope__c' on entity 'Contact'.",
                })),
            ]);
        });
        var reader = NewReader();
        var good = reader.QueryAsync("SELECT Id FROM Contact", CancellationToken.None).AsTask();
        var bad = reader.QueryAsync("SELECT Nope__c FROM Contact", CancellationToken.None).AsTask();

        var run = () => reader.RunAsync([good, bad], CancellationToken.None);

        await run.Should().ThrowAsync<SalesforceApiException>();
        good.IsCompletedSuccessfully.Should().BeTrue();
        (await good).Records.Should().ContainSingle();
        var error = (await FluentActions.Awaiting(() => bad).Should().ThrowAsync<SalesforceApiException>()).Which;
        error.ErrorCode.Should().Be("INVALID_FIELD");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.FailedSubrequest.Should().Be("read1");
        error.Message.Should().Contain("The query failed");
        error.SalesforceMessage.Should().Contain("No such column");
    }

    [Fact]
    public async Task RunAsync_ClientThrows_FaultsEveryQueuedRead()
    {
        _client.SendCompositeAsync(Arg.Any<SalesforceCompositeRequest>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new SalesforceApiException(HttpStatusCode.ServiceUnavailable, "SERVER_UNAVAILABLE", "down", isTransient: true));
        var reader = NewReader();
        var a = reader.QueryAsync("SELECT Id FROM Contact", CancellationToken.None).AsTask();
        var b = reader.DescribeAsync("Task", CancellationToken.None).AsTask();

        var run = () => reader.RunAsync([a, b], CancellationToken.None);

        await run.Should().ThrowAsync<SalesforceApiException>().Where(e => e.ErrorCode == "SERVER_UNAVAILABLE");
        a.IsFaulted.Should().BeTrue();
        b.IsFaulted.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_ReadsStartedAfterAResult_FormASecondRound()
    {
        var reader = NewReader();

        async Task<int> Participant()
        {
            var contacts = reader.QueryAsync(@"SELECT Id FROM Contact WHERE Email = 'o\'brien@x.com'", CancellationToken.None);
            var users = reader.QueryAsync("SELECT Id FROM User WHERE Email = 'grace@example.com'", CancellationToken.None);
            var id = (await contacts).Records[0]["Id"]!.GetValue<string>();
            await users;
            var followUp = await reader.QueryAsync($"SELECT Id FROM Task WHERE WhoId = '{id}'", CancellationToken.None);
            return followUp.TotalSize;
        }

        var participant = Participant();
        await reader.RunAsync([participant], CancellationToken.None);

        (await participant).Should().Be(0);
        CompositeCalls.Should().Be(1);
        await _client.Received(1).QueryAsync($"SELECT Id FROM Task WHERE WhoId = '{TestData.ContactId}'", Arg.Any<CancellationToken>());
        reader.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task RunAsync_QueryWithMorePages_IsRereadThroughTheClientsPaging()
    {
        _client.SendCompositeAsync(Arg.Any<SalesforceCompositeRequest>(), Arg.Any<CancellationToken>()).Returns(ci =>
        {
            var request = ci.Arg<SalesforceCompositeRequest>();
            return new SalesforceCompositeResponse(request.Subrequests.Select(s => new SalesforceSubresponse(s.ReferenceId, 200, s.Url.StartsWith("query", StringComparison.Ordinal)
                ? new JsonObject { ["totalSize"] = 3000, ["done"] = false, ["nextRecordsUrl"] = "/services/data/v62.0/query/01g-2000", ["records"] = new JsonArray() }
                : TestData.DescribeJson(TestData.Task()))).ToArray());
        });
        _client.QueryAsync("SELECT Id FROM Task", Arg.Any<CancellationToken>()).Returns(new SalesforceQueryResult(3000, [], Requests: 2));
        var reader = NewReader();
        var query = reader.QueryAsync("SELECT Id FROM Task", CancellationToken.None).AsTask();
        var describe = reader.DescribeAsync("Task", CancellationToken.None).AsTask();

        await reader.RunAsync([query, describe], CancellationToken.None);

        (await query).TotalSize.Should().Be(3000);
        reader.ApiCalls.Should().Be(3);
    }

    [Fact]
    public async Task QueryAsync_Canceled_CancelsTheRead()
    {
        using var cts = new CancellationTokenSource();
        var reader = NewReader();
        var query = reader.QueryAsync("SELECT Id FROM Contact", cts.Token).AsTask();

        await cts.CancelAsync();

        await FluentActions.Awaiting(() => query).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task GetConnectionAsync_CalledTwice_AsksTheClientOnce()
    {
        _client.GetConnectionAsync(Arg.Any<CancellationToken>()).Returns(new SalesforceConnection(new Uri("https://acme.my.salesforce.com"), "00D", "005", "62.0"));
        var reader = NewReader();

        await reader.GetConnectionAsync(CancellationToken.None);
        var connection = await reader.GetConnectionAsync(CancellationToken.None);

        connection.OrganizationId.Should().Be("00D");
        await _client.Received(1).GetConnectionAsync(Arg.Any<CancellationToken>());
    }
}
