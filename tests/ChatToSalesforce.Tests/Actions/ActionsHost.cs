using ChatToSalesforce.Actions;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Tests.Export;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatToSalesforce.Tests.Actions;

/// <summary>The SDK's actions wired to an in-process emulator (the export's transport, a fake clock for the answer cache).</summary>
internal sealed class ActionsHost : IDisposable
{
    private readonly EmulatorExport _export;

    public ActionsHost(Action<SalesforceChatExportOptions>? configure = null, SalesforceEmulator? emulator = null)
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        _export = EmulatorExport.Create(emulator ?? new SalesforceEmulator(), configure, services: s => s.AddSingleton<TimeProvider>(Clock));
        Lookup = _export.Services.GetRequiredService<IVisitorLookup>();
        Bot = _export.Services.GetRequiredService<IChatbotActions>();
    }

    public SalesforceEmulator Org => _export.Emulator;

    public FakeTimeProvider Clock { get; }

    public IVisitorLookup Lookup { get; }

    public IChatbotActions Bot { get; }

    /// <summary>The API calls the emulator counted since the last call (token requests are not API calls).</summary>
    public long CallsSince(ref long mark)
    {
        var now = Org.ApiCallsUsed;
        var spent = now - mark;
        mark = now;
        return spent;
    }

    public void Dispose() => _export.Dispose();
}
