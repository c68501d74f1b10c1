using System.Collections.Concurrent;
using ChatToSalesforce.Connect;

namespace ChatToSalesforce.Tenancy;

/// <summary>
/// A tenant store in memory, for tests, samples and the CLI's tenants file. Production hosts keep tenants (and their
/// secrets) in their own database or vault and implement <see cref="ISalesforceTenantStore"/> over it.
/// </summary>
/// <remarks>Thread-safe. <see cref="Set"/> replaces a tenant and gives it a new version, so the change takes effect on its next export.</remarks>
public sealed class InMemorySalesforceTenantStore : ISalesforceTenantStore, ISalesforceConnectionStore
{
    private readonly ConcurrentDictionary<string, SalesforceTenantConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SalesforceTenant> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SalesforceConnectionChange> _changes = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>Adds or replaces a tenant.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <param name="options">The tenant's connection and export settings.</param>
    public void Set(string tenantId, SalesforceChatExportOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(options);
        Put(tenantId, options, disconnectedReason: null);
    }

    /// <summary>Removes a tenant; its conversations then fail with "not configured".</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns>Whether the tenant existed.</returns>
    public bool Remove(string tenantId) => _tenants.TryRemove(tenantId, out _);

    /// <summary>The last connection change the SDK reported for the tenant (a rotated refresh token, or reconnect required).</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns>The change, or <see langword="null"/>.</returns>
    public SalesforceConnectionChange? LastChange(string tenantId) => _changes.GetValueOrDefault(tenantId);

    /// <inheritdoc/>
    public ValueTask<SalesforceTenant?> GetTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tenants.GetValueOrDefault(tenantId));

    /// <inheritdoc/>
    /// <remarks>A rotated refresh token replaces the tenant's <see cref="SalesforceAuthenticationOptions.RefreshToken"/> (the settings object is updated in place, keeping its version).</remarks>
    public ValueTask OnConnectionChangedAsync(string tenantId, SalesforceConnectionChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        _changes[tenantId] = change;
        if (change.RefreshToken is { } token && _tenants.TryGetValue(tenantId, out var tenant))
        {
            tenant.Options.Authentication.RefreshToken = token;
        }

        // The connection keeps the current refresh token too: disconnecting revokes that one, not one rotated away.
        if (change.RefreshToken is { } rotated && _connections.TryGetValue(tenantId, out var connection))
        {
            _connections.TryUpdate(tenantId, new SalesforceTenantConnection
            {
                TenantId = connection.TenantId, InstanceUrl = connection.InstanceUrl, LoginUrl = connection.LoginUrl, RefreshToken = rotated,
                ClientId = connection.ClientId, Org = connection.Org, ConnectedAt = connection.ConnectedAt,
            }, connection);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>The tenant's settings (kept if it has some) then connect with the refresh-token flow to the connected org.</remarks>
    public ValueTask SaveConnectionAsync(SalesforceTenantConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connections[connection.TenantId] = connection;
        var options = _tenants.TryGetValue(connection.TenantId, out var existing) ? existing.Options : new SalesforceChatExportOptions();
        options.InstanceUrl = connection.InstanceUrl;
        options.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
        options.Authentication.RefreshToken = connection.RefreshToken;
        options.Authentication.LoginUrl = connection.LoginUrl;
        Put(connection.TenantId, options, disconnectedReason: null);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<SalesforceTenantConnection?> GetConnectionAsync(string tenantId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_connections.GetValueOrDefault(tenantId));

    /// <inheritdoc/>
    /// <remarks>The tenant keeps its settings and is marked disconnected: its exports fail with that reason until it connects again.</remarks>
    public ValueTask DeleteConnectionAsync(string tenantId, CancellationToken cancellationToken)
    {
        _connections.TryRemove(tenantId, out _);
        if (_tenants.TryGetValue(tenantId, out var tenant))
        {
            tenant.Options.Authentication.RefreshToken = null;
            Put(tenantId, tenant.Options, "the tenant disconnected its Salesforce org; connect it again to resume exports.");
        }

        return ValueTask.CompletedTask;
    }

    private void Put(string tenantId, SalesforceChatExportOptions options, string? disconnectedReason) =>
        _tenants[tenantId] = new SalesforceTenant
        {
            Id = tenantId, Options = options, DisconnectedReason = disconnectedReason, Version = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
}
