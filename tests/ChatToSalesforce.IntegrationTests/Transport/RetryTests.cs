using System.Net;
using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>Issue #4: what the transport retries (only what is safe to repeat) against injected faults.</summary>
public sealed class RetryTests
{
    private const string ConversationIdField = "Chat_Conversation_Id__c";

    [Fact]
    public async Task ServerUnavailableOnTheWrite_AnsweredBeforeProcessing_IsResent_AndCreatesOnce()
    {
        await using var host = EmulatorHost.Create();
        await WarmUpAsync(host);
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite/graph", Times = 1, StatusCode = 503, ErrorCode = "SERVER_UNAVAILABLE" });

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        var writes = host.Emulator.RequestLog.Where(r => r.Path.EndsWith("/composite/graph", StringComparison.Ordinal)).ToList();
        writes.Should().HaveCount(2, "a 503 means Salesforce processed nothing, so the write is sent again");
        writes[0].FaultInjected.Should().BeTrue();
        ContactsWithEmail(host, "ada@example.com").Should().Be(1);
        TasksOf(host, result.Person!.Id).Should().Be(1);
    }

    [Fact]
    public async Task UnableToLockRowInsideTheWrite_RolledBack_IsResent_AndCreatesOnce()
    {
        await using var host = EmulatorHost.Create();
        await WarmUpAsync(host);
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite/graph", Times = 1, StatusCode = 400, ErrorCode = "UNABLE_TO_LOCK_ROW", Message = "unable to obtain exclusive access to this record" });

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        host.Emulator.RequestLog.Count(r => r.Path.EndsWith("/composite/graph", StringComparison.Ordinal)).Should().Be(2, "Salesforce rolled the write back, so resending it is safe");
        ContactsWithEmail(host, "ada@example.com").Should().Be(1);
        TasksOf(host, result.Person!.Id).Should().Be(1);
    }

    [Fact]
    public async Task WriteCommittedButResponseLost_ExportThrows_AndReExportWithConversationIdFieldConvergesToOneTask()
    {
        await using var host = EmulatorHost.Create(
            o => o.ConversationIdField = ConversationIdField,
            seed: e => e.DefineField("Task", new EmulatorField { Name = ConversationIdField, ExternalId = true, Unique = true }));
        await WarmUpAsync(host);
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite/graph", Times = 1, AfterCommit = true, StatusCode = 502, ErrorCode = "BAD_GATEWAY" });

        var act = () => host.Exporter.ExportAsync(Chats.New());

        (await act.Should().ThrowAsync<SalesforceApiException>()).Which.IsTransient.Should().BeTrue();
        host.Emulator.RequestLog.Should().ContainSingle(r => r.Path.EndsWith("/composite/graph", StringComparison.Ordinal), "the outcome of the write is unknown: it is never resent blindly");
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
        composites.Should().HaveCount(3, "two failed attempts of the read composite and its successful retry");
        composites.Take(2).Should().OnlyContain(r => r.FaultInjected && r.StatusCode == 503);
        composites[2].Subrequests.Should().NotBeEmpty().And.OnlyContain(s => s.Method == "GET");
        host.Emulator.RequestLog.Should().ContainSingle(r => r.Path.EndsWith("/composite/graph", StringComparison.Ordinal), "then the write");
        host.Emulator.Records("Task").Should().ContainSingle();
    }

    [Fact]
    public async Task UnableToLockRowOnAGet_IsRetried_AndTheExportSucceeds()
    {
        await using var host = EmulatorHost.Create();
        await WarmUpAsync(host); // the next export's read is one /composite of GET subrequests (retry-safe)
        host.Emulator.ClearRequestLog();
        host.Emulator.Faults.Add(new FaultRule
        {
            Method = "POST", PathContains = "/composite", Times = 1, StatusCode = 400, ErrorCode = "UNABLE_TO_LOCK_ROW",
            Message = "unable to obtain exclusive access to this record",
        });

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        var queries = host.Emulator.Composites().ToList();
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
        host.Emulator.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", Times = 1, StatusCode = 400, ErrorCode = "INVALID_FIELD", Message = "No such column" });

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
