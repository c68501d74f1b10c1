namespace ChatToSalesforce.Connect;

/// <summary>What <see cref="ISalesforceConnector.StartAsync"/> needs: the tenant, where the admin logs in, and where Salesforce sends the browser back.</summary>
public sealed class SalesforceConnectRequest
{
    /// <summary>The tenant the connection is for; the state is bound to it.</summary>
    public required string TenantId { get; init; }

    /// <summary>The callback URL registered on the External Client App (https, or http on loopback for local tests).</summary>
    public required Uri RedirectUri { get; init; }

    /// <summary>Log in to a sandbox (https://test.salesforce.com) instead of production (https://login.salesforce.com).</summary>
    public bool Sandbox { get; init; }

    /// <summary>The org's My Domain login URL (for example https://acme.my.salesforce.com), instead of the production or sandbox login host.</summary>
    public Uri? MyDomain { get; init; }

    /// <summary>The scopes; <c>api refresh_token</c> by default.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["api", "refresh_token"];

    /// <summary>Salesforce's <c>prompt</c> (for example <c>login consent</c>); none by default.</summary>
    public string? Prompt { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"SalesforceConnectRequest {{ TenantId = {TenantId}, Sandbox = {Sandbox} }}";
}
