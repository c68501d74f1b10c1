using ChatToSalesforce.Tests.Export;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Docs;

#region Snippet:failures-and-queues-1
/// <summary>What the worker needs from a broker.</summary>
public interface IConversationQueue
{
    Task<QueuedConversation?> ReceiveAsync(CancellationToken cancellationToken);
    Task CompleteAsync(QueuedConversation message, CancellationToken cancellationToken);
    Task ScheduleRetryAsync(QueuedConversation message, TimeSpan delay, bool countsAsAttempt, CancellationToken cancellationToken);
    Task ParkAsync(QueuedConversation message, string tenantId, string reason, CancellationToken cancellationToken);
    Task DeadLetterAsync(QueuedConversation message, string reason, CancellationToken cancellationToken);
}

public sealed record QueuedConversation(Conversation Conversation, int DeliveryCount);

public sealed class ExportWorker(IConversationExporter exporter, IConversationQueue queue)
{
    private const int MaxAttempts = 8;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await queue.ReceiveAsync(cancellationToken) is not { } message)
            {
                continue;
            }

            try
            {
                await exporter.ExportAsync(message.Conversation, cancellationToken);
                await queue.CompleteAsync(message, cancellationToken);
            }
            catch (ChatToSalesforceException ex)
            {
                await HandleAsync(message, ex.FailureKind, ex.RetryAfter, ex.Message, cancellationToken);
            }
        }
    }

    private Task HandleAsync(QueuedConversation message, ExportFailureKind kind, TimeSpan? retryAfter, string reason, CancellationToken cancellationToken)
    {
        var tenant = message.Conversation.TenantId ?? "default";
        switch (kind)
        {
            case ExportFailureKind.RetryLater when message.DeliveryCount < MaxAttempts:
                // Back off on the delivery count, starting from the SDK's suggestion, with jitter.
                var delay = (retryAfter ?? TimeSpan.FromMinutes(1)) * Math.Pow(2, message.DeliveryCount - 1);
                delay += TimeSpan.FromSeconds(Random.Shared.Next(0, 30));
                return queue.ScheduleRetryAsync(message, delay, countsAsAttempt: true, cancellationToken);
            case ExportFailureKind.RetryLater:
                return queue.DeadLetterAsync(message, $"retry-later, gave up after {message.DeliveryCount} attempts: {reason}", cancellationToken);
            case ExportFailureKind.WaitForWindow:
                // Not the conversation's fault: wait for the window without using up an attempt.
                return queue.ScheduleRetryAsync(message, retryAfter ?? TimeSpan.FromMinutes(15), countsAsAttempt: false, cancellationToken);
            case ExportFailureKind.Reconnect:
                return queue.ParkAsync(message, tenant, "reconnect: " + reason, cancellationToken);
            case ExportFailureKind.FixConfiguration:
                return queue.ParkAsync(message, tenant, "fix-configuration: " + reason, cancellationToken);
            default: // RejectedData
                return queue.DeadLetterAsync(message, "rejected-data: " + reason, cancellationToken);
        }
    }
}
#endregion

/// <summary>The worker loop of docs/failures-and-queues.md, run against the emulator with an in-memory queue.</summary>
public sealed class FailuresAndQueuesSnippets
{
    [Fact]
    public async Task The_worker_completes_dead_letters_waits_for_the_window_and_parks_as_the_page_says()
    {
        using var org = new SalesforceEmulator();
        org.AddValidationRule("Contact", new EmulatorValidationRule { Name = "NoTest", Message = "Test visitors are not allowed", Field = "LastName", Pattern = "^(?!Test$).*" });
        var time = new FakeTimeProvider(Start);
        using var host = EmulatorExport.Create(org, o => o.Resilience.MaxRetryAttempts = 0, services: s => s.AddSingleton<TimeProvider>(time));
        var queue = new InMemoryQueue(Conversation("ok", "ok@example.com"), Conversation("bad", "bad@example.com", lastName: "Test"));

        await new ExportWorker(host.Exporter, queue).RunAsync(queue.Stopped);

        queue.Log.Should().Equal("complete ok", "dead-letter bad rejected-data");

        // The org's daily allocation runs out: the next conversation waits for the window without using an attempt.
        org.Faults.Add(new FaultRule { Method = "POST", PathContains = "/composite", StatusCode = 403, ErrorCode = "REQUEST_LIMIT_EXCEEDED", Message = "TotalRequests Limit exceeded." });
        var limited = new InMemoryQueue(Conversation("later", "later@example.com"), Conversation("after", "after@example.com"));

        await new ExportWorker(host.Exporter, limited).RunAsync(limited.Stopped);

        limited.Log.Should().Equal("retry later 00:15:00 free", "retry after 00:15:00 free");
    }

    [Fact]
    public async Task A_mapping_the_org_cannot_take_parks_the_conversation_for_a_fix()
    {
        using var org = new SalesforceEmulator();
        using var host = EmulatorExport.Create(org, o => o.FieldMappings.Add(new FieldMapping { Source = "conversation.channel", Target = "Contact.No_Such_Field__c" }));
        var queue = new InMemoryQueue(Conversation("c1", "vera@example.com"));

        await new ExportWorker(host.Exporter, queue).RunAsync(queue.Stopped);

        queue.Log.Should().Equal("park c1 fix-configuration");
    }

    /// <summary>A queue that hands out its messages once, logs what the worker did, and stops the worker when it is empty.</summary>
    private sealed class InMemoryQueue(params Conversation[] conversations) : IConversationQueue
    {
        private readonly Queue<QueuedConversation> _messages = new(conversations.Select(c => new QueuedConversation(c, 1)));
        private readonly CancellationTokenSource _stop = new();

        public CancellationToken Stopped => _stop.Token;

        public List<string> Log { get; } = [];

        public Task<QueuedConversation?> ReceiveAsync(CancellationToken cancellationToken)
        {
            if (_messages.TryDequeue(out var message))
            {
                return Task.FromResult<QueuedConversation?>(message);
            }

            _stop.Cancel();
            return Task.FromResult<QueuedConversation?>(null);
        }

        public Task CompleteAsync(QueuedConversation message, CancellationToken cancellationToken) => Add($"complete {message.Conversation.Id}");

        public Task ScheduleRetryAsync(QueuedConversation message, TimeSpan delay, bool countsAsAttempt, CancellationToken cancellationToken) =>
            Add($"retry {message.Conversation.Id} {delay} {(countsAsAttempt ? "counted" : "free")}");

        public Task ParkAsync(QueuedConversation message, string tenantId, string reason, CancellationToken cancellationToken) =>
            Add($"park {message.Conversation.Id} {reason.Split(':')[0]}");

        public Task DeadLetterAsync(QueuedConversation message, string reason, CancellationToken cancellationToken) =>
            Add($"dead-letter {message.Conversation.Id} {reason.Split(':')[0]}");

        private Task Add(string entry)
        {
            Log.Add(entry);
            return Task.CompletedTask;
        }
    }
}
