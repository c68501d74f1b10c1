using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Tenancy.Internal;

/// <summary>A store tenant's options as the SDK uses them: a private copy, completed with the vendor's app, validated like start-up options.</summary>
internal static class TenantOptions
{
    /// <summary>
    /// Copies the tenant's options (the host's object is never changed) and, when the tenant has no app of its own
    /// (no <see cref="SalesforceAuthenticationOptions.ClientId"/>), connects it through the vendor's platform app configured at start-up.
    /// </summary>
    public static SalesforceChatExportOptions Prepare(SalesforceChatExportOptions tenant, SalesforceChatExportOptions platform)
    {
        var copy = tenant.Copy();
        var auth = (tenant.Authentication ?? new SalesforceAuthenticationOptions()).Copy();
        if (string.IsNullOrEmpty(auth.ClientId) && platform.Authentication is { } app)
        {
            auth.ClientId = app.ClientId;
            auth.ClientSecret ??= app.ClientSecret;
            auth.PrivateKeyPem ??= app.PrivateKeyPem;
            auth.PrivateKeyPath ??= app.PrivateKeyPath;
        }

        copy.Authentication = auth;

        // A test deployment (the emulator on loopback) is a property of the whole process, not of one tenant.
        copy.AllowTestEndpoint |= platform.AllowTestEndpoint;
        return copy;
    }

    /// <summary>Validates with the same rules (and messages) as start-up validation; throws naming the tenant and the property.</summary>
    public static void Validate(string tenantId, SalesforceChatExportOptions options, IEnumerable<IValidateOptions<SalesforceChatExportOptions>> validators)
    {
        var failures = new List<string>();
        foreach (var validator in validators)
        {
            var result = validator.Validate(DependencyInjection.Internal.SalesforceChatExportOptionsValidator.TenantName, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        if (failures.Count > 0)
        {
            throw new ExportConfigurationException(
                $"Tenant '{tenantId}'",
                $"its settings are invalid, so its conversations were not exported (no API call was spent): {string.Join(" ", failures)} Fix the tenant's settings in the tenant store; other tenants are not affected.");
        }
    }

    /// <summary>A hash of what the tenant connects with: changes when the customer reconnects (new refresh token) or the app changes.</summary>
    public static string CredentialsStamp(SalesforceChatExportOptions options)
    {
        var a = options.Authentication;
        var text = string.Join('\n', a.Flow, a.ClientId, a.ClientSecret, a.Username, a.PrivateKeyPem, a.PrivateKeyPath, a.RefreshToken, a.AccessToken, a.LoginUrl, a.TokenUrl, options.InstanceUrl);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
