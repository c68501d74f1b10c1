using System.Collections.Concurrent;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class TransportLoggingTests
{
    [Fact]
    public async Task Logs_OfRotationRenewalRetriesAndErrors_NeverContainSecretsTokensOrSoqlLiterals()
    {
        var logs = new CapturingLoggerProvider();
        var tokens = 0;
        var calls = 0;
        var handler = new StubHttpHandler((r, _) => Task.FromResult(r.IsToken
            ? StubHttpHandler.Json(200, TransportHarness.TokenBody($"access-{Interlocked.Increment(ref tokens)}-secret", refreshToken: $"refresh-{tokens + 1}-secret"))
            : Interlocked.Increment(ref calls) switch
            {
                1 => StubHttpHandler.Json(401, """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"""),
                2 => StubHttpHandler.Json(503, """[{"message":"Server Unavailable","errorCode":"SERVER_UNAVAILABLE"}]"""),
                3 => StubHttpHandler.Json(200, """{"totalSize":0,"done":true,"records":[]}"""),
                _ => StubHttpHandler.Json(400, """[{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}]"""),
            }));
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri(TransportHarness.Instance);
            o.Authentication = new SalesforceAuthenticationOptions { Flow = SalesforceAuthFlow.RefreshToken, ClientId = "client", ClientSecret = "client-secret-value", RefreshToken = "refresh-1-secret" };
            o.Resilience.BaseDelay = TimeSpan.Zero;
            o.Resilience.MaxDelay = TimeSpan.Zero;
        }).HttpClient.ConfigurePrimaryHttpMessageHandler(() => handler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<ISalesforceClient>();

        await client.QueryAsync("SELECT Id FROM Contact WHERE Email = " + Soql.Quote("visitor-literal@example.com"));
        await FluentActions.Awaiting(() => client.GetLimitsAsync()).Should().ThrowAsync<SalesforceApiException>();

        var text = string.Join("\n", logs.Messages);
        text.Should().Contain("INVALID_SESSION_ID").And.Contain("SERVER_UNAVAILABLE").And.Contain("REQUIRED_FIELD_MISSING").And.Contain("rotated");
        text.Should().NotContain("-secret").And.NotContain("client-secret-value").And.NotContain("visitor-literal");
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Messages.Enqueue($"{eventId.Id} {formatter(state, exception)} {exception?.Message}");
        }
    }
}
