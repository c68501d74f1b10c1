using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tenancy.Internal;

/// <summary>
/// Everything one tenant's work runs on: its validated options, its Salesforce client (own token, usage and daily-limit
/// circuit, own concurrency gate) and its metadata cache. Shared stages receive the options and a reader per call.
/// </summary>
internal sealed class TenantContext
{
    /// <summary>The id of the tenant configured at start-up (conversations whose <see cref="Conversation.TenantId"/> is null).</summary>
    public const string DefaultId = "";

    public TenantContext(string id, string? version, SalesforceChatExportOptions options, ISalesforceClient client, OrgMetadataCache cache, ApiUsageTracker? usage)
    {
        Id = id;
        Version = version;
        Options = options;
        Client = client;
        Cache = cache;
        Usage = usage;
    }

    public string Id { get; }

    public string? Version { get; }

    public SalesforceChatExportOptions Options { get; }

    /// <summary>The tenant's client; every request takes a slot of the tenant's gate.</summary>
    public ISalesforceClient Client { get; }

    public OrgMetadataCache Cache { get; }

    /// <summary>The tenant's API usage and daily-limit circuit (null when the host replaced the Salesforce client).</summary>
    public ApiUsageTracker? Usage { get; }

    /// <summary>The key of this tenant's org in caches shared with other processes.</summary>
    public string OrgKey => OrgKeyOf(Id, Options);

    /// <summary>The one place the key of a tenant's org is made: the tenant and its instance URL (a reconnected org starts afresh).</summary>
    public static string OrgKeyOf(string? tenantId, SalesforceChatExportOptions options) =>
        (tenantId ?? DefaultId) + "|" + (options.InstanceUrl?.ToString() ?? string.Empty);

    public override string ToString() => $"Tenant '{Id}'";
}
