using System.CommandLine;
using ChatToSalesforce.Erasure;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ChatToSalesforce.Cli.Commands;

/// <summary><c>chat2sf erase --email x [--tenant T] [--include-person] [--anonymize]</c>: erases what the SDK wrote for a person.</summary>
internal static class EraseCommand
{
    public static Command Create(CliConsole console)
    {
        var email = new Option<string>("--email") { Description = "The person's email (their Contacts and Leads).", Required = true };
        var tenant = new Option<string?>("--tenant", "-t") { Description = "The tenant (with --tenants); the org of --config without it." };
        var includePerson = new Option<bool>("--include-person") { Description = "Also erase the Contact or Lead when the SDK's integration user created it and nothing else references it." };
        var anonymize = new Option<bool>("--anonymize") { Description = "Keep the records and replace what identifies the person, instead of deleting them (files are deleted either way)." };
        var conversations = new Option<string[]>("--conversation") { Description = "Only these conversations' activities (repeat the option); all of the person's by default.", AllowMultipleArgumentsPerToken = true };
        var common = new CommonOptions();
        var command = new Command("erase", "Erase (or anonymise) what the SDK wrote for a person: the activities found by the conversation key and their files, and optionally the person. Idempotent: a second run finds nothing. Exit codes: 0 done (or nothing found), 1 Salesforce refused (nothing erased), 2 bad input, 3 connection.")
        {
            email, tenant, includePerson, anonymize, conversations,
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
                var request = new ErasureRequest
                {
                    Email = parseResult.GetValue(email)!,
                    TenantId = parseResult.GetValue(tenant),
                    IncludePerson = parseResult.GetValue(includePerson),
                    Mode = parseResult.GetValue(anonymize) ? ErasureMode.Anonymize : ErasureMode.Delete,
                    ConversationIds = parseResult.GetValue(conversations) ?? [],
                };
                ErasureResult result;
                try
                {
                    result = await host.Services.GetRequiredService<IConversationEraser>().EraseAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (SalesforceApiException e)
                {
                    console.WriteError($"Erasure failed: {ExportCommand.ErrorText(e)}");
                    return CliApp.SomeFailed;
                }
                catch (Exception e) when (ConnectionProblem.From(e, host.TargetDescription) is { } problem)
                {
                    console.WriteError($"Erasure failed: {problem.Summary}");
                    return CliApp.ConnectionFailed;
                }
                catch (ChatToSalesforceException e)
                {
                    console.WriteError($"Erasure failed: {e.Message}");
                    return CliApp.BadInput;
                }

                var table = new Table().Title("Erasure").AddColumn("Action").AddColumn("Record");
                foreach (var r in result.Deleted)
                {
                    table.AddRow(ExportCommand.Cells("deleted", $"{r.ObjectType} {r.Id}"));
                }

                foreach (var r in result.Anonymized)
                {
                    table.AddRow(ExportCommand.Cells("anonymised", $"{r.ObjectType} {r.Id}"));
                }

                foreach (var k in result.Kept)
                {
                    table.AddRow(ExportCommand.Cells("kept", k));
                }

                console.Out.Write(table);
                console.Line(result.NothingFound ? "Nothing to erase: no record the SDK wrote for this person was found." : $"Done ({result.ApiCalls} API calls).");
                return CliApp.Success;
            }
        });
        return command;
    }
}
