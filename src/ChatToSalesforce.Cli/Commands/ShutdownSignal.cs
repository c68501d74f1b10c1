using System.Runtime.InteropServices;

namespace ChatToSalesforce.Cli.Commands;

/// <summary>A token cancelled by Ctrl+C (SIGINT) or SIGTERM, so a long-running command can stop cleanly and exit 0.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignal(CancellationToken linked)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(linked);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => _cts.Token;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // do not let the runtime terminate the process; stop through the token instead
        _cts.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cts.Dispose();
    }
}
