using System.Diagnostics.Metrics;
using ChatToSalesforce;
using ChatToSalesforce.Journal;
using ChatToSalesforce.Journal.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the export journal to the Salesforce chat export.</summary>
public static class ExportJournalBuilderExtensions
{
    /// <summary>
    /// Records every export's outcome in a journal (per tenant: status, Salesforce ids, failure kind, attempts, error code, times)
    /// and registers <see cref="IExportJournal"/> to read it and replay failures.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddSalesforceChatExport</c>.</param>
    /// <param name="configure">Chooses the store (<see cref="ExportJournalOptions.UseSqlite"/>, <c>UsePostgreSql</c>) and the settings.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// The registered <see cref="IConversationExporter"/> is wrapped: results and exceptions reach the caller unchanged, and a
    /// journal that cannot be written never fails or loses an export (it is reported as log event 4000 and the
    /// <see cref="ExportJournalTelemetry.WriteFailuresMetric"/> metric, and the outcomes are written when the store answers again).
    /// Call it after any registration that replaces <see cref="IConversationExporter"/>, and once.
    /// </remarks>
    /// <exception cref="ArgumentException">No store was chosen, or a setting is out of range.</exception>
    /// <exception cref="InvalidOperationException"><c>AddSalesforceChatExport</c> registered no exporter, or the journal was already added.</exception>
    public static ISalesforceChatExportBuilder AddExportJournal(this ISalesforceChatExportBuilder builder, Action<ExportJournalOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ExportJournalOptions();
        configure(options);
        options.Validate();

        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(JournalRecorder)))
        {
            throw new InvalidOperationException("AddExportJournal was called twice; one journal records every export, so add it once.");
        }

        var index = FindExporter(services);
        var exporter = services[index];
        services.AddSingleton(sp => new JournalRecorder(
            options.StoreFactory!(),
            options,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<JournalRecorder>>() ?? NullLogger<JournalRecorder>.Instance,
            sp.GetService<IMeterFactory>()));
        services[index] = ServiceDescriptor.Describe(
            typeof(IConversationExporter),
            sp => new JournalingExporter(CreateInner(exporter, sp), sp.GetRequiredService<JournalRecorder>()),
            exporter.Lifetime);
        services.AddSingleton<IExportJournal>(sp => new ExportJournal(
            sp.GetRequiredService<JournalRecorder>(),
            sp.GetRequiredService<IConversationExporter>(),
            sp.GetService<ILogger<ExportJournal>>() ?? NullLogger<ExportJournal>.Instance));
        return builder;
    }

    private static int FindExporter(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IConversationExporter) && !services[i].IsKeyedService)
            {
                return i;
            }
        }

        throw new InvalidOperationException("AddExportJournal found no exporter to record: call it on the builder that AddSalesforceChatExport returns.");
    }

    private static IConversationExporter CreateInner(ServiceDescriptor descriptor, IServiceProvider services) =>
        (IConversationExporter)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
