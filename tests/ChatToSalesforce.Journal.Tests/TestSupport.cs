using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using ChatToSalesforce.Journal.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Journal.Tests;

/// <summary>An exporter whose outcome per conversation the test decides (the journal only sees the interface).</summary>
internal sealed class StubExporter : IConversationExporter
{
    public Func<Conversation, ConversationExportResult> Outcome { get; set; } = Exported;

    public ConcurrentQueue<string> Calls { get; } = new();

    public static ConversationExportResult Exported(Conversation c) => new()
    {
        ConversationId = c.Id,
        Status = ExportStatus.Exported,
        Person = new SalesforceRecordRef("Contact", "003000000000001AAA", RecordChange.Created),
        Activity = new SalesforceRecordRef("Task", "00T000000000001AAA", RecordChange.Created),
        Files = [new SalesforceRecordRef("ContentVersion", "068000000000001AAA", RecordChange.Created)],
    };

    public static Func<Conversation, ConversationExportResult> Throwing(Exception e) => _ => throw e;

    public Task<ConversationExportResult> ExportAsync(Conversation conversation, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(conversation.Id);
        return Task.FromResult(Outcome(conversation));
    }

    public Task<ConversationExportResult> ExportAsync(Conversation conversation, ConversationExportChoices choices, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(conversation.Id + " with " + choices.Mode);
        return Task.FromResult(Outcome(conversation));
    }

    public async IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IEnumerable<Conversation> conversations, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var c in conversations)
        {
            yield return Run(c);
        }
    }

    public async IAsyncEnumerable<ConversationExportResult> ExportManyAsync(IAsyncEnumerable<Conversation> conversations, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var c in conversations.WithCancellation(cancellationToken))
        {
            yield return Run(c);
        }
    }

    private ConversationExportResult Run(Conversation? c)
    {
        // As the SDK does: a null item fails and an item without id is skipped, both with an empty conversation id.
        if (c is null)
        {
            return ConversationExportResult.Failed(string.Empty, new ArgumentNullException(nameof(c)));
        }

        if (c.Id.Length == 0)
        {
            return ConversationExportResult.Skipped(string.Empty, "no id");
        }

        Calls.Enqueue(c.Id);
        try
        {
            return Outcome(c);
        }
        catch (Exception e)
        {
            return ConversationExportResult.Failed(c.Id, e);
        }
    }
}

internal static class Errors
{
    public static SalesforceApiException InvalidField() => new(HttpStatusCode.BadRequest, "INVALID_FIELD", "Creating Contact: HTTP 400 INVALID_FIELD.", ["Student_Type__c"]);

    public static SalesforceApiException Validation() => new(HttpStatusCode.BadRequest, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Creating Contact: HTTP 400.") { SalesforceMessage = "Phone 555-0100 is not allowed" };

    public static SalesforceApiException Unavailable() => new(HttpStatusCode.ServiceUnavailable, "SERVER_UNAVAILABLE", "HTTP 503.", isTransient: true);
}

/// <summary>A host with a stub exporter and a journal; owns a temp folder for SQLite files.</summary>
internal sealed class JournalHost : IAsyncDisposable
{
    private JournalHost(ServiceProvider services, StubExporter stub, string folder, LogSink logs)
    {
        Services = services;
        Stub = stub;
        Folder = folder;
        Logs = logs;
    }

    public ServiceProvider Services { get; }

    public StubExporter Stub { get; }

    public string Folder { get; }

    public LogSink Logs { get; }

    public IConversationExporter Exporter => Services.GetRequiredService<IConversationExporter>();

    public IExportJournal Journal => Services.GetRequiredService<IExportJournal>();

    internal JournalRecorder Recorder => Services.GetRequiredService<JournalRecorder>();

    public static JournalHost Create(Action<ExportJournalOptions, string> journal, FakeTimeProvider? time = null, StubExporter? stub = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "chat2sf-journal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        stub ??= new StubExporter();
        var logs = new LogSink();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var builder = services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://example.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "unused";
        });
        services.Replace(ServiceDescriptor.Singleton<IConversationExporter>(stub));
        builder.AddExportJournal(o => journal(o, folder));
        return new JournalHost(services.BuildServiceProvider(), stub, folder, logs);
    }

    public static JournalHost Sqlite(Action<ExportJournalOptions>? configure = null, FakeTimeProvider? time = null) =>
        Create((o, folder) =>
        {
            o.UseSqlite($"Data Source={Path.Combine(folder, "journal.db")}");
            configure?.Invoke(o);
        }, time);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Chats
{
    public static Conversation New(string id, string? tenant = null, string text = "My card is 4111 1111 1111 1111") => new()
    {
        Id = id,
        TenantId = tenant,
        StartedAt = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero),
        Visitor = new ChatVisitor { LastName = "Lovelace", Email = "ada@example.com" },
        Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = text, SentAt = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero) }],
        Attachments = [new ChatAttachment { FileName = "a.txt", Content = new byte[] { 1, 2, 3 } }],
        CustomFields = new Dictionary<string, string?> { ["Student Type"] = "Future Student" },
    };
}

internal sealed record LogEntry(EventId EventId, LogLevel Level, string Message);

internal sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Entries.Enqueue(new LogEntry(eventId, logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}

/// <summary>Collects the measurements of one meter instance (never another test's).</summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeterRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            Measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public ConcurrentQueue<(string Name, long Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

    public long Sum(string name) => Measurements.Where(m => m.Name == name).Sum(m => m.Value);

    public long Observe(string name)
    {
        _listener.RecordObservableInstruments();
        return Measurements.LastOrDefault(m => m.Name == name).Value;
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>A store that can be broken and repaired: a full disk, as SQLite reports it.</summary>
internal sealed class BreakableStore(IJournalStore inner) : IJournalStore
{
    public bool Broken { get; set; }

    public int Writes { get; private set; }

    public string Description => inner.Description;

    /// <summary>Gets or sets whether the next write waits for <see cref="Release"/> and then fails as a busy database (a write in flight that fails).</summary>
    public bool GateNextWrite { get; set; }

    /// <summary>Gets the signal that the gated write is in flight.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the signal that lets the gated write fail.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task WriteAsync(IReadOnlyList<JournalRecord> records, CancellationToken cancellationToken)
    {
        Writes++;
        if (GateNextWrite)
        {
            GateNextWrite = false;
            Entered.SetResult();
            await Release.Task;
            throw new SqliteException("database is locked", 5);
        }

        if (Broken)
        {
            throw new SqliteException("database or disk is full", 13);
        }

        await inner.WriteAsync(records, cancellationToken);
    }

    public Task<IReadOnlyList<JournalFailureCount>> CountFailuresAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.CountFailuresAsync(now, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> GetFailuresAsync(JournalQuery query, DateTimeOffset now, CancellationToken cancellationToken) => inner.GetFailuresAsync(query, now, cancellationToken);

    public Task<JournalEntry?> FindAsync(string tenantKey, string conversationId, DateTimeOffset now, CancellationToken cancellationToken) => inner.FindAsync(tenantKey, conversationId, now, cancellationToken);

    public Task<IReadOnlyList<ClaimedConversation>> ClaimForReplayAsync(JournalQuery query, string run, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken) =>
        inner.ClaimForReplayAsync(query, run, now, claimUntil, limit, cancellationToken);

    public Task<int> DeleteAsync(string tenantKey, IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken) => inner.DeleteAsync(tenantKey, conversationIds, cancellationToken);

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.PurgeExpiredAsync(now, cancellationToken);

    public string Classify(Exception error) => inner.Classify(error);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
