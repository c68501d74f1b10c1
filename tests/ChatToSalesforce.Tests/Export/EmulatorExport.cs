using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatToSalesforce.Tests.Export;

/// <summary>
/// The exporter with its default stages, wired to an in-process <see cref="SalesforceEmulator"/> through the SDK's own
/// transport (access-token flow, tiny resend delays). Call counts come from the emulator's accounting.
/// </summary>
internal sealed class EmulatorExport : IDisposable
{
    private EmulatorExport(SalesforceEmulator emulator, ServiceProvider services)
    {
        Emulator = emulator;
        Services = services;
        Exporter = services.GetRequiredService<IConversationExporter>();
    }

    public SalesforceEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    public IConversationExporter Exporter { get; }

    /// <param name="emulator">The org.</param>
    /// <param name="configure">Options, applied after the defaults.</param>
    /// <param name="build">Replaces stages.</param>
    /// <param name="decorate">Wraps the SDK's transport (for faults the emulator cannot inject).</param>
    /// <param name="handler">Wraps the emulator's HTTP handler (to hold or drop responses).</param>
    /// <param name="services">Registrations made before the SDK's (a TimeProvider, a distributed cache).</param>
    public static EmulatorExport Create(
        SalesforceEmulator emulator,
        Action<SalesforceChatExportOptions>? configure = null,
        Action<ISalesforceChatExportBuilder>? build = null,
        Func<ISalesforceClient, ISalesforceClient>? decorate = null,
        Func<HttpMessageHandler, HttpMessageHandler>? handler = null,
        Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        var builder = collection.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = emulator.IssueAccessToken();

            // Resends wait a few ticks, never seconds.
            o.Resilience.BaseDelay = TimeSpan.FromTicks(1);
            o.Resilience.MaxDelay = TimeSpan.FromTicks(1);
            configure?.Invoke(o);
        });
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => handler is null ? emulator.CreateHandler() : handler(emulator.CreateHandler()));
        build?.Invoke(builder);
        if (decorate is not null)
        {
            collection.Replace(ServiceDescriptor.Singleton<ISalesforceClient>(sp => decorate(ActivatorUtilities.CreateInstance<SalesforceRestClient>(sp))));
        }

        return new EmulatorExport(emulator, collection.BuildServiceProvider());
    }

    public void Dispose() => Services.Dispose();
}

/// <summary>Reads the emulator's org state for assertions.</summary>
internal static class Org
{
    public static string? Text(this JsonObject record, string field) => record[field] is JsonValue value ? value.ToString() : null;

    public static string Id(this JsonObject record) => record.Text("Id")!;

    /// <summary>The composite read requests (POST /composite, not graphs) the SDK sent.</summary>
    public static int ReadRequests(this SalesforceEmulator emulator) =>
        emulator.RequestLog.Count(r => r.Method == "POST" && r.Path.EndsWith("/composite", StringComparison.Ordinal));

    /// <summary>The graph write requests the SDK sent.</summary>
    public static int WriteRequests(this SalesforceEmulator emulator) =>
        emulator.RequestLog.Count(r => r.Method == "POST" && r.Path.EndsWith("/composite/graph", StringComparison.Ordinal));

    public static string SeedUser(this SalesforceEmulator emulator, string email, bool active = true) =>
        emulator.Insert("User", new { Username = email, Email = email, LastName = email.Split('@')[0], IsActive = active });

    /// <summary>The ContentVersions published on a record.</summary>
    public static IReadOnlyList<JsonObject> FilesOf(this SalesforceEmulator emulator, string recordId) =>
        emulator.Records("ContentVersion").Where(v => v.Text("FirstPublishLocationId") == recordId).ToList();
}

/// <summary>A transport decorator whose calls a test can rewrite (faults the emulator cannot inject).</summary>
internal class ClientDecorator(ISalesforceClient inner) : ISalesforceClient
{
    protected ISalesforceClient Inner { get; } = inner;

    public virtual Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) => Inner.QueryAsync(soql, cancellationToken);

    public virtual Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default) => Inner.ReadAsync(reads, cancellationToken);

    public virtual Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default) => Inner.WriteAsync(units, cancellationToken);

    public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) => Inner.DescribeAsync(objectType, cancellationToken);

    public virtual Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) => Inner.UploadFileAsync(file, cancellationToken);

    public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => Inner.GetConnectionAsync(cancellationToken);

    public Task<JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => Inner.GetLimitsAsync(cancellationToken);
}

/// <summary>
/// Wraps the emulator's handler: a request the predicate selects is answered by the org first, then its response is held
/// until the test releases it (so the test decides what happens while the answer is in flight).
/// </summary>
internal sealed class HoldingHandler(HttpMessageHandler inner, Func<HttpRequestMessage, string, bool> hold) : DelegatingHandler(inner)
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Completes when a selected request has been answered by the org (its response not yet delivered).</summary>
    public Task Arrived => _arrived.Task;

    public void Release() => _release.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (hold(request, body) && Interlocked.Exchange(ref _held, 1) == 0)
        {
            _arrived.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }

        return response;
    }
}

/// <summary>Holds the first <c>count</c> requests the predicate selects until all of them have arrived, then answers them together.</summary>
internal sealed class BarrierHandler(HttpMessageHandler inner, int count, Func<HttpRequestMessage, bool> select) : DelegatingHandler(inner)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (select(request))
        {
            var n = Interlocked.Increment(ref _arrived);
            if (n == count)
            {
                _all.TrySetResult();
            }

            if (n <= count)
            {
                // A guard against a hang if fewer requests than expected arrive; the test then fails, it never waits on time to pass.
                await _all.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
