using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatToSalesforce.AspNetCore;
using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.AspNetCore.Tests;

/// <summary>
/// A vendor's ASP.NET Core app with the connect endpoints at /salesforce, on TestServer (http://localhost) or on Kestrel at
/// 127.0.0.1 (a real port), and a cluster of orgs: "home" (the start-up org) and "acme" (the tenant to connect), with the
/// vendor's External Client App registered in acme for the app's callback URL. Users sign in with test headers.
/// Every log line the app writes is kept, to prove no secret is logged.
/// </summary>
internal sealed class ConnectHost : IAsyncDisposable
{
    public const string ClientId = "vendor-app";
    public const string ClientSecret = "vendor-secret-5f1c";

    private ConnectHost(SalesforceEmulatorCluster cluster, WebApplication app, Uri baseUrl, LogSink logs)
    {
        Cluster = cluster;
        App = app;
        BaseUrl = baseUrl;
        Logs = logs;
    }

    public SalesforceEmulatorCluster Cluster { get; }

    public SalesforceEmulator Acme => Cluster["acme"];

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public LogSink Logs { get; }

    public InMemorySalesforceTenantStore Store => (InMemorySalesforceTenantStore)App.Services.GetRequiredService<ISalesforceTenantStore>();

    public IConversationExporter Exporter => App.Services.GetRequiredService<IConversationExporter>();

    public static async Task<ConnectHost> StartAsync(Action<SalesforceConnectEndpointOptions>? configure = null, bool kestrel = false, bool autoApprove = true)
    {
        var cluster = new SalesforceEmulatorCluster();
        var home = cluster.AddOrg("home");
        cluster.AddOrg("acme", new SalesforceEmulatorOptions { AutoApproveAuthorization = autoApprove });
        if (kestrel)
        {
            await cluster.StartServerAsync();
        }

        var logs = new LogSink();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        var sdk = builder.Services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = home.InstanceUrl;
            o.AllowTestEndpoint = kestrel; // the served orgs are http://127.0.0.1:port
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = home.IssueAccessToken();
            o.Authentication.ClientId = ClientId; // the vendor's app, which tenants connect through
            o.Authentication.ClientSecret = ClientSecret;
            o.Resilience.BaseDelay = TimeSpan.FromTicks(1);
            o.Resilience.MaxDelay = TimeSpan.FromTicks(1);
        });

        // The SDK reaches every org in process (served orgs by their loopback URL too, identity URLs by org id).
        sdk.HttpClient.ConfigurePrimaryHttpMessageHandler(() => cluster.CreateHandler());
        var store = new InMemorySalesforceTenantStore();
        if (kestrel)
        {
            // The tenant's own settings, kept when it connects: its served org is http://127.0.0.1:port. (The in-memory store
            // builds a connected tenant's settings from these, not from the start-up options.)
            store.Set("acme", new SalesforceChatExportOptions { AllowTestEndpoint = true });
        }

        sdk.UseTenantStore(store);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSalesforceConnect("/salesforce", configure);
        await app.StartAsync();
        var baseUrl = kestrel ? new Uri(app.Urls.Single().TrimEnd('/') + "/") : new Uri("http://localhost/");
        cluster["acme"].RegisterClient(ClientId, [new Uri(baseUrl, "salesforce/callback").ToString()], ClientSecret);
        return new ConnectHost(cluster, app, baseUrl, logs);
    }

    /// <summary>An admin's browser on TestServer: keeps cookies, does not follow redirects; each request may sign in a user.</summary>
    public Browser CreateBrowser() => new(this);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    public static Conversation Chat(string tenant, string id, string email) => new()
    {
        Id = id,
        TenantId = tenant,
        Channel = "web",
        StartedAt = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero),
        EndedAt = new DateTimeOffset(2026, 11, 30, 10, 5, 0, TimeSpan.Zero),
        Visitor = new ChatVisitor { FirstName = "Ada", LastName = "Lovelace", Email = email },
        Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello", SentAt = new DateTimeOffset(2026, 11, 30, 10, 1, 0, TimeSpan.Zero) }],
    };

    internal sealed class Browser : IDisposable
    {
        private readonly ConnectHost _host;
        private readonly HttpClient _app;
        private readonly HttpClient _salesforce;

        public Browser(ConnectHost host)
        {
            _host = host;
            _app = new HttpClient(new CookieHandler(Cookies, host.App.GetTestServer().CreateHandler())) { BaseAddress = host.BaseUrl };
            _salesforce = new HttpClient(host.Cluster.CreateHandler());
        }

        public CookieContainer Cookies { get; } = new();

        public async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? user = null, string? tenant = null)
        {
            using var request = Request(HttpMethod.Get, pathAndQuery, user, tenant);
            return await _app.SendAsync(request);
        }

        public async Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form, string? user = null, string? tenant = null)
        {
            using var request = Request(HttpMethod.Post, path, user, tenant);
            request.Content = new FormUrlEncodedContent(form);
            return await _app.SendAsync(request);
        }

        /// <summary>What the browser does at Salesforce with auto-approve: follow the authorization URL to the callback redirect.</summary>
        public async Task<Uri> AuthorizeAsync(Uri authorizationUrl)
        {
            using var response = await _salesforce.GetAsync(authorizationUrl);
            response.StatusCode.Should().Be(HttpStatusCode.Found, await response.Content.ReadAsStringAsync());
            var callback = response.Headers.Location!;
            callback.GetLeftPart(UriPartial.Path).Should().Be(new Uri(_host.BaseUrl, "salesforce/callback").ToString());
            return callback;
        }

        public void Dispose()
        {
            _app.Dispose();
            _salesforce.Dispose();
        }

        private static HttpRequestMessage Request(HttpMethod method, string pathAndQuery, string? user, string? tenant)
        {
            var request = new HttpRequestMessage(method, pathAndQuery);
            if (user is not null)
            {
                request.Headers.Add(HeaderAuthentication.UserHeader, user);
            }

            if (tenant is not null)
            {
                request.Headers.Add(HeaderAuthentication.TenantHeader, tenant);
            }

            return request;
        }
    }

    private sealed class CookieHandler(CookieContainer cookies, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                foreach (var value in values)
                {
                    cookies.SetCookies(request.RequestUri!, value);
                }
            }

            return response;
        }
    }
}

/// <summary>Signs a request in from test headers: X-Test-User (the name) and X-Test-Tenant (a "tenant" claim).</summary>
internal sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeaders";
    public const string UserHeader = "X-Test-User";
    public const string TenantHeader = "X-Test-Tenant";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[UserHeader].ToString() is not { Length: > 0 } user)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        if (Request.Headers[TenantHeader].ToString() is { Length: > 0 } tenant)
        {
            claims.Add(new Claim("tenant", tenant));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }
}

/// <summary>Keeps every formatted log line (with its exception) the app writes.</summary>
internal sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
