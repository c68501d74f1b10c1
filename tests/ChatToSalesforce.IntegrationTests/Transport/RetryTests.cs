using System.Net;
using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>Issue #4: what the transport retries (only what is safe to repeat) against injected faults.</summary>
public sealed class RetryTests
{
    private const string ConversationIdField = "Chat_Conversation_Id__c";

    [Fact]
    public async Task TransientFailureOfTheWriteComposite_IsNotRetried_AndCreatesNothing()
    {
        await using var host = EmulatorHost.Create();
        await WarmUpAsync(host); // caches describes: the next export reads with a plain GET query, so the first composite is the write
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 1, StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });

        var act = () => host.Exporter.ExportAsync(Chats.New());

        var error = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        error.ErrorCode.Should().Be("SERVER_UNAVAILABLE");
        host.Emulator.Composites().Should().ContainSingle("a composite with POST creates is never repeated").Which.FaultInjected.Should().BeTrue();
        ContactsWithEmail(host, "ada@example.com").Should().Be(0);

        // The host's queue runs the export again later: exactly one Contact and one Task.
        var again = await host.Exporter.ExportAsync(Chats.New());

        again.Status.Should().Be(ExportStatus.Exported);
        ContactsWithEmail(host, "ada@example.com").Should().Be(1);
        TasksOf(host, again.Person!.Id).Should().Be(1);
    }

    [Fact]
    public async Task WriteCommittedButResponseLost_ExportThrows_AndReExportWithConversationIdFieldConvergesToOneTask()
    {
        await using var host = EmulatorHost.Create(
            o => o.ConversationIdField = ConversationIdField,
            seed: e => e.DefineField("Task", new EmulatorField { Name = ConversationIdField, ExternalId = true, Unique = true }));
        await WarmUpAsync(host);
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 1, AfterCommit = true });

        var act = () => host.Exporter.ExportAsync(Chats.New());

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.IsTransient.Should().BeTrue();
        host.Emulator.Composites().Should().ContainSingle("the write contains a POST (the new Contact): not repeated");
        ContactsWithEmail(host, "ada@example.com").Should().Be(1, "the write took effect; only the answer was lost");
        var contactId = host.Emulator.Records("Contact").Single(c => c["Email"]?.GetValue<string>() == "ada@example.com")["Id"]!.GetValue<string>();
        TasksOf(host, contactId).Should().Be(1);

        var again = await host.Exporter.ExportAsync(Chats.New());

        again.Status.Should().Be(ExportStatus.Exported);
        again.Person.Should().Be(new SalesforceRecordRef("Contact", contactId, RecordChange.Unchanged));
        again.Activity!.Change.Should().Be(RecordChange.Updated, "the Task is upserted on the conversation id");
        ContactsWithEmail(host, "ada@example.com").Should().Be(1);
        TasksOf(host, contactId).Should().Be(1);
        host.Emulator.Records("Task").Count(t => t[ConversationIdField]?.GetValue<string>() == "chat-1").Should().Be(1);
    }

    [Fact]
    public async Task TransientFailuresOfTheReadComposite_AreRetried_AndTheExportSucceeds()
    {
        await using var host = EmulatorHost.Create();
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 2, StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        var composites = host.Emulator.Composites();
        composites.Should().HaveCount(4, "two failed attempts of the read composite, its successful retry, then the write");
        composites.Take(2).Should().OnlyContain(r => r.FaultInjected && r.StatusCode == 503);
        composites[2].Subrequests.Should().NotBeEmpty().And.OnlyContain(s => s.Method == "GET");
        composites[3].Subrequests.Should().Contain(s => s.Method == "POST");
        host.Emulator.Records("Task").Should().ContainSingle();
    }

    [Fact]
    public async Task UnableToLockRowOnAGet_IsRetried_AndTheExportSucceeds()
    {
        await using var host = EmulatorHost.Create();
        await WarmUpAsync(host); // the next export's read is a single GET /query
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule
        {
            Method = "GET", PathContains = "/query", Times = 1, StatusCode = 400, ErrorCode = "UNABLE_TO_LOCK_ROW",
            Message = "unable to obtain exclusive access to this record",
        });

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        var queries = host.Emulator.RequestLog.Where(r => r.Method == "GET" && r.Path.Contains("/query", StringComparison.Ordinal)).ToList();
        queries.Should().HaveCount(2);
        queries[0].ErrorCode.Should().Be("UNABLE_TO_LOCK_ROW");
        queries[1].StatusCode.Should().Be(200);
        ContactsWithEmail(host, "ada@example.com").Should().Be(1);
    }

    [Fact]
    public async Task PermanentErrorOnAGet_IsNotRetried()
    {
        await using var host = EmulatorHost.Create();
        await WarmUpAsync(host);
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule { Method = "GET", PathContains = "/query", Times = 1, StatusCode = 400, ErrorCode = "INVALID_FIELD", Message = "No such column" });

        var act = () => host.Exporter.ExportAsync(Chats.New());

        var error = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.ErrorCode.Should().Be("INVALID_FIELD");
        host.Emulator.RequestLog.Should().ContainSingle();
    }

    private static async Task WarmUpAsync(EmulatorHost host) =>
        (await host.Exporter.ExportAsync(Chats.New(id: "warm-up", email: "warm@example.com", name: "Warm Up"))).Status.Should().Be(ExportStatus.Exported);

    private static int ContactsWithEmail(EmulatorHost host, string email) =>
        host.Emulator.Records("Contact").Count(c => string.Equals(c["Email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase));

    private static int TasksOf(EmulatorHost host, string whoId) =>
        host.Emulator.Records("Task").Count(t => t["WhoId"]?.GetValue<string>() == whoId);
}
