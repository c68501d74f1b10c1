using System.Collections.Concurrent;
using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tenancy.Internal;

/// <summary>
/// Resolves a tenant id to the <see cref="TenantContext"/> its work runs on: the one entry point for every feature that
/// talks to a tenant's org (export, lookups, actions, checks).
/// </summary>
/// <remarks>
/// <para>The tenant configured at start-up (a null id) uses the registered <see cref="ISalesforceClient"/> and options.
/// Every other tenant comes from the host's <see cref="ISalesforceTenantStore"/>, asked on each call; the tenant's state
/// (token, usage and daily-limit circuit, concurrency gate) is kept while its version is unchanged, rebuilt when it
/// changes, and evicted when idle.</para>
/// <para>A tenant whose grant Salesforce declared gone fails fast, with no token request, until its credentials change.</para>
/// </remarks>
internal sealed partial class TenantRegistry : IDisposable, ISalesforceTenantUsage
{
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<SalesforceChatExportOptions> _rootOptions;
    private readonly IValidateOptions<SalesforceChatExportOptions>[] _validators;
    private readonly SalesforceTenancyOptions _tenancy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISalesforceTenantStore? _store;
    private readonly ConcurrentDictionary<string, TenantRuntime> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReconnectState> _reconnect = new(StringComparer.Ordinal);
    private readonly Lazy<SemaphoreSlim> _defaultGate;
    private readonly object _building = new();
    private TenantContext? _default;
    private long _nextSweep;

    public TenantRegistry(
        IServiceProvider services,
        IOptionsMonitor<SalesforceChatExportOptions> options,
        IEnumerable<IValidateOptions<SalesforceChatExportOptions>> validators,
        OrgMetadataCache cache,
        IOptions<SalesforceTenancyOptions> tenancy,
        TimeProvider time,
        ILogger<TenantRegistry> logger)
    {
        _services = services;
        _rootOptions = options;
        _validators = validators.ToArray();
        Cache = cache;
        _tenancy = tenancy.Value;
        _time = time;
        _logger = logger;
        _store = services.GetService<ISalesforceTenantStore>();
        _defaultGate = new Lazy<SemaphoreSlim>(() => new SemaphoreSlim(Math.Clamp(options.CurrentValue.MaxConcurrency, 1, 25)));
    }

    /// <summary>The metadata cache every tenant shares, keyed by <see cref="TenantContext.OrgKey"/>.</summary>
    public OrgMetadataCache Cache { get; }

    /// <summary>Whether a tenant store is registered (tenants other than the default can exist).</summary>
    public bool HasStore => _store is not null;

    /// <summary>Tenants whose state the process keeps (diagnostics, tests and the memory benchmark).</summary>
    public int ActiveTenants => _tenants.Count;

    /// <summary>The tenancy options (concurrency across tenants).</summary>
    public SalesforceTenancyOptions Tenancy => _tenancy;

    /// <summary>The tenant configured at start-up, with the options currently in force (a configuration reload is picked up).</summary>
    public TenantContext Default
    {
        get
        {
            var options = _rootOptions.CurrentValue;
            var current = Volatile.Read(ref _default);
            if (current is not null && ReferenceEquals(current.Options, options))
            {
                return current;
            }

            var client = new GatedSalesforceClient(_services.GetRequiredService<ISalesforceClient>(), _defaultGate.Value);
            var created = new TenantContext(TenantContext.DefaultId, null, options, client, Cache, _services.GetService<ApiUsageTracker>());
            Volatile.Write(ref _default, created);
            return created;
        }
    }

    /// <summary>
    /// Returns the tenant's context. Throws <see cref="SalesforceTenantException"/> (unknown tenant, store failure),
    /// <see cref="ExportConfigurationException"/> (invalid settings) or <see cref="SalesforceReconnectRequiredException"/>,
    /// all before any Salesforce call.
    /// </summary>
    public async ValueTask<TenantContext> GetAsync(string? tenantId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(tenantId))
        {
            var home = Default;
            if (home.Options.InstanceUrl is null && _store is not null)
            {
                throw new SalesforceTenantException(
                    TenantContext.DefaultId,
                    "The conversation has no TenantId, and no org is configured at start-up (Salesforce:InstanceUrl is not set: the start-up options hold only the vendor's app). Set Conversation.TenantId, or configure a default org.");
            }

            return home;
        }

        if (_store is null)
        {
            throw NotConfigured(tenantId, "no tenant store is registered (builder.UseTenantStore<T>())");
        }

