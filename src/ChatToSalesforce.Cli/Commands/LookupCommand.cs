using System.CommandLine;
using ChatToSalesforce.Actions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf lookup --email …</c>: the agent console's visitor lookup, with the configuration's identification rules.</summary>
internal static class LookupCommand
{
    public static Command Create(CliConsole console)
    {
        var email = new Option<string?>("--email") { Description = "The visitor's email address." };
        var phone = new Option<string?>("--phone") { Description = "The visitor's phone number (a Phone identification rule compares digits)." };
        var values = new Option<string[]>("--value") { Description = "Another value an identification rule reads, as source=value, for example --value custom:visitorId=v-1. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var fields = new Option<string[]>("--field") { Description = "An extra field to show, as Object.Field, for example --field Contact.Title. Repeatable." };
        var common = new CommonOptions();
        var command = new Command("lookup", "Look a visitor up as the agent console does: the configuration's identification rules, precedence and several-matches policy; shows the matching Contacts, Leads or Person Accounts with their Account and owner. Exit codes: 0 looked up (found or not), 2 bad input or configuration, 3 credentials rejected or Salesforce unreachable.")
        {
            email,
            phone,
            values,
            fields,
        };
        common.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(console, common, parseResult, parseResult.GetValue(email), parseResult.GetValue(phone), parseResult.GetValue(values), parseResult.GetValue(fields), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, CommonOptions common, ParseResult parseResult, string? email, string? phone, string[]? valuePairs, string[]? fields, CancellationToken cancellationToken)
    {
        var values = ActionOutput.Pairs("--value", valuePairs, console);
        if (values is null)
        {
            return CliApp.BadInput;
        }

        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(phone) && values.Count == 0)
        {
            console.WriteError("Input error: give the visitor's --email, --phone or a --value source=value to look up by.");
            return CliApp.BadInput;
        }

        if (common.TryCreateHost(parseResult, console) is not { } host)
        {
            return CliApp.BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            if (await ActionOutput.ConnectAsync(host, console, cancellationToken).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            VisitorLookupResult result;
            try
            {
                result = await host.Services.GetRequiredService<IVisitorLookup>().LookupAsync(
                    new VisitorLookupRequest { Email = email, Phone = phone, Values = values, Fields = fields ?? [] },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                console.WriteError($"Input error: {e.Message}");
                return CliApp.BadInput;
            }
            catch (SalesforceApiException e)
            {
                console.WriteError($"Lookup failed: {ExportCommand.ErrorText(e)}");
                return ConnectionProblem.From(e, host.TargetDescription) is null ? CliApp.SomeFailed : CliApp.ConnectionFailed;
            }

            console.Out.MarkupLine($"Looking the visitor up in {Markup.Escape(ConsoleText.Escape(host.TargetDescription))} with the configured identification ({host.Options.Mode}, {host.Options.Identity.Precedence}, several matches: {host.Options.Identity.MultipleMatches}).");
            var table = new Table().AddColumn("").AddColumn("Object").AddColumn("Id").AddColumn("Name").AddColumn("Email").AddColumn("Account").AddColumn("Owner");
            var extra = (fields ?? []).Select(f => f[(f.IndexOf('.', StringComparison.Ordinal) + 1)..]).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            foreach (var field in extra)
            {
                table.AddColumn(Markup.Escape(ConsoleText.Escape(field)));
            }

            foreach (var record in result.Records)
            {
                var cells = new List<string>
                {
                    ReferenceEquals(record, result.Match) ? "match" : string.Empty,
                    record.ObjectType,
                    record.Id,
                    Get(record, "Name"),
                    Get(record, record.ObjectType == "Account" ? "PersonEmail" : "Email"),
                    record.AccountName ?? string.Empty,
                    record.OwnerName ?? record.OwnerId ?? string.Empty,
                };
                cells.AddRange(extra.Select(f => Get(record, f)));
                table.AddRow(ExportCommand.Cells([.. cells]));
            }

            if (result.Records.Count > 0)
            {
                console.Out.Write(table);
            }

            console.Line(result.Match is { } match
                ? $"Match: {match.ObjectType} {match.Id}; an export of this visitor would write to it."
                : result.SkipReason is { } reason
                    ? $"No match chosen: {reason}"
                    : "Not found: an export of this visitor would create the person.");
            console.Line($"API calls: {ActionOutput.Calls(result.ApiCalls, result.FromCache)}");
            return CliApp.Success;
        }
    }

    private static string Get(VisitorRecord record, string field) => record.Fields.TryGetValue(field, out var value) ? value ?? string.Empty : string.Empty;
}
