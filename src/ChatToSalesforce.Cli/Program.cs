using System.Runtime.InteropServices;
using ChatToSalesforce.Cli;

// Ctrl+C / SIGTERM: the first asks the running command to stop gracefully (export and preview start no new conversation,
// let in-flight requests finish and print the summary so far; the emulator stops); a second one terminates at once.
using var stop = new CancellationTokenSource();
var signals = 0;
void OnSignal(PosixSignalContext context)
{
    context.Cancel = Interlocked.Increment(ref signals) == 1;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return await CliApp.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
