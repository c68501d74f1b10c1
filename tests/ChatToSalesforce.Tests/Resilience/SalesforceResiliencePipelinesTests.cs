using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Tests.Salesforce;

namespace ChatToSalesforce.Tests.Resilience;

public sealed class SalesforceResiliencePipelinesTests
{
    private static readonly string ServerUnavailable = """[{"message":"Server Unavailable","errorCode":"SERVER_UNAVAILABLE"}]""";
    private static readonly string CompositeOk = """{"compositeResponse":[{"body":{"id":"00Txx","success":true,"errors":[]},"httpHeaders":{},"httpStatusCode":201,"referenceId":"task"}]}""";

    [Fact]
    public async Task SendCompositeAsync_TransientFailureOnCreate_IsNotRetried()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(503, ServerUnavailable));
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new SalesforceSubrequest("GET", "query?q=SELECT+Id+FROM+Contact", "person"));
        request.Subrequests.Add(new SalesforceSubrequest("POST", "sobjects/Task", "task", new JsonObject { ["Subject"] = "Chat" }));

        var act = () => h.Client.SendCompositeAsync(request);

        var ex = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        ex.ErrorCode.Should().Be("SERVER_UNAVAILABLE");
        ex.IsTransient.Should().BeTrue("the host may decide to re-run the whole export, which looks before it creates");
        h.Handler.ApiRequests.Should().HaveCount(1, "a POST that may have created a record is never repeated");
    }

    [Fact]
    public async Task SendCompositeAsync_UpsertAndGetOnly_IsRetried()
    {
        var h = TransportHarness.Create();
        var calls = 0;
        h.Api = (_, _) => Task.FromResult(Interlocked.Increment(ref calls) < 3 ? StubHttpHandler.Json(503, ServerUnavailable) : StubHttpHandler.Json(200, CompositeOk));
        var request = new SalesforceCompositeRequest();
        request.Subrequests.Add(new SalesforceSubrequest("GET", "query?q=SELECT+Id+FROM+User", "agent"));
        request.Subrequests.Add(new SalesforceSubrequest("PATCH", "sobjects/Task/Chat_Id__c/c-42", "task", new JsonObject { ["Subject"] = "Chat" }));

        var response = await h.Client.SendCompositeAsync(request);

        response.Responses.Should().ContainSingle().Which.IsSuccess.Should().BeTrue();
        h.Handler.ApiRequests.Should().HaveCount(3);
    }

    [Fact]
    public async Task QueryAsync_NetworkError_IsRetriedThenSucceeds()
    {
        var h = TransportHarness.Create();
        var calls = 0;
        h.Api = (_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException("connection reset", null, null)
            : Task.FromResult(StubHttpHandler.Json(200, """{"totalSize":0,"done":true,"records":[]}"""));

        var result = await h.Client.QueryAsync("SELECT Id FROM Contact");

        result.TotalSize.Should().Be(0);
        h.Handler.ApiRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task UploadFileAsync_NetworkError_IsNotRetriedAndIsWrapped()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => throw new HttpRequestException("connection reset", null, null);

        var act = () => h.Client.UploadFileAsync(new SalesforceFileUpload("t.txt", "x"u8.ToArray(), null));

        var ex = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        ex.ErrorCode.Should().Be("NETWORK_ERROR");
        ex.IsTransient.Should().BeTrue();
        ex.InnerException.Should().BeOfType<HttpRequestException>();
        h.Handler.ApiRequests.Should().HaveCount(1);
    }

    [Fact]
    public async Task GetLimitsAsync_TransientUntilAttemptsRunOut_ThrowsAfterMaxRetries()
    {
        var h = TransportHarness.Create(o => o.Resilience.MaxRetryAttempts = 2);
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(503, ServerUnavailable));

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        h.Handler.ApiRequests.Should().HaveCount(3);
    }

    [Fact]
    public async Task GetLimitsAsync_PermanentError_IsNotRetried()
    {
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("50")));

        var act = () => h.Client.GetLimitsAsync();

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.ErrorCode.Should().Be("API_DISABLED_FOR_ORG");
        h.Handler.ApiRequests.Should().HaveCount(1);
    }

    [Fact]
    public async Task GetLimitsAsync_ConcurrentRequestLimit_IsRetried()
    {
        var h = TransportHarness.Create();
        var calls = 0;
        h.Api = (_, _) => Task.FromResult(Interlocked.Increment(ref calls) == 1
            ? StubHttpHandler.Json(403, """[{"message":"ConcurrentRequests (Concurrent API Requests) Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""")
            : StubHttpHandler.Json(200, "{}"));

        await h.Client.GetLimitsAsync();

        h.Handler.ApiRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task DailyRequestLimitExceeded_OpensCircuit_CostsOneCallUntilItCloses()
    {
        var h = TransportHarness.Create(o => o.Resilience.RequestLimitBreakDuration = TimeSpan.FromMinutes(10));
        var exhausted = true;
        h.Api = (_, _) => Task.FromResult(exhausted ? Fixtures.Response(Fixtures.Load("36")) : StubHttpHandler.Json(200, "{}"));

        var first = (await FluentActions.Awaiting(() => h.Client.GetLimitsAsync()).Should().ThrowAsync<SalesforceApiException>()).Which;
        first.ErrorCode.Should().Be("REQUEST_LIMIT_EXCEEDED");
        first.IsTransient.Should().BeFalse();

        for (var i = 0; i < 5; i++)
        {
            await FluentActions.Awaiting(() => h.Client.QueryAsync("SELECT Id FROM Contact")).Should().ThrowAsync<SalesforceApiBudgetExceededException>();
        }

        h.Handler.ApiRequests.Should().HaveCount(1, "the daily limit is not retried and, while the circuit is open, nothing is sent");
        h.Usage.IsCircuitOpen.Should().BeTrue();

        h.Time.Advance(TimeSpan.FromMinutes(9));
        await FluentActions.Awaiting(() => h.Client.GetLimitsAsync()).Should().ThrowAsync<SalesforceApiBudgetExceededException>();
        h.Handler.ApiRequests.Should().HaveCount(1);

        exhausted = false;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Client.GetLimitsAsync();
        h.Handler.ApiRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Cancellation_IsNeitherRetriedNorWrapped()
    {
        var h = TransportHarness.Create();
        using var cts = new CancellationTokenSource();
        h.Api = (_, ct) =>
        {
            cts.Cancel();
            ct.ThrowIfCancellationRequested();
            return Task.FromResult(StubHttpHandler.Json(200, "{}"));
        };

        var act = () => h.Client.GetLimitsAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        h.Handler.ApiRequests.Should().HaveCount(1);
    }

    [Fact]
    public async Task AttemptTimeout_OnNonRepeatableRequest_ThrowsTimeoutWithoutRetry()
    {
        var time = new FakeTimeProvider();
        var h = TransportHarness.Create(o => o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(30), time: time);
        await h.Client.GetConnectionAsync(); // token first, so only the upload is in flight
        var entered = new TaskCompletionSource();
        h.Api = async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return StubHttpHandler.Json(200, "{}");
        };

        var upload = h.Client.UploadFileAsync(new SalesforceFileUpload("t.txt", "x"u8.ToArray(), null));
        await entered.Task;
        time.Advance(TimeSpan.FromSeconds(31));

        var ex = (await FluentActions.Awaiting(() => upload).Should().ThrowAsync<SalesforceApiException>()).Which;
        ex.ErrorCode.Should().Be("TIMEOUT");
        ex.IsTransient.Should().BeTrue();
        h.Handler.ApiRequests.Should().HaveCount(1);
    }
}
