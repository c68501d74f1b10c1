using System.CommandLine;
using ChatToSalesforce.Cli.Commands;

var root = new RootCommand("chat2sf: export chat conversations into Salesforce, and serve a local Salesforce org emulator.");

// One line per command; each command lives in Commands/ (export, preview and check can be added the same way).
root.Subcommands.Add(EmulatorCommand.Create());

// Long-running commands handle Ctrl+C themselves (see Commands/ShutdownSignal.cs) so they can stop cleanly.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await root.Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