        SalesforceTenant? tenant;
        try
        {
            tenant = await _store.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, tenantId);
            throw new SalesforceTenantException(tenantId, $"The tenant store could not load tenant '{tenantId}'; its conversations were not exported (the store's error is the inner exception). Other tenants are not affected.", ex);
        }

        if (tenant?.Options is null)
        {
            throw NotConfigured(tenantId, "the tenant store does not know it");
        }

        if (tenant.DisconnectedReason is { } disconnected)
        {
            throw new SalesforceReconnectRequiredException(tenantId, disconnected);
        }

        var now = _time.GetTimestamp();
        if (_tenants.TryGetValue(tenantId, out var runtime) && runtime.Matches(tenant))
        {
            runtime.Touch(now);
            ThrowIfReconnectRequired(tenantId, runtime.Credentials);
            return runtime.Context;
        }

        TenantRuntime stored;
        lock (_building)
        {
            // Built once per version, even when several chunks of a new tenant arrive at once: two runtimes would mean two
            // token requests, and with refresh-token rotation two refreshes of one token (Salesforce then revokes the family).
            if (_tenants.TryGetValue(tenantId, out runtime) && runtime.Matches(tenant))
            {
                stored = runtime;
            }
            else
            {
                var options = TenantOptions.Prepare(tenant.Options, _rootOptions.CurrentValue);
                TenantOptions.Validate(tenantId, options, _validators);
                var credentials = TenantOptions.CredentialsStamp(options);
                ThrowIfReconnectRequired(tenantId, credentials);

                // The runtime of the previous version is not disposed: a chunk may still be using it; it is collected.
                stored = Build(tenantId, tenant, options, credentials, now);
                _tenants[tenantId] = stored;
            }
        }

        stored.Touch(now);
        ThrowIfReconnectRequired(tenantId, stored.Credentials);
        Sweep(now);
        return stored.Context;
    }

    /// <summary>
    /// Evicts tenants idle for longer than <see cref="SalesforceTenancyOptions.IdleTimeout"/> (or <paramref name="idleFor"/>),
    /// then the least recently used beyond the cap.
    /// </summary>
    public int EvictIdle(TimeSpan? idleFor = null)
    {
        var now = _time.GetTimestamp();
        var evicted = 0;
        var limit = idleFor ?? _tenancy.IdleTimeout;
        foreach (var (id, runtime) in _tenants)
        {
            if (_time.GetElapsedTime(runtime.LastUsed, now) >= limit && Evict(id, runtime))
            {
                evicted++;
            }
        }

        var excess = _tenants.Count - _tenancy.MaxActiveTenants;
        if (excess > 0)
        {
            // ToArray is the dictionary's atomic snapshot; sorting the live dictionary races with tenants being added.
            foreach (var (id, runtime) in _tenants.ToArray().OrderBy(t => t.Value.LastUsed).Take(excess))
            {
                if (Evict(id, runtime))
                {
                    evicted++;
                }
            }
        }

        return evicted;
    }

    public SalesforceApiUsageSnapshot? GetUsage(string? tenantId) =>
        string.IsNullOrEmpty(tenantId) ? Default.Usage?.Current : _tenants.TryGetValue(tenantId, out var runtime) ? runtime.Context.Usage?.Current : null;

    public void Dispose()
    {
        foreach (var runtime in _tenants.Values)
        {
            runtime.Dispose();
        }

        _tenants.Clear();
    }

    private static SalesforceTenantException NotConfigured(string tenantId, string why) =>
        new(tenantId, $"tenant '{tenantId}' is not configured: {why}. Its conversations were not exported; other tenants are not affected.");

    private void Sweep(long now)
    {
        // At most once a minute, and whenever the cap is exceeded.
        var next = Interlocked.Read(ref _nextSweep);
        if (_tenants.Count <= _tenancy.MaxActiveTenants && now < next)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _nextSweep, now + (long)(_time.TimestampFrequency * 60), next) == next)
        {
            EvictIdle();
        }
    }

    private bool Evict(string id, TenantRuntime runtime)
    {
        if (!_tenants.TryRemove(new KeyValuePair<string, TenantRuntime>(id, runtime)))
        {
            return false;
        }

        Cache.RemoveOrg(runtime.Context.OrgKey);

        // Retired, not disposed: a chunk that got this runtime before the eviction may still be running on it.
        runtime.Retire();
        return true;
    }

    private void ThrowIfReconnectRequired(string tenantId, string credentials)
    {
        if (_reconnect.TryGetValue(tenantId, out var state))
        {
            if (state.Credentials == credentials)
            {
                throw new SalesforceReconnectRequiredException(tenantId, state.Reason);
            }

            // New credentials: give them a chance.
            _reconnect.TryRemove(new KeyValuePair<string, ReconnectState>(tenantId, state));
            ChatToSalesforce.Telemetry.Internal.ChatToSalesforceDiagnostics.ClearReconnectRequired(tenantId);
        }
    }

    private void OnGrantGone(string tenantId, string credentials, SalesforceAuthenticationException error)
    {
        if (_tenants.TryGetValue(tenantId, out var current) && current.Credentials != credentials)
        {
            // A runtime of credentials the tenant has since replaced (it reconnected): its dead grant is not the tenant's.
            return;
        }

        var reason = ReconnectReason(error);
        if (!_reconnect.TryAdd(tenantId, new ReconnectState(credentials, reason)))
        {
            return;
        }

        // Told once: the first failure of this grant.
        LogReconnectRequired(_logger, tenantId, error.Error);
        ChatToSalesforce.Telemetry.Internal.ChatToSalesforceDiagnostics.MarkReconnectRequired(tenantId);
        _ = NotifyAsync(tenantId, reason);
    }

    private async Task NotifyAsync(string tenantId, string reason)
    {
        try
        {
            await _store!.OnConnectionChangedAsync(tenantId, new SalesforceConnectionChange { ReconnectRequired = true, Reason = reason }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            LogNotifyFailed(_logger, tenantId);
        }
    }

    /// <summary>Why a grant is gone, in the admin's terms and without the token endpoint's free text.</summary>
    internal static string ReconnectReason(SalesforceAuthenticationException error) => error.Error?.ToLowerInvariant() switch
    {
        "invalid_grant" when error.ErrorDescription?.Contains("inactive", StringComparison.OrdinalIgnoreCase) == true => "the connected Salesforce user is inactive or frozen.",
        "invalid_grant" when error.ErrorDescription?.Contains("approved", StringComparison.OrdinalIgnoreCase) == true => "the app is not approved for the connected user.",
        "invalid_grant" => "the refresh token was revoked, expired, or already rotated away (Salesforce answered invalid_grant).",
        "inactive_user" => "the connected Salesforce user is inactive or frozen.",
        "inactive_org" => "the Salesforce org is inactive.",
        "oauth_app_blocked" or "invalid_app_access" => "the connected app is blocked or not allowed for this org.",
        _ => "Salesforce no longer accepts the tenant's grant.",
    };

    private TenantRuntime Build(string tenantId, SalesforceTenant tenant, SalesforceChatExportOptions options, string credentials, long now)
    {
        var monitor = new FixedOptions(options);
        var time = _time;
        var loggers = _services.GetRequiredService<ILoggerFactory>();
        var http = _services.GetRequiredService<IHttpClientFactory>();
        var pipelines = new Resilience.Internal.SalesforceResiliencePipelines(monitor, time, loggers.CreateLogger<Resilience.Internal.SalesforceResiliencePipelines>());
        var usage = new ApiUsageTracker(time, monitor);
        var authenticator = new SalesforceAuthenticator(http, monitor, pipelines, time, loggers.CreateLogger<SalesforceAuthenticator>(), new TenantRefreshTokens(_store!, tenantId, options))
        {
            GrantGone = error => OnGrantGone(tenantId, credentials, error),
            Shared = _services.GetService<ISharedTokenCoordinator>(),
        };
        var rest = new SalesforceRestClient(http, monitor, authenticator, pipelines, usage, loggers.CreateLogger<SalesforceRestClient>()) { TenantId = tenantId };
        var gate = new SemaphoreSlim(Math.Clamp(options.MaxConcurrency, 1, 25));
        var context = new TenantContext(tenantId, tenant.Version, options, new GatedSalesforceClient(rest, gate), Cache, usage);
        return new TenantRuntime(context, tenant, credentials, authenticator, gate, now);
    }

    [LoggerMessage(EventId = 200, EventName = "TenantStoreFailed", Level = LogLevel.Error, Message = "The tenant store failed to load tenant {TenantId}; its conversations fail, other tenants proceed")]
    private static partial void LogStoreFailed(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 201, EventName = "TenantReconnectRequired", Level = LogLevel.Warning, Message = "Tenant {TenantId} must reconnect to Salesforce (token endpoint error {Error}); its exports fail fast until its credentials change")]
    private static partial void LogReconnectRequired(ILogger logger, string tenantId, string? error);

    [LoggerMessage(EventId = 202, EventName = "TenantNotifyFailed", Level = LogLevel.Warning, Message = "The tenant store failed to record that tenant {TenantId} must reconnect")]
    private static partial void LogNotifyFailed(ILogger logger, string tenantId);

    private sealed record ReconnectState(string Credentials, string Reason);
}
