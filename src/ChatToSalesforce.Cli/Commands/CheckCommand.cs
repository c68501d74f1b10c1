using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf check</c>: authenticates, prints the connection and API usage, and verifies the mapped fields exist and are writable.</summary>
internal static class CheckCommand
{
    public static Command Create(CliConsole console)
    {
        var common = new CommonOptions();
        var command = new Command("check", "Test the connection: authenticate with the configured flow, print the org, user, instance URL, API version and daily API usage, and verify every mapped field exists and is writable. Exit codes: 0 all OK, 1 a mapped field is missing, read-only or not an external id, 2 bad configuration, 3 credentials rejected or Salesforce unreachable.");
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, common, parseResult, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, CommonOptions common, ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (common.TryCreateHost(parseResult, console) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            if (host.Tenants is { } tenants)
            {
                return await CheckTenants.RunAsync(console, host, tenants, cancellationToken).ConfigureAwait(false);
            }

            var client = host.Client;
            var options = host.Options;
            SalesforceConnection connection;
            try
            {
                connection = await client.GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ConnectionProblem.From(e, host.TargetDescription) is { } problem)
            {
                // The same classification and exit code as export: credentials rejected or org unreachable.
                var said = e is SalesforceAuthenticationException auth ? ExportCommand.SalesforceSaid(auth.ErrorDescription) : string.Empty;
                console.WriteError($"Check failed ({options.Authentication.Flow} flow): {problem.Summary}{said}");
                return CliApp.ConnectionFailed;
            }

            var info = new Table().Title("Connection").HideHeaders().AddColumn("What").AddColumn("Value");
            info.AddRow(ExportCommand.Cells("Target", host.TargetDescription));
            info.AddRow(ExportCommand.Cells("Authentication", options.Authentication.Flow.ToString()));
            info.AddRow(ExportCommand.Cells("Organization id", connection.OrganizationId ?? "(unknown)"));
            info.AddRow(ExportCommand.Cells("User", await DescribeUserAsync(client, connection.UserId, cancellationToken).ConfigureAwait(false)));
            info.AddRow(ExportCommand.Cells("Instance URL", connection.InstanceUrl.ToString().TrimEnd('/')));
            info.AddRow(ExportCommand.Cells("API version", connection.ApiVersion));
            info.AddRow(ExportCommand.Cells("Mode", options.Mode.ToString()));
            info.AddRow(ExportCommand.Cells("Daily API requests", await DescribeUsageAsync(host.Client, () => host.ApiUsage.Current, cancellationToken).ConfigureAwait(false)));
            console.Out.Write(info);

            var results = await CheckFieldsAsync(client, options, cancellationToken).ConfigureAwait(false);
            var table = new Table().Title("Field mappings").AddColumn("Setting").AddColumn("Target").AddColumn("Result");
            var problems = results.Count(r => r.Result != "OK");
            foreach (var (check, result) in results)
            {
                table.AddRow(ExportCommand.Cells(check.Setting, $"{check.Object}.{check.Field}", result));
            }

            console.Out.Write(table);
            console.Out.Write(new Text(problems == 0
                ? $"Check passed: connected, and all {results.Count} mapped field(s) exist and are writable.{Environment.NewLine}"
                : $"Check failed: {problems} of {results.Count} mapped field(s) are missing, read-only or unusable.{Environment.NewLine}"));
            return problems == 0 ? CliApp.Success : CliApp.SomeFailed;
        }
    }

    /// <summary>Describes the objects the settings write to and checks every built-in and mapped field: "OK" or the problem.</summary>
    internal static async Task<List<(FieldCheck Check, string Result)>> CheckFieldsAsync(ISalesforceClient client, SalesforceChatExportOptions options, CancellationToken cancellationToken)
    {
        var checks = Plan(options);
        var describes = new Dictionary<string, (SalesforceObjectDescription? Description, string? Problem)>(StringComparer.OrdinalIgnoreCase);
        foreach (var objectType in checks.Select(c => c.Object).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                describes[objectType] = (await client.DescribeAsync(objectType, cancellationToken).ConfigureAwait(false), null);
            }
            catch (SalesforceApiException e)
            {
                describes[objectType] = (null, e.ErrorCode is "NOT_FOUND" or "INVALID_TYPE" || e.StatusCode == System.Net.HttpStatusCode.NotFound
                    ? $"object {objectType} missing"
                    : $"describe failed: {ExportCommand.ErrorText(e)}");
            }
        }

