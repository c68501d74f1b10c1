using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/batch-export.md, compiled (G22).</summary>
public sealed class BatchExportSnippets
{
    internal static async Task Backfill(IConversationExporter exporter, ILogger logger, DateTimeOffset since, CancellationToken cancellationToken)
    {
        #region Snippet:batch-export-1
        var results = exporter.ExportManyAsync(LoadClosedChatsAsync(since), cancellationToken); // IAsyncEnumerable<Conversation> or IEnumerable<Conversation>
        await foreach (var result in results)
        {
            switch (result.Status)
            {
                case ExportStatus.Exported: await MarkExportedAsync(result.ConversationId, result.Activity!.Id); break;
                case ExportStatus.Skipped:  logger.LogInformation("Chat {Id} skipped: {Reason}", result.ConversationId, result.SkipReason); break;
                case ExportStatus.Failed:   logger.LogWarning(result.Error, "Chat {Id} failed", result.ConversationId); break;
            }
        }
        #endregion
    }

    internal static async Task Progress(IConversationExporter exporter, IReadOnlyList<Conversation> conversations, IProgress<(int Completed, int Exported, int Skipped, int Failed)> progressBar, CancellationToken cancellationToken)
    {
        #region Snippet:batch-export-2
        var progress = new Progress<ExportProgress>(p => progressBar.Report((p.Completed, p.Exported, p.Skipped, p.Failed)));
        await foreach (var result in exporter.ExportManyAsync(conversations, progress, cancellationToken))
        {
            // ...
        }
        #endregion
    }

    internal static async Task Resume(IConversationExporter exporter, OutboxStore store, CancellationToken cancellationToken)
    {
        #region Snippet:batch-export-4
        await foreach (var result in exporter.ExportManyAsync(store.PendingAsync(), cancellationToken))
        {
            await store.SaveOutcomeAsync(result.ConversationId, result.Status, result.Activity?.Id, result.Error?.Message);
        }
        // Failed items stay pending; transient ones (SalesforceApiException.IsTransient) succeed on the next run.
        #endregion
    }

    internal static void SharedCache(IHostApplicationBuilder builder, string redisConnectionString)
    {
        #region Snippet:batch-export-3
        builder.Services.AddStackExchangeRedisCache(o => o.Configuration = redisConnectionString); // any IDistributedCache
        builder.Services.AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))
            .UseDistributedMetadataCache();
        #endregion
    }

    private static async IAsyncEnumerable<Conversation> LoadClosedChatsAsync(DateTimeOffset since)
    {
        await Task.Yield();
        yield return new Conversation { Id = "chat-1", StartedAt = since, Visitor = new ChatVisitor { LastName = "Visitor", Email = "v@example.com" } };
    }

    private static Task MarkExportedAsync(string conversationId, string activityId) => Task.CompletedTask;

    /// <summary>The host's outbox of conversations to export.</summary>
    internal abstract class OutboxStore
    {
        public abstract IAsyncEnumerable<Conversation> PendingAsync();

        public abstract Task SaveOutcomeAsync(string conversationId, ExportStatus status, string? activityId, string? error);
    }
}

/// <summary>Stands in for Microsoft.Extensions.Caching.StackExchangeRedis (not referenced by the tests) so the snippet compiles.</summary>
internal static class RedisCacheStandIn
{
    public static IServiceCollection AddStackExchangeRedisCache(this IServiceCollection services, Action<RedisCacheStandInOptions> configure)
    {
        configure(new RedisCacheStandInOptions());
        return services;
    }
}

/// <summary>The options of <see cref="RedisCacheStandIn"/>.</summary>
internal sealed class RedisCacheStandInOptions
{
    public string? Configuration { get; set; }
}
