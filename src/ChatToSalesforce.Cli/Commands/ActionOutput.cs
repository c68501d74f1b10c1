using System.Globalization;
using ChatToSalesforce.Actions;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary>What <c>lookup</c>, <c>find</c> and <c>soql</c> share: connecting once, printing a bot result, and their exit codes.</summary>
internal static class ActionOutput
{
    /// <summary>Obtains a token once, so rejected credentials or an unreachable org end the command with one message (exit 3).</summary>
    public static async Task<int?> ConnectAsync(CliHost host, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            await host.Client.GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (ConnectionProblem.From(e, host.TargetDescription) is { } problem)
        {
            var said = e is SalesforceAuthenticationException auth ? ExportCommand.SalesforceSaid(auth.ErrorDescription) : string.Empty;
            console.WriteError($"Stopped: {problem.Summary}{said}");
            return CliApp.ConnectionFailed;
        }
    }

    /// <summary>Prints a bot action's result the way a bot engine sees it; returns 0 for Found/NotFound/Created/Updated, 1 for Failed.</summary>
    public static int Print(CliConsole console, string title, BotActionResult result)
    {
        var table = new Table().Title(Markup.Escape(ConsoleText.Escape(title))).HideHeaders().AddColumn("What").AddColumn("Value");
        table.AddRow(ExportCommand.Cells("Outcome", result.Outcome.ToString()));
        if (result.RecordId is not null)
        {
            table.AddRow(ExportCommand.Cells("Record id", result.RecordId));
        }

        foreach (var (field, value) in result.Values)
        {
            table.AddRow(ExportCommand.Cells($"  {field}", value ?? "(blank)"));
        }

        if (result.Failure is { } failure)
        {
            table.AddRow(ExportCommand.Cells("Failure", $"{failure.Kind} ({failure.ErrorCode ?? "no code"})"));
            table.AddRow(ExportCommand.Cells("Message", failure.Message));
        }

        table.AddRow(ExportCommand.Cells("API calls", Calls(result.ApiCalls, result.FromCache)));
        console.Out.Write(table);
        return result.Outcome == BotActionOutcome.Failed ? CliApp.SomeFailed : CliApp.Success;
    }

    public static string Calls(int calls, bool fromCache) =>
        fromCache ? "0 (answered from the cache)" : calls.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <c>name=value</c> pairs (<c>--var visitor.email=ada@example.com</c>, <c>--value custom:visitorId=v-1</c>).</summary>
    public static Dictionary<string, string?>? Pairs(string option, IEnumerable<string>? pairs, CliConsole console)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                console.WriteError($"Input error: {option} '{pair}' is not written as name=value, for example {option} visitor.email=ada@example.com.");
                return null;
            }

            values[pair[..eq].Trim()] = pair[(eq + 1)..];
        }

        return values;
    }
}
