using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tenancy.Internal;

/// <summary>The state the process keeps for one store tenant while it is active: its context and what it was built from.</summary>
internal sealed class TenantRuntime(TenantContext context, SalesforceTenant source, string credentials, SalesforceAuthenticator authenticator, SemaphoreSlim gate, long now) : IDisposable
{
    private long _lastUsed = now;

    public TenantContext Context { get; } = context;

    /// <summary>A hash of the credentials the runtime connects with (never the credentials themselves).</summary>
    public string Credentials { get; } = credentials;

    public long LastUsed => Interlocked.Read(ref _lastUsed);

    public void Touch(long now) => Interlocked.Exchange(ref _lastUsed, now);

    /// <summary>Whether the store's tenant is the one this runtime was built from: same version, or (without a version) the same settings object.</summary>
    public bool Matches(SalesforceTenant tenant) =>
        tenant.Version is null
            ? source.Version is null && ReferenceEquals(tenant.Options, source.Options)
            : string.Equals(tenant.Version, source.Version, StringComparison.Ordinal);

    /// <summary>Evicted: the process forgets the tenant. Nothing a chunk still holding this runtime uses is disposed (it is collected).</summary>
    public void Retire()
    {
        if (Context.Usage?.Current?.OrganizationId is { } org)
        {
            ChatToSalesforce.Telemetry.Internal.ChatToSalesforceDiagnostics.ForgetUsage(Context.Id, org);
        }

        // The authenticator is not disposed: a chunk still holding this runtime may renew its token (signing with the JWT key).
        // The gate is not disposed: a chunk still running on the old settings may release it.
        _ = gate;
    }

    /// <summary>The registry is disposed (the host stops): the authenticator's signing key is released too.</summary>
    public void Dispose()
    {
        Retire();
        authenticator.Dispose();
    }
}
