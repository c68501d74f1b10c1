using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.Resilience.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Tests.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>A recorded request (the body is read before the request is disposed).</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body, string? ContentType)
{
    public bool IsToken => Uri.AbsolutePath == "/services/oauth2/token";

    public string? Form(string key)
    {
        foreach (var pair in (Body ?? string.Empty).Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && Uri.UnescapeDataString(pair[..eq]) == key)
            {
                return Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>An <see cref="HttpMessageHandler"/> that answers from a function and records every request.</summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> _respond;

    public StubHttpHandler(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IReadOnlyList<RecordedRequest> TokenRequests => Requests.Where(r => r.IsToken).ToList();

    public IReadOnlyList<RecordedRequest> ApiRequests => Requests.Where(r => !r.IsToken).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body, request.Content?.Headers.ContentType?.ToString());
        Requests.Enqueue(recorded);
        var response = await _respond(recorded, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Json(int status, string? json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpResponseMessage Json(int status, JsonNode? json, params (string Name, string Value)[] headers) =>
        Json(status, json?.ToJsonString(), headers);
}

/// <summary>Builds the default transport around a stub handler, without the rest of the SDK.</summary>
internal sealed class TransportHarness
{
    public const string OrgId = "00Dxx0000001gPL";
    public const string UserId = "005xx000001Sv6e";
    public const string Instance = "https://acme.my.salesforce.com";
    public const string ClientSecret = "s3cr3t-client-secret";

    private int _tokenCount;

    private TransportHarness(SalesforceChatExportOptions options, FakeTimeProvider time, StubHttpHandler handler, IServiceProvider services)
    {
        Options = options;
        Time = time;
        Handler = handler;
        var monitor = new StaticOptionsMonitor(options);
        var factory = new StubHttpClientFactory(handler);
        Pipelines = new SalesforceResiliencePipelines(Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<SalesforceResiliencePipelines>.Instance);
        Usage = new ApiUsageTracker(time, monitor);
        Authenticator = new SalesforceAuthenticator(factory, monitor, Pipelines, time, NullLogger<SalesforceAuthenticator>.Instance, services);
        Client = new SalesforceRestClient(factory, Microsoft.Extensions.Options.Options.Create(options), Authenticator, Pipelines, Usage, NullLogger<SalesforceRestClient>.Instance);
    }

    public SalesforceChatExportOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public StubHttpHandler Handler { get; }

    public SalesforceResiliencePipelines Pipelines { get; }

    public ApiUsageTracker Usage { get; }

    public SalesforceAuthenticator Authenticator { get; }

    public SalesforceRestClient Client { get; }

    /// <summary>Answers API requests; by default 200 <c>{}</c>.</summary>
    public Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> Api { get; set; } =
        (_, _) => Task.FromResult(StubHttpHandler.Json(200, "{}"));

    /// <summary>Answers token requests; by default a new token <c>tok-N</c> each time.</summary>
    public Func<RecordedRequest, int, HttpResponseMessage> Token { get; set; } = (_, n) => StubHttpHandler.Json(200, TokenBody($"tok-{n}"));

    public static string TokenBody(string accessToken, string? refreshToken = null, string instance = Instance) =>
        new JsonObject
        {
            ["access_token"] = accessToken,
            ["instance_url"] = instance,
            ["id"] = $"https://login.salesforce.com/id/{OrgId}/{UserId}",
            ["token_type"] = "Bearer",
            ["issued_at"] = "1700000000000",
            ["refresh_token"] = refreshToken,
        }.ToJsonString();

    public static TransportHarness Create(
        Action<SalesforceChatExportOptions>? configure = null,
        ISalesforceTokenProvider? tokenProvider = null,
        ISalesforceRefreshTokenStore? refreshTokenStore = null,
        FakeTimeProvider? time = null,
        ISharedTokenCoordinator? sharedTokens = null)
    {
        var options = new SalesforceChatExportOptions
        {
            InstanceUrl = new Uri(Instance),
            ApiVersion = "62.0",
            Authentication = new SalesforceAuthenticationOptions
            {
                Flow = SalesforceAuthFlow.ClientCredentials,
                ClientId = "3MVG9-consumer-key",
                ClientSecret = ClientSecret,
            },
            Resilience = new SalesforceResilienceOptions
            {
                MaxRetryAttempts = 3,
                BaseDelay = TimeSpan.Zero,
                MaxDelay = TimeSpan.Zero,
            },
        };
        configure?.Invoke(options);

        var services = new ServiceCollection();
        if (tokenProvider is not null)
        {
            services.AddSingleton(tokenProvider);
        }

        if (refreshTokenStore is not null)
        {
            services.AddSingleton(refreshTokenStore);
        }

        if (sharedTokens is not null)
        {
            services.AddSingleton(sharedTokens);
        }

        TransportHarness? harness = null;
        var handler = new StubHttpHandler((request, ct) => request.IsToken
            ? Task.FromResult(harness!.Token(request, Interlocked.Increment(ref harness._tokenCount)))
            : harness!.Api(request, ct));
        harness = new TransportHarness(options, time ?? new FakeTimeProvider(), handler, services.BuildServiceProvider());
        return harness;
    }

    private sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private sealed class StaticOptionsMonitor(SalesforceChatExportOptions value) : IOptionsMonitor<SalesforceChatExportOptions>
    {
        public SalesforceChatExportOptions CurrentValue => value;

        public SalesforceChatExportOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SalesforceChatExportOptions, string?> listener) => null;
    }
}

/// <summary>Reads the shared Salesforce fixtures copied to <c>Fixtures/</c>.</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static IEnumerable<string> All() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!
            : [];

    public static JsonObject Load(string fileOrNumber)
    {
        var name = fileOrNumber.EndsWith(".json", StringComparison.Ordinal)
            ? fileOrNumber
            : System.IO.Directory.GetFiles(Directory, fileOrNumber + "-*.json").Select(Path.GetFileName).Single()!;
        return (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, name)))!;
    }

    public static int Status(JsonObject fixture, int fallback = 400) =>
        fixture["response"]!["status"] is JsonValue v && v.TryGetValue<int>(out var s) ? s : fallback;

    public static JsonNode? Body(JsonObject fixture) => fixture["response"]!["body"]?.DeepClone();

    public static HttpResponseMessage Response(JsonObject fixture, int fallbackStatus = 400)
    {
        var headers = fixture["response"]!["headers"] is JsonObject h
            ? h.Where(p => !p.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase) && !p.Key.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
                           && !p.Key.Equals("expires", StringComparison.OrdinalIgnoreCase) && !p.Key.Equals("last-modified", StringComparison.OrdinalIgnoreCase))
                .Select(p => (p.Key, p.Value!.GetValue<string>())).ToArray()
            : [];
        return StubHttpHandler.Json(Status(fixture, fallbackStatus), Body(fixture), headers);
    }
}
