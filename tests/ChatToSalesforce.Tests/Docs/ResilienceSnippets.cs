using System.Diagnostics.Metrics;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Telemetry;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/resilience.md, compiled (G22) and run against the emulator.</summary>
public sealed class ResilienceSnippets
{
    internal static void ReadUsage(IServiceProvider serviceProvider)
    {
        #region Snippet:resilience-1
        var usage = serviceProvider.GetRequiredService<ISalesforceApiUsage>().Current;
        if (usage is not null)
        {
            Console.WriteLine($"{usage.OrganizationId}: {usage.Used}/{usage.Limit} ({usage.Share:P0}) at {usage.ObservedAt:u}");
        }
        #endregion
    }

    internal static void ExportMetrics(IHostApplicationBuilder builder)
    {
        #region Snippet:resilience-2
        // with the OpenTelemetry.Extensions.Hosting package
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(ChatToSalesforceTelemetry.SourceName));
        #endregion
    }

    [Fact]
    public async Task Usage_AfterAnExport_IsTheOrgsAndTheMeterPublishesIt()
    {
        var instruments = new HashSet<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ChatToSalesforceTelemetry.SourceName)
            {
                lock (instruments)
                {
                    instruments.Add(instrument.Name);
                }
            }
        };
        listener.Start();
        await using var emulator = new SalesforceEmulator();
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(options =>
            {
                options.InstanceUrl = emulator.InstanceUrl;
                options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                options.Authentication.AccessToken = emulator.IssueAccessToken();
            })
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ISalesforceApiUsage>().Current.Should().BeNull("usage is learned from responses");

        await provider.GetRequiredService<IConversationExporter>().ExportAsync(DocsConversations.Ann());
        ReadUsage(provider);

        var usage = provider.GetRequiredService<ISalesforceApiUsage>().Current;
        usage.Should().NotBeNull();
        usage!.Used.Should().Be(emulator.ApiCallsUsed);
        usage.Limit.Should().Be(emulator.DailyApiLimit);
        lock (instruments)
        {
            instruments.Should().Contain([ChatToSalesforceTelemetry.ApiRequestsMetric, ChatToSalesforceTelemetry.ApiUsageMetric]);
        }
    }
}

/// <summary>
/// The OpenTelemetry.Extensions.Hosting surface docs/resilience.md calls (<c>AddOpenTelemetry()</c> →
/// <c>OpenTelemetryBuilder.WithMetrics(Action&lt;MeterProviderBuilder&gt;)</c> → <c>MeterProviderBuilder.AddMeter(params string[])</c>),
/// with the same signatures. That package is not on this machine's registry, so the snippet compiles against this
/// stand-in; what it checks is the SDK's part, the meter name. The test above checks that the meter publishes.
/// </summary>
internal static class OpenTelemetryStandIn
{
    public static OpenTelemetryBuilder AddOpenTelemetry(this IServiceCollection services) => new(services);

    public sealed class OpenTelemetryBuilder(IServiceCollection services)
    {
        public IServiceCollection Services { get; } = services;

        public OpenTelemetryBuilder WithMetrics(Action<MeterProviderBuilder> configure)
        {
            configure(new MeterProviderBuilder());
            return this;
        }
    }

    public sealed class MeterProviderBuilder
    {
        public IList<string> Meters { get; } = [];

        public MeterProviderBuilder AddMeter(params string[] names)
        {
            foreach (var name in names)
            {
                Meters.Add(name);
            }

            return this;
        }
    }
}
