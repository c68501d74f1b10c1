using ChatToSalesforce;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Filtering;
using ChatToSalesforce.Filtering.Internal;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Ownership.Internal;
using ChatToSalesforce.Export.Internal;
using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Records;
using ChatToSalesforce.Records.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Transcripts;
using ChatToSalesforce.Transcripts.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Salesforce chat export services.</summary>
public static class SalesforceChatExportServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> the default Salesforce client uses.</summary>
    public const string HttpClientName = "ChatToSalesforce";

    /// <summary>Registers the exporter, its default stages and the default Salesforce client, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder to replace stages and configure the HTTP client.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>Calling it more than once registers the services once; each call's <paramref name="configure"/> is applied in order.</remarks>
    public static ISalesforceChatExportBuilder AddSalesforceChatExport(this IServiceCollection services, Action<SalesforceChatExportOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddCore(services);
        services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the exporter, its default stages and the default Salesforce client, bound from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section (for example <c>Configuration.GetSection("Salesforce")</c>), using the option property names.</param>
    /// <returns>A builder to replace stages and configure the HTTP client.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>Unknown keys in the section are reported as configuration errors when the options are validated.</remarks>
    public static ISalesforceChatExportBuilder AddSalesforceChatExport(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var builder = AddCore(services);
        services.AddSingleton<IConfigureOptions<SalesforceChatExportOptions>>(new SectionOptionsBinder(section));

        // Without a change token source, IOptionsMonitor never sees a configuration reload (a rotated AccessToken, a new budget).
        services.AddSingleton<IOptionsChangeTokenSource<SalesforceChatExportOptions>>(new ConfigurationChangeTokenSource<SalesforceChatExportOptions>(Options.Options.DefaultName, section));
        return builder;
    }

    private static SalesforceChatExportBuilder AddCore(IServiceCollection services)
    {
        var httpClient = services.AddHttpClient(HttpClientName);
        if (services.Any(d => d.ServiceType == typeof(SalesforceChatExportMarker)))
        {
            return new SalesforceChatExportBuilder(services, httpClient);
        }

        services.AddSingleton<SalesforceChatExportMarker>();
        services.AddLogging();
        services.AddOptions<SalesforceChatExportOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceChatExportOptions>, SalesforceChatExportOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        SalesforceTransportRegistration.AddDefaultTransport(services);

        services.TryAddSingleton<IIdentityMatcher, DefaultIdentityMatcher>();
        services.TryAddSingleton<IRecordResolver, DefaultRecordResolver>();
        services.TryAddSingleton<IFieldMapper, DefaultFieldMapper>();
        services.TryAddSingleton<IOwnerResolver, DefaultOwnerResolver>();
        services.TryAddSingleton<ITranscriptWriter, DefaultTranscriptWriter>();
        services.TryAddSingleton<ITranscriptFormatter, PlainTextTranscriptFormatter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExportFilter, ConditionExportFilter>());
        services.TryAddSingleton<OrgMetadataCache>();
        services.TryAddSingleton<ChatToSalesforce.Tenancy.Internal.TenantRegistry>();
        services.TryAddSingleton<ISalesforceTenantUsage>(static sp => sp.GetRequiredService<ChatToSalesforce.Tenancy.Internal.TenantRegistry>());
        services.TryAddSingleton<ChatToSalesforce.Connect.ISalesforceConnector, ChatToSalesforce.Connect.Internal.SalesforceConnector>();
        services.TryAddSingleton<ChatToSalesforce.Erasure.IConversationEraser, ChatToSalesforce.Erasure.Internal.ConversationEraser>();
        services.TryAddSingleton<ConversationExporter>();
        services.TryAddSingleton<IConversationExporter>(static sp => sp.GetRequiredService<ConversationExporter>());
        services.TryAddSingleton<IExportPreviewer>(static sp => sp.GetRequiredService<ConversationExporter>());
        services.TryAddSingleton<ChatToSalesforce.Actions.Internal.ActionCache>();
        services.TryAddSingleton<ChatToSalesforce.Actions.IVisitorLookup, ChatToSalesforce.Actions.Internal.VisitorLookup>();
        services.TryAddSingleton<ChatToSalesforce.Actions.IChatbotActions, ChatToSalesforce.Actions.Internal.ChatbotActions>();
        return new SalesforceChatExportBuilder(services, httpClient);
    }

    private sealed record SalesforceChatExportBuilder(IServiceCollection Services, IHttpClientBuilder HttpClient) : ISalesforceChatExportBuilder;

    private sealed class SalesforceChatExportMarker;
}
