using System.CommandLine;
using ChatToSalesforce.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf find &lt;object&gt; &lt;field&gt; &lt;value&gt;</c>: the "find a record" bot action.</summary>
internal static class FindCommand
{
    public static Command Create(CliConsole console)
    {
        var objectType = new Argument<string>("object") { Description = "The object to search, for example Contact or Order__c." };
        var field = new Argument<string>("field") { Description = "The field to search by, for example Email." };
        var value = new Argument<string>("value") { Description = "The value to look for." };
        var returned = new Option<string[]>("--return", "-r") { Description = "A field to read from the match, for example --return Title --return Account.Name. Repeatable." };
        var common = new CommonOptions();
        var command = new Command("find", "Run the \"find a record\" bot action: the most recently modified record whose field equals the value, with the chosen fields. Exit codes: 0 found or not found, 1 the action failed (the failure kind and Salesforce's message are shown), 2 bad input or configuration, 3 credentials rejected or Salesforce unreachable.")
        {
            objectType,
            field,
            value,
            returned,
        };
        common.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
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

                var request = new FindRecordRequest { ObjectType = parseResult.GetValue(objectType)!, Field = parseResult.GetValue(field)!, Value = parseResult.GetValue(value)!, ReturnFields = parseResult.GetValue(returned) ?? [] };
                var result = await host.Services.GetRequiredService<IChatbotActions>().FindRecordAsync(request, cancellationToken).ConfigureAwait(false);
                return ActionOutput.Print(console, $"Find {request.ObjectType} by {request.Field}", result);
            }
        });
        return command;
    }
}
