using System.Security.Cryptography;
using ChatToSalesforce.Testing.Internal;

namespace ChatToSalesforce.Testing;

/// <summary>
/// Several in-memory Salesforce orgs in one process (one per tenant of a multi-tenant host): each org is an ordinary
/// <see cref="SalesforceEmulator"/> with its own org id, integration user, records, daily API limit and client credentials,
/// and its own My Domain-like instance URL <c>https://{name}.my.salesforce.com</c>. Use them in-process through one
/// <see cref="CreateHandler"/> that routes by host, or over HTTP on 127.0.0.1 through <see cref="StartServerAsync"/>
/// (each org on its own port). Thread-safe.
/// </summary>
public sealed class SalesforceEmulatorCluster : IAsyncDisposable, IDisposable
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly SalesforceEmulatorOptions Defaults = new();
    private readonly object _gate = new();
    private readonly List<SalesforceEmulator> _orgs = [];
    private readonly Dictionary<string, SalesforceEmulator> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SalesforceEmulator> _byHost = new(StringComparer.OrdinalIgnoreCase);
    private SalesforceEmulator[] _snapshot = [];
    private bool _serving;

    /// <summary>The orgs in the order they were added.</summary>
    public IReadOnlyList<SalesforceEmulator> Orgs => Volatile.Read(ref _snapshot);

    /// <summary>The org added under <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">The org's name, as given to <see cref="AddOrg"/>.</param>
    /// <returns>The org.</returns>
    /// <exception cref="KeyNotFoundException">No org has that name.</exception>
    public SalesforceEmulator this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            lock (_gate)
            {
                return _byName.TryGetValue(name, out var org) ? org : throw new KeyNotFoundException($"The cluster has no org named '{name}'.");
            }
        }
    }

    /// <summary>
    /// Adds an org. Its in-process instance URL is <c>https://{name}.my.salesforce.com</c> (or <see cref="SalesforceEmulatorOptions.InstanceUrl"/>
    /// when set); while the cluster serves, the org is served too and its <see cref="SalesforceEmulator.InstanceUrl"/> is its loopback URL.
    /// Settings left at their defaults become the org's own: client id <c>chat2sf-{name}</c>, a random client secret, and the integration
    /// username <c>integration@{name}.emulator.example.com</c> (usernames are unique across orgs, as in Salesforce); and unless
    /// <see cref="SalesforceEmulatorOptions.AcceptAnyClient"/> says otherwise, the token endpoint accepts only the org's own and registered
    /// clients, in-process too, so a tenant's credentials sent to another tenant's org fail as they would at Salesforce. The options are copied.
    /// </summary>
    /// <param name="name">The org's My Domain name: a DNS label (1 to 63 letters, digits and hyphens, not starting or ending with a hyphen).</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The new org.</returns>
    /// <exception cref="ArgumentException">The name is not a DNS label or is taken, or the instance URL's host or the integration username is another org's.</exception>
    public SalesforceEmulator AddOrg(string name, SalesforceEmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsDnsLabel(name))
        {
            throw new ArgumentException($"The org name '{name}' is not a DNS label: use 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen (it becomes https://{{name}}.my.salesforce.com).", nameof(name));
        }

        var settings = options?.Clone() ?? new SalesforceEmulatorOptions();
        var label = name.ToLowerInvariant();
        if (settings.ClientId == Defaults.ClientId && settings.ClientSecret == Defaults.ClientSecret)
        {
            settings.ClientId = $"chat2sf-{label}";
            settings.ClientSecret = RandomNumberGenerator.GetString(Alphanumeric, 32);
        }

        settings.AcceptAnyClient ??= false;
        if (settings.IntegrationUsername == Defaults.IntegrationUsername)
        {
            settings.IntegrationUsername = $"integration@{label}.emulator.example.com";
        }

        var instanceUrl = settings.InstanceUrl ?? new Uri($"https://{label}.my.salesforce.com");
        lock (_gate)
        {
            if (_byName.ContainsKey(name))
            {
                throw new ArgumentException($"The cluster already has an org named '{name}'.", nameof(name));
            }

            if (_byHost.ContainsKey(instanceUrl.Authority))
            {
                throw new ArgumentException($"Another org of the cluster already uses the instance URL {instanceUrl}.", nameof(options));
            }

            if (_orgs.Any(o => string.Equals(o.IntegrationUsername, settings.IntegrationUsername, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"Another org of the cluster already has the integration username '{settings.IntegrationUsername}'; Salesforce usernames are unique across orgs.", nameof(options));
            }

            var org = new SalesforceEmulator(settings, _orgs.Count + 1, instanceUrl);
            if (_serving)
            {
                org.StartServer(0);
            }

            _orgs.Add(org);
            _byName[name] = org;
            _byHost[instanceUrl.Authority] = org;
            Volatile.Write(ref _snapshot, [.. _orgs]);
            return org;
        }
    }

    /// <summary>
    /// Creates one message handler for every org: a request goes to the org whose instance URL (My Domain or, while served, loopback URL)
    /// names its host. Requests to <c>login.salesforce.com</c> or <c>test.salesforce.com</c> go to the org that recognizes them: token
    /// requests by their credentials (the username of a JWT or password grant, the refresh token, the authorization code, the client id),
    /// identity URLs by org id, userinfo and revoke by token. A host no org has fails as a name that does not resolve would.
    /// </summary>
    /// <returns>A new handler; dispose it with the HttpClient that owns it.</returns>
    public HttpMessageHandler CreateHandler() => new ClusterHttpHandler(this);

    /// <summary>Serves every org (and every org added later) on its own 127.0.0.1 port; each org's <see cref="SalesforceEmulator.InstanceUrl"/> is then its loopback URL.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when every org listens.</returns>
    /// <exception cref="InvalidOperationException">The cluster is already serving.</exception>
    public Task StartServerAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_serving)
            {
                throw new InvalidOperationException("The cluster is already serving.");
            }

            _serving = true;
            foreach (var org in _orgs.Where(o => !o.IsServing))
            {
                org.StartServer(0);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops serving every org; their instance URLs are their My Domain URLs again.</summary>
    /// <returns>A task that completes when every org stopped.</returns>
    public async Task StopServerAsync()
    {
        SalesforceEmulator[] orgs;
        lock (_gate)
        {
            _serving = false;
            orgs = [.. _orgs];
        }

        foreach (var org in orgs)
        {
            await org.StopServerAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopServerAsync().ConfigureAwait(false);

    /// <summary>The org whose instance URL (My Domain, or loopback while served) has this authority (host, and port when not the default).</summary>
    internal SalesforceEmulator? FindByAuthority(Uri uri)
    {
        lock (_gate)
        {
            if (_byHost.TryGetValue(uri.Authority, out var org))
            {
                return org;
            }
        }

        foreach (var candidate in Orgs)
        {
            var instance = candidate.InstanceUrl;
            if (instance.Port == uri.Port && string.Equals(instance.Host, uri.Host, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsDnsLabel(string name) =>
        name.Length is >= 1 and <= 63
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
        && name[0] != '-'
        && name[^1] != '-';
}
