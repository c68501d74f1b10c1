using System.Collections.Concurrent;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>Every log line (message, and exception with its inner ones), to prove that no secret is logged.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, EventId Id, string Text)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public bool Any(int eventId) => Entries.Any(e => e.Id.Id == eventId);

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => p.Key + "=" + p.Value)) : string.Empty;
            owner.Entries.Enqueue((category, eventId, formatter(state, exception) + " " + structured + " " + exception));
        }
    }
}

internal static class Orgs
{
    /// <summary>An in-process org with Refresh Token Rotation on.</summary>
    public static SalesforceEmulator Rotating() =>
        new(new SalesforceEmulatorOptions { InstanceUrl = new Uri("https://acme.my.salesforce.com"), RefreshTokenRotation = true, RequestLogCapacity = 100_000 });

    public static IReadOnlyList<EmulatorRequest> TokenRequests(this SalesforceEmulator org) =>
        org.RequestLog.Where(r => r.Path.EndsWith("/services/oauth2/token", StringComparison.Ordinal)).ToList();
}
