namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the Salesforce chat export services registered by <c>AddSalesforceChatExport</c>.</summary>
public interface ISalesforceChatExportBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the builder of the <see cref="System.Net.Http.HttpClient"/> the default Salesforce client uses: add handlers, a proxy, or a test handler.</summary>
    IHttpClientBuilder HttpClient { get; }
}
