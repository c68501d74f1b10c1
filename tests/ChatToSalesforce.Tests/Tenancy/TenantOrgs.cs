using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Tenancy.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatToSalesforce.Tests.Tenancy;

/// <summary>
/// One exporter serving several in-process orgs: the org configured at start-up ("home", access-token flow) and store
/// tenants, each its own emulator at https://{name}.my.salesforce.com connected with its own refresh token.
/// </summary>
internal sealed class TenantOrgs : IDisposable
{
    private readonly Dictionary<string, SalesforceEmulator> _orgs = new(StringComparer.OrdinalIgnoreCase);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<HttpRequestMessage, Task>> _gates = new(StringComparer.OrdinalIgnoreCase);
    private ServiceProvider? _services;

    public TenantOrgs(params string[] tenants)
    {
        Home = Add("home");
        foreach (var tenant in tenants)
        {
            var org = Add(tenant);
            Store.Set(tenant, Settings(org));
        }
    }

    public SalesforceEmulator Home { get; }

    public InMemorySalesforceTenantStore Store { get; } = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public Action<SalesforceTenancyOptions>? Tenancy { get; init; }

    /// <summary>Answers a request in place of the orgs when it returns a response (a broken answer, for example).</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Answer { get; set; }

    /// <summary>The host's store: the in-memory one, unless a test replaces it (a throwing store, for example).</summary>
    public ISalesforceTenantStore? StoreOverride { get; init; }

    public IServiceProvider Services => _services ??= Build();

    public IConversationExporter Exporter => Services.GetRequiredService<IConversationExporter>();

    internal TenantRegistry Registry => Services.GetRequiredService<TenantRegistry>();

    public SalesforceEmulator this[string name] => _orgs[name];

    public static Conversation Chat(string? tenant, string id, string email, string lastName = "Lovelace") => new()
    {
        Id = id,
        TenantId = tenant,
        Channel = "web",
        StartedAt = DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        EndedAt = DateTimeOffset.Parse("2026-11-30T10:05:00Z", System.Globalization.CultureInfo.InvariantCulture),
        Visitor = new ChatVisitor { FirstName = "Ada", LastName = lastName, Email = email },
        Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello", SentAt = DateTimeOffset.Parse("2026-11-30T10:01:00Z", System.Globalization.CultureInfo.InvariantCulture) }],
    };

    /// <summary>A tenant's settings: its org's My Domain, the refresh-token flow through the vendor's app, a fresh refresh token.</summary>
    public static SalesforceChatExportOptions Settings(SalesforceEmulator org, Action<SalesforceChatExportOptions>? configure = null)
    {
        var options = new SalesforceChatExportOptions { InstanceUrl = org.InstanceUrl };
        options.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
        options.Authentication.RefreshToken = org.IssueRefreshToken();
        options.Resilience.BaseDelay = TimeSpan.FromTicks(1);
        options.Resilience.MaxDelay = TimeSpan.FromTicks(1);
        configure?.Invoke(options);
        return options;
    }

    public SalesforceEmulator Add(string name, bool autoApprove = false)
    {
        var org = new SalesforceEmulator(new SalesforceEmulatorOptions { InstanceUrl = new Uri($"https://{name}.my.salesforce.com"), AutoApproveAuthorization = autoApprove, TimeProvider = Time });
        _orgs[name] = org;
        return org;
    }

    public void Put(string name, SalesforceEmulator org) => _orgs[name] = org;

    /// <summary>Holds every request to the org until the returned source completes.</summary>
    public TaskCompletionSource Hold(string name)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates[name] = _ => release.Task;
        return release;
    }

    /// <summary>A handler that reaches every org (what an admin's browser would).</summary>
    public HttpMessageHandler CreateHandler() => new Router(this);

    public int TokenRequests(string name) => _orgs[name].RequestLog.Count(r => r.Path.EndsWith("/services/oauth2/token", StringComparison.Ordinal));

    public int ApiRequests(string name) => _orgs[name].RequestLog.Count(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal));

    public void Dispose()
    {
        _services?.Dispose();
        foreach (var org in _orgs.Values)
        {
            org.Dispose();
        }
    }

    private ServiceProvider Build()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        var builder = collection.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = Home.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = Home.IssueAccessToken();

            // The vendor's platform app: tenants without their own client id connect through it.
            o.Authentication.ClientId = "chat2sf";
            o.Authentication.ClientSecret = "chat2sf";
            o.Resilience.BaseDelay = TimeSpan.FromTicks(1);
            o.Resilience.MaxDelay = TimeSpan.FromTicks(1);
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => new Router(this));
        builder.UseTenantStore(StoreOverride ?? Store, Tenancy);
        return collection.BuildServiceProvider();
    }

    /// <summary>Routes each request to the org whose My Domain it names, through that org's gate if a test holds it.</summary>
    private sealed class Router(TenantOrgs orgs) : HttpMessageHandler
    {
        private readonly Dictionary<string, HttpMessageInvoker> _invokers = new(StringComparer.OrdinalIgnoreCase);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (orgs.Answer?.Invoke(request) is { } answered)
            {
                return answered;
            }

            var name = request.RequestUri!.Host.Split('.')[0];
            if (name is "login" or "test")
            {
                // Identity URLs live on the login host, as at Salesforce: the org that knows the access token answers.
                foreach (var org in orgs._orgs.Values)
                {
                    using var copy = new HttpRequestMessage(request.Method, request.RequestUri);
                    copy.Headers.Authorization = request.Headers.Authorization;
                    var answer = await new HttpMessageInvoker(org.CreateHandler()).SendAsync(copy, cancellationToken);
                    if (answer.IsSuccessStatusCode)
                    {
                        return answer;
                    }
                }

                return new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden);
            }

            HttpMessageInvoker invoker;
            lock (_invokers)
            {
                if (!_invokers.TryGetValue(name, out invoker!))
                {
                    invoker = _invokers[name] = new HttpMessageInvoker(orgs._orgs[name].CreateHandler());
                }
            }

            if (orgs._gates.TryGetValue(name, out var gate))
            {
                await gate(request).WaitAsync(cancellationToken);
            }

            return await invoker.SendAsync(request, cancellationToken);
        }
    }
}