        var results = new List<(FieldCheck, string)>(checks.Count);
        foreach (var check in checks)
        {
            var (description, problem) = describes[check.Object];
            var result = description is null ? problem!
                : description.FindField(check.Field) is not { } field ? "missing"
                : !field.Createable && !field.Updateable ? "read-only"
                : check.ExternalId && !field.IsExternalId ? "not an external id"
                : "OK";
            results.Add((check, result));
        }

        return results;
    }

    internal sealed record FieldCheck(string Setting, string Object, string Field, bool ExternalId = false);

    private static List<FieldCheck> Plan(SalesforceChatExportOptions o)
    {
        var (person, activity) = o.Mode switch
        {
            ExportMode.ContactAndTask => ("Contact", "Task"),
            ExportMode.LeadAndTask => ("Lead", "Task"),
            ExportMode.ContactAndCase => ("Contact", "Case"),
            ExportMode.LeadAndCase => ("Lead", "Case"),
            ExportMode.ContactAndEvent => ("Contact", "Event"),
            ExportMode.LeadAndEvent => ("Lead", "Event"),
            _ => (o.Record.ObjectType ?? "(Record.ObjectType)", (string?)null),
        };

        var checks = new List<FieldCheck>();
        if (o.Mode != ExportMode.Record)
        {
            checks.Add(new("built-in (person)", person, "LastName"));
            checks.Add(new("built-in (person)", person, "Email"));
            checks.Add(new("built-in (activity)", activity!, "Subject"));
            checks.Add(new("built-in (activity)", activity!, "Description"));
        }

        if (o.ConversationIdField is { } conversationId && activity is not null)
        {
            checks.Add(new(nameof(o.ConversationIdField), activity, conversationId, ExternalId: true));
        }

        if (o.PersonKeyField is { } personKey)
        {
            checks.Add(new(nameof(o.PersonKeyField), person, personKey, ExternalId: true));
        }

        for (var i = 0; i < o.FieldMappings.Count; i++)
        {
            var target = o.FieldMappings[i].Target;
            var dot = target.IndexOf('.', StringComparison.Ordinal);
            checks.Add(new($"FieldMappings[{i}]", target[..dot], target[(dot + 1)..]));
        }

        return checks;
    }

    internal static async Task<string> DescribeUserAsync(ISalesforceClient client, string? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return "(unknown)";
        }

        try
        {
            var result = await client.QueryAsync($"SELECT Username FROM User WHERE Id = {Soql.Quote(userId)}", cancellationToken).ConfigureAwait(false);
            return result.Records.FirstOrDefault()?.GetString("Username") is { } username ? $"{username} ({userId})" : userId;
        }
        catch (SalesforceApiException)
        {
            return userId;
        }
    }

    internal static async Task<string> DescribeUsageAsync(ISalesforceClient client, Func<SalesforceApiUsageSnapshot?> reported, CancellationToken cancellationToken)
    {
        try
        {
            var limits = await client.GetLimitsAsync(cancellationToken).ConfigureAwait(false);
            if (limits["DailyApiRequests"] is JsonObject daily && daily["Max"] is JsonValue maxValue && maxValue.TryGetValue<long>(out var max)
                && daily["Remaining"] is JsonValue remainingValue && remainingValue.TryGetValue<long>(out var remaining))
            {
                return Usage(max - remaining, max);
            }
        }
        catch (SalesforceApiException)
        {
            // Fall back to the usage Salesforce reports on every response.
        }

        return reported() is { } usage ? Usage(usage.Used, usage.Limit) : "(not reported)";

        static string Usage(long used, long max) => string.Create(CultureInfo.InvariantCulture, $"{used:N0} used of {max:N0} ({(max > 0 ? (double)used / max : 0):P1}), {max - used:N0} remaining");
    }
}
