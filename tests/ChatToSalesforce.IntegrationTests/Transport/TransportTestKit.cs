using System.Collections.Concurrent;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>A clock the test moves by hand (timers still run on the system clock).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>An <see cref="ISalesforceRefreshTokenStore"/> that remembers what it was given.</summary>
internal sealed class RecordingRefreshTokenStore(string? initial = null) : ISalesforceRefreshTokenStore
{
    public ConcurrentQueue<string> Saved { get; } = new();

    public int Loads { get; private set; }

    public ValueTask<string?> LoadRefreshTokenAsync(CancellationToken cancellationToken)
    {
        Loads++;
        return ValueTask.FromResult(initial);
    }

    public ValueTask SaveRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken)
    {
        Saved.Enqueue(refreshToken);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A host token provider that gets sessions from the emulator directly (as a vault or broker would).</summary>
internal sealed class EmulatorTokenProvider(SalesforceEmulator emulator) : ISalesforceTokenProvider
{
    public ConcurrentQueue<bool> Calls { get; } = new();

    public ValueTask<SalesforceAccessToken> GetTokenAsync(SalesforceTokenContext context, CancellationToken cancellationToken)
    {
        Calls.Enqueue(context.ForceRefresh);
        var identity = new Uri($"https://login.salesforce.com/id/{emulator.OrganizationId}/{emulator.IntegrationUserId}");
        return ValueTask.FromResult(new SalesforceAccessToken(emulator.IssueAccessToken(), emulator.InstanceUrl, identity));
    }
}

internal static class RequestLogExtensions
{
    public static int TokenRequests(this SalesforceEmulator emulator) =>
        emulator.RequestLog.Count(r => r.Method == "POST" && r.Path.StartsWith("/services/oauth2/token", StringComparison.Ordinal));

    public static IReadOnlyList<EmulatorRequest> Composites(this SalesforceEmulator emulator) =>
        emulator.RequestLog.Where(r => r.Method == "POST" && r.Path.EndsWith("/composite", StringComparison.Ordinal)).ToList();
}
