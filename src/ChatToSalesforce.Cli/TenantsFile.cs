using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Connect;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ChatToSalesforce.Cli;

/// <summary>
/// <c>--tenants tenants.json</c>: tenant id → the tenant's settings, with the SDK's configuration keys (as in the
/// <c>Salesforce</c> section of <c>--config</c>). Secrets come from environment variables such as
/// <c>Tenants__acme__Authentication__RefreshToken</c>, so the file itself can hold none.
/// </summary>
internal static class TenantsFile
{
    public const string SectionName = "Tenants";

    /// <summary>Reads the file into tenant id → options (bound, not yet validated: the SDK validates each tenant when it loads it).</summary>
    /// <exception cref="CliConfigurationException">The file is missing or unreadable, has no tenants, or has unknown keys.</exception>
    public static IReadOnlyList<(string Id, SalesforceChatExportOptions Options)> Read(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliConfigurationException([$"--tenants: the file '{file.FullName}' does not exist."]);
        }

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false, reloadOnChange: false).AddEnvironmentVariables().Build();
        }
        catch (InvalidDataException e)
        {
            throw new CliConfigurationException([$"--tenants: {e.Message} {e.InnerException?.Message}".TrimEnd()]);
        }

        var tenants = configuration.GetSection(SectionName).GetChildren().ToList();
        if (tenants.Count == 0)
        {
            throw new CliConfigurationException([$"--tenants: the file '{file.FullName}' has no \"{SectionName}\" object; write {{ \"{SectionName}\": {{ \"acme\": {{ \"InstanceUrl\": ..., \"Authentication\": ... }} }} }} (docs/multi-tenant.md)."]);
        }

        var problems = new List<string>();
        var result = new List<(string, SalesforceChatExportOptions)>();
        foreach (var tenant in tenants)
        {
            var options = new SalesforceChatExportOptions();
            try
            {
                new SectionOptionsBinder(tenant).Configure(options);
                result.Add((tenant.Key, options));
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures.Select(f => $"--tenants: tenant '{tenant.Key}': {f}"));
            }
        }

        return problems.Count > 0 ? throw new CliConfigurationException(problems) : result;
    }

    /// <summary>An in-memory store holding the tenants.</summary>
    public static InMemorySalesforceTenantStore Store(IEnumerable<(string Id, SalesforceChatExportOptions Options)> tenants)
    {
        var store = new InMemorySalesforceTenantStore();
        foreach (var (id, options) in tenants)
        {
            store.Set(id, options);
        }

        return store;
    }

    /// <summary>Adds an empty entry for the tenant when the file has none (so <c>connect</c> can start for a new tenant).</summary>
    /// <remarks>An empty object is no configuration section, so the new entry names the default mode.</remarks>
    public static void EnsureTenant(FileInfo file, string tenantId) => Edit(file, tenants => tenants[tenantId] ??= new JsonObject { ["Mode"] = nameof(ExportMode.ContactAndTask) });

    /// <summary>Records a connection: instance URL, refresh-token flow and login host; the refresh token only when asked.</summary>
    public static void RecordConnection(FileInfo file, SalesforceTenantConnection connection, bool writeSecret) => Edit(file, tenants =>
    {
        var tenant = tenants[connection.TenantId] as JsonObject ?? new JsonObject();
        tenants[connection.TenantId] = tenant;
        tenant["InstanceUrl"] = connection.InstanceUrl.ToString().TrimEnd('/');
        var auth = tenant["Authentication"] as JsonObject ?? new JsonObject();
        tenant["Authentication"] = auth;
        auth["Flow"] = "RefreshToken";
        auth["LoginUrl"] = connection.LoginUrl.ToString().TrimEnd('/');
        if (writeSecret)
        {
            auth["RefreshToken"] = connection.RefreshToken;
        }
        else
        {
            auth.Remove("RefreshToken");
        }
    });

    /// <summary>Removes the tenant's refresh token (its settings stay).</summary>
    public static void RemoveConnection(FileInfo file, string tenantId) => Edit(file, tenants =>
    {
        if (tenants[tenantId]?["Authentication"] is JsonObject auth)
        {
            auth.Remove("RefreshToken");
        }
    });

    private static void Edit(FileInfo file, Action<JsonObject> change)
    {
        var root = (file.Exists ? JsonNode.Parse(File.ReadAllText(file.FullName), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) : null) as JsonObject ?? new JsonObject();
        var tenants = root[SectionName] as JsonObject ?? new JsonObject();
        root[SectionName] = tenants;
        change(tenants);
        File.WriteAllText(file.FullName, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        file.Refresh();
    }
}
