using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Tenancy.Internal;

/// <summary>A tenant's refresh token: read from its settings, and a rotated one handed to the host's tenant store.</summary>
internal sealed class TenantRefreshTokens(ISalesforceTenantStore store, string tenantId, SalesforceChatExportOptions options) : ISalesforceRefreshTokenStore
{
    public ValueTask<string?> LoadRefreshTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(options.Authentication.RefreshToken);

    public ValueTask SaveRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken) =>
        store.OnConnectionChangedAsync(tenantId, new SalesforceConnectionChange { RefreshToken = refreshToken }, cancellationToken);
}
