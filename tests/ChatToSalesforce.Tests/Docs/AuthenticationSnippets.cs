using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/authentication.md, compiled (G22).</summary>
public static class AuthenticationSnippets
{
    internal static void RefreshTokenStore(IHostApplicationBuilder builder)
    {
        #region Snippet:authentication-1
        builder.Services.AddSingleton<ISalesforceRefreshTokenStore, DatabaseRefreshTokenStore>();
        #endregion
    }

    internal static void TokenProvider(IHostApplicationBuilder builder)
    {
        #region Snippet:authentication-2
        builder.Services.AddSingleton<ISalesforceTokenProvider, VaultTokenProvider>();
        #endregion
    }

}

// The host's own secret store and vault that the page's examples talk to.
public abstract class MyDb
{
    public abstract Task<string?> GetSecretAsync(string name, CancellationToken cancellationToken);

    public abstract Task SetSecretAsync(string name, string value, CancellationToken cancellationToken);
}

public interface IVault
{
    Task<VaultToken> GetSalesforceTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}

public sealed record VaultToken(string AccessToken, string InstanceUrl, string? IdentityUrl);

#region Snippet:authentication-1
public sealed class DatabaseRefreshTokenStore(MyDb db) : ISalesforceRefreshTokenStore
{
    // Called once, before the first refresh. Return null to use Authentication.RefreshToken.
    public async ValueTask<string?> LoadRefreshTokenAsync(CancellationToken cancellationToken) =>
        await db.GetSecretAsync("salesforce-refresh-token", cancellationToken);

    // Called whenever Salesforce rotates the token. Store it atomically.
    public async ValueTask SaveRefreshTokenAsync(string refreshToken, CancellationToken cancellationToken) =>
        await db.SetSecretAsync("salesforce-refresh-token", refreshToken, cancellationToken);
}
#endregion

#region Snippet:authentication-2
public sealed class VaultTokenProvider(IVault vault) : ISalesforceTokenProvider
{
    public async ValueTask<SalesforceAccessToken> GetTokenAsync(SalesforceTokenContext context, CancellationToken cancellationToken)
    {
        // context.ForceRefresh is true when Salesforce rejected the previous token: do not return a cached one.
        var t = await vault.GetSalesforceTokenAsync(forceRefresh: context.ForceRefresh, cancellationToken);
        return new SalesforceAccessToken(t.AccessToken, new Uri(t.InstanceUrl), t.IdentityUrl is null ? null : new Uri(t.IdentityUrl));
    }
}
#endregion
