using System.CommandLine;
using ChatToSalesforce.Cli.Commands;

var root = new RootCommand("chat2sf: export chat conversations into Salesforce, and serve a local Salesforce org emulator.");

// One line per command; each command lives in Commands/ (export, preview and check can be added the same way).
root.Subcommands.Add(EmulatorCommand.Create());

// Ctrl+C and SIGTERM cancel the action's token; the action gets 5 seconds to stop cleanly.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(5) };
return await root.Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
