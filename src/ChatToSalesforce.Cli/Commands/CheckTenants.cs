using ChatToSalesforce.Tenancy;
using ChatToSalesforce.Tenancy.Internal;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf check --tenants</c>: checks every tenant's connection and mapped fields, one row per tenant.</summary>
internal static class CheckTenants
{
    public static async Task<int> RunAsync(CliConsole console, CliHost host, TenantsRun tenants, CancellationToken cancellationToken)
    {
        var registry = host.Services.GetRequiredService<TenantRegistry>();
        var table = new Table().Title("Tenants").AddColumn("Tenant").AddColumn("Org").AddColumn("User").AddColumn("API usage").AddColumn("Token health").AddColumn("Mapped fields");
        var connectionProblems = 0;
        var fieldProblems = 0;
        foreach (var id in tenants.Ids)
        {
            var row = await CheckAsync(registry, id, cancellationToken).ConfigureAwait(false);
            connectionProblems += row.Connected ? 0 : 1;
            fieldProblems += row.FieldProblems;
            table.AddRow(ExportCommand.Cells(id, row.Org, row.User, row.Usage, row.Health, row.Fields));
        }

        console.Out.Write(table);
        console.Out.Write(new Text(connectionProblems + fieldProblems == 0
            ? $"Check passed: all {tenants.Ids.Count} tenant(s) connected, and their mapped fields exist and are writable.{Environment.NewLine}"
            : $"Check failed: {connectionProblems} tenant(s) could not connect, {fieldProblems} mapped field(s) are missing, read-only or unusable.{Environment.NewLine}"));
        return connectionProblems > 0 ? CliApp.ConnectionFailed : fieldProblems > 0 ? CliApp.SomeFailed : CliApp.Success;
    }

    private static async Task<Row> CheckAsync(TenantRegistry registry, string id, CancellationToken cancellationToken)
    {
        TenantContext tenant;
        try
        {
            tenant = await registry.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceReconnectRequiredException e)
        {
            return Row.Failed("reconnect required: " + e.Reason);
        }
        catch (ChatToSalesforceException e)
        {
            return Row.Failed(e.Message);
        }

        try
        {
            var connection = await tenant.Client.GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            var user = await CheckCommand.DescribeUserAsync(tenant.Client, connection.UserId, cancellationToken).ConfigureAwait(false);
            var usage = await CheckCommand.DescribeUsageAsync(tenant.Client, () => tenant.Usage?.Current, cancellationToken).ConfigureAwait(false);
            var fields = await CheckCommand.CheckFieldsAsync(tenant.Client, tenant.Options, cancellationToken).ConfigureAwait(false);
            var problems = fields.Where(f => f.Result != "OK").Select(f => $"{f.Check.Object}.{f.Check.Field} {f.Result}").ToList();
            return new Row(
                true,
                $"{connection.OrganizationId} ({connection.InstanceUrl.ToString().TrimEnd('/')})",
                user,
                usage,
                "OK",
                problems.Count == 0 ? $"all {fields.Count} OK" : string.Join("; ", problems),
                problems.Count);
        }
        catch (SalesforceAuthenticationException e)
        {
            return Row.Failed(TokenHealth(e));
        }
        catch (Exception e) when (e is SalesforceApiException or HttpRequestException or TimeoutException)
        {
            return Row.Failed("unreachable: " + ExportCommand.ErrorText(e));
        }
    }

    private static string TokenHealth(SalesforceAuthenticationException e) =>
        e.Error is { } code && code != "temporarily_unavailable" ? $"rejected ({code}): reconnect the tenant" : $"token endpoint unavailable: {e.Message}";

    private sealed record Row(bool Connected, string Org, string User, string Usage, string Health, string Fields, int FieldProblems)
    {
        public static Row Failed(string health) => new(false, "-", "-", "-", health, "-", 0);
    }
}
