namespace ChatToSalesforce.Testing.Tests;

public sealed class FaultTests
{
    private const string V = "/services/data/v62.0";

    [Fact]
    public async Task Rule_fails_the_next_matching_requests_only()
    {
        using var org = new Org();
        org.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/sobjects/Contact", Times = 2, StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });

        (await org.Query("SELECT Id FROM Contact")).Status.Should().Be(200, "a GET does not match");
        var first = await org.Post($"{V}/sobjects/Contact", new { LastName = "A" });
        first.Status.Should().Be(503);
        first.ErrorCode.Should().Be("SERVER_UNAVAILABLE");
        (await org.Post($"{V}/sobjects/Contact", new { LastName = "A" })).Status.Should().Be(503);
        (await org.Post($"{V}/sobjects/Contact", new { LastName = "A" })).Status.Should().Be(201);
        org.Emulator.Records("Contact").Should().HaveCount(1, "failed requests wrote nothing");
        org.Emulator.Faults.Pending.Should().Be(0);
        org.Emulator.RequestLog.Count(r => r.FaultInjected).Should().Be(2);
    }

    [Fact]
    public async Task After_commit_fault_applies_the_write_but_loses_the_answer()
    {
        using var org = new Org();
        org.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE", AfterCommit = true });

        var reply = await org.Post($"{V}/composite/sobjects", new System.Text.Json.Nodes.JsonObject
        {
            ["records"] = new System.Text.Json.Nodes.JsonArray { new System.Text.Json.Nodes.JsonObject { ["attributes"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "Contact" }, ["LastName"] = "Committed" } },
        });

        reply.Status.Should().Be(503);
        org.Emulator.Records("Contact").Should().ContainSingle(c => (string)c["LastName"]! == "Committed");
    }

    [Fact]
    public async Task Random_failures_are_reproducible_with_a_seed()
    {
        async Task<List<int>> Run()
        {
            using var org = new Org();
            org.Emulator.Faults.SetFailureRate(0.5, seed: 42);
            var statuses = new List<int>();
            for (var i = 0; i < 20; i++)
            {
                statuses.Add((await org.Get($"{V}/limits")).Status);
            }

            return statuses;
        }

        var a = await Run();
        var b = await Run();
        a.Should().Equal(b);
        a.Should().Contain(503).And.Contain(200);
    }

    [Fact]
    public async Task Latency_honors_cancellation()
    {
        using var org = new Org();
        org.Emulator.Latency = TimeSpan.FromMinutes(10);
        using var cts = new CancellationTokenSource();
        var pending = org.Http.GetAsync($"{V}/limits", cts.Token);
        await cts.CancelAsync();
        var act = async () => await pending;
        await act.Should().ThrowAsync<OperationCanceledException>();
        org.Emulator.RequestLog.Should().BeEmpty();
    }

    [Fact]
    public async Task Request_log_keeps_the_most_recent_entries()
    {
        using var org = new Org(new SalesforceEmulatorOptions { RequestLogCapacity = 3 });
        for (var i = 0; i < 5; i++)
        {
            await org.Get($"{V}/limits?n={i}");
        }

        org.Emulator.RequestLog.Select(r => r.Path).Should().Equal($"{V}/limits?n=2", $"{V}/limits?n=3", $"{V}/limits?n=4");
        org.Emulator.RequestLog.Should().OnlyContain(r => r.CountedAsApiCall && r.Headers["Authorization"] == "(redacted)");
        org.Emulator.ClearRequestLog();
        org.Emulator.RequestLog.Should().BeEmpty();
    }
}
