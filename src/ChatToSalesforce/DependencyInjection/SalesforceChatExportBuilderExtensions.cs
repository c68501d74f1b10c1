using System.Diagnostics.CodeAnalysis;
using ChatToSalesforce.Filtering;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Transcripts;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Replaces the stages of the export pipeline.</summary>
/// <remarks>
/// Precedence: the defaults are registered with <c>TryAdd</c>, so a host's own registration made before
/// <c>AddSalesforceChatExport</c> wins; <c>Use*</c> replaces whatever is registered, so the last <c>Use*</c> wins.
/// Replacements are singletons: they must be thread-safe.
/// </remarks>
public static class SalesforceChatExportBuilderExtensions
{
    /// <summary>
    /// Backs the per-org metadata cache (describe results, agent email → User id) with the host's
    /// <see cref="Caching.Distributed.IDistributedCache"/>, so worker processes share what one of them read from Salesforce.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// Register an <see cref="Caching.Distributed.IDistributedCache"/> (Redis, SQL Server, ...) yourself. Entries live for
    /// <see cref="ChatToSalesforce.SalesforceChatExportOptions.MetadataCacheDuration"/> under keys starting
    /// <c>ChatToSalesforce:metadata:v1:</c>. The distributed cache is best effort: when it fails, Salesforce is read instead.
    /// Tokens are not stored in it.
    /// </remarks>
    public static ISalesforceChatExportBuilder UseDistributedMetadataCache(this ISalesforceChatExportBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton(static sp => new ChatToSalesforce.Salesforce.Internal.OrgMetadataCache(sp.GetRequiredService<TimeProvider>())
        {
            Distributed = sp.GetRequiredService<Caching.Distributed.IDistributedCache>(),
        }));
        return builder;
    }

    /// <summary>Replaces the identity matcher.</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseIdentityMatcher<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this ISalesforceChatExportBuilder builder)
        where T : class, IIdentityMatcher => builder.Replace<IIdentityMatcher, T>();

    /// <summary>Replaces the record resolver.</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseRecordResolver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this ISalesforceChatExportBuilder builder)
        where T : class, IRecordResolver => builder.Replace<IRecordResolver, T>();

    /// <summary>Replaces the field mapper.</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseFieldMapper<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this ISalesforceChatExportBuilder builder)
        where T : class, IFieldMapper => builder.Replace<IFieldMapper, T>();

    /// <summary>Replaces the owner resolver.</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseOwnerResolver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this ISalesforceChatExportBuilder builder)
        where T : class, IOwnerResolver => builder.Replace<IOwnerResolver, T>();

    /// <summary>Replaces the transcript writer.</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseTranscriptWriter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this ISalesforceChatExportBuilder builder)
        where T : class, ITranscriptWriter => builder.Replace<ITranscriptWriter, T>();

    /// <summary>Replaces the Salesforce client (the host's own transport).</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder UseSalesforceClient<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this ISalesforceChatExportBuilder builder)
        where T : class, ISalesforceClient => builder.Replace<ISalesforceClient, T>();

    /// <summary>Adds an export filter after those already registered. Adding the same type twice adds it once.</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    public static ISalesforceChatExportBuilder AddExportFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this ISalesforceChatExportBuilder builder)
        where T : class, IExportFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExportFilter, T>());
        return builder;
    }

    private static ISalesforceChatExportBuilder Replace<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this ISalesforceChatExportBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<TService, TImplementation>());
        return builder;
    }
}
