using System.CommandLine;
using ChatToSalesforce.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf soql "&lt;template&gt;" --var visitor.email=…</c>: the "find a record by SOQL" bot action.</summary>
internal static class SoqlCommand
{
    public static Command Create(CliConsole console)
    {
        var template = new Argument<string>("template") { Description = "The SOQL template, for example \"SELECT Id, Name FROM Contact WHERE Email = {!Visitor.Email}\"." };
        var vars = new Option<string[]>("--var") { Description = "A placeholder's value, as name=value, for example --var visitor.email=ada@example.com or --var custom:orderNumber=A-1. Repeatable." };
        var common = new CommonOptions();
        var command = new Command("soql", "Validate a \"find a record by SOQL\" template as the SDK does when a bot action is configured, then run it with the given placeholder values (first row; only SELECTed fields). Exit codes: 0 found or not found, 1 the action failed, 2 invalid template, bad input or configuration, 3 credentials rejected or Salesforce unreachable.")
        {
            template,
            vars,
        };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(template)!;
            var problems = BotSoqlTemplate.Validate(text);
            if (problems.Count > 0)
            {
                console.WriteErrors("Invalid template (nothing was sent to Salesforce):", problems);
                return CliApp.BadInput;
            }

            var values = ActionOutput.Pairs("--var", parseResult.GetValue(vars), console);
            if (values is null)
            {
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

                var parsed = BotSoqlTemplate.Parse(text);
                var result = await host.Services.GetRequiredService<IChatbotActions>().FindRecordBySoqlAsync(new SoqlFindRequest { Template = parsed, Values = values }, cancellationToken).ConfigureAwait(false);
                return ActionOutput.Print(console, $"Find {parsed.ObjectType} by SOQL", result);
            }
        });
        return command;
    }
}
