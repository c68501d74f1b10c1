using System.Globalization;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>What one worker (a process, or a service provider standing for one) is built from.</summary>
internal sealed class WorkerSettings
{
    public required string Redis { get; init; }

    public required string KeyPrefix { get; init; }

    public required Uri InstanceUrl { get; init; }

    public required string RefreshToken { get; init; }

    public string ClientId { get; init; } = "chat2sf";

    public string ClientSecret { get; init; } = "chat2sf";

    /// <summary>A Data Protection key ring folder the workers share (worker processes); or <see cref="Protection"/>.</summary>
    public string? KeyDirectory { get; init; }

    /// <summary>One provider shared in-process (its keys live in memory).</summary>
    public IDataProtectionProvider? Protection { get; init; }

    /// <summary>The in-process emulator's handler factory; <see langword="null"/>: real HTTP to <see cref="InstanceUrl"/> on loopback.</summary>
    public Func<HttpMessageHandler>? Handler { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    public ILoggerProvider? Logs { get; init; }
}

/// <summary>Builds a worker: the SDK with one store tenant ("acme", refresh-token flow) and Redis token sharing.</summary>
internal static class Workers
{
    public const string Tenant = "acme";

    public static ServiceProvider Build(WorkerSettings settings, out InMemorySalesforceTenantStore store)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (settings.Logs is not null)
            {
                logging.AddProvider(settings.Logs);
            }
        });
        if (settings.KeyDirectory is not null)
        {
            services.AddDataProtection().SetApplicationName("chat2sf-redis-tests").PersistKeysToFileSystem(new DirectoryInfo(settings.KeyDirectory));
        }
        else if (settings.Protection is not null)
        {
            services.AddSingleton(settings.Protection);
        }

        store = new InMemorySalesforceTenantStore();
        store.Set(Tenant, TenantSettings(settings.InstanceUrl, settings.RefreshToken));
        var builder = services.AddSalesforceChatExport(o =>
        {
            // Only the vendor's app: the tenant's org comes from the store.
            o.AllowTestEndpoint = settings.Handler is null;
            o.Authentication.ClientId = settings.ClientId;
            o.Authentication.ClientSecret = settings.ClientSecret;
        });
        if (settings.Handler is { } handler)
        {
            builder.HttpClient.ConfigurePrimaryHttpMessageHandler(handler);
        }

        builder.UseTenantStore(store);
        builder.UseRedisTokenSharing(o =>
        {
            o.Configuration = settings.Redis;
            o.KeyPrefix = settings.KeyPrefix;
            o.LeaseDuration = settings.LeaseDuration;
        });
        return services.BuildServiceProvider();
    }

    public static SalesforceChatExportOptions TenantSettings(Uri instanceUrl, string refreshToken)
    {
        var options = new SalesforceChatExportOptions { InstanceUrl = instanceUrl, AllowTestEndpoint = instanceUrl.Scheme == Uri.UriSchemeHttp };
        options.Authentication.Flow = SalesforceAuthFlow.RefreshToken;
        options.Authentication.RefreshToken = refreshToken;
        options.Resilience.BaseDelay = TimeSpan.FromTicks(1);
        options.Resilience.MaxDelay = TimeSpan.FromTicks(1);
        return options;
    }

    public static Conversation Chat(string id, string? tenant = Tenant) => new()
    {
        Id = id,
        TenantId = tenant,
        Channel = "web",
        StartedAt = DateTimeOffset.Parse("2026-11-30T10:00:00Z", CultureInfo.InvariantCulture),
        EndedAt = DateTimeOffset.Parse("2026-11-30T10:05:00Z", CultureInfo.InvariantCulture),
        Visitor = new ChatVisitor { FirstName = "Ada", LastName = "Lovelace", Email = id + "@example.com" },
        Messages = [new ChatMessage { Role = ChatRole.Visitor, Text = "Hello", SentAt = DateTimeOffset.Parse("2026-11-30T10:01:00Z", CultureInfo.InvariantCulture) }],
    };

    /// <summary>Exports <paramref name="count"/> conversations of the tenant at once.</summary>
    public static async Task<ConversationExportResult[]> ExportConcurrentlyAsync(IServiceProvider services, string prefix, int count)
    {
        var exporter = services.GetRequiredService<IConversationExporter>();
        return await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => exporter.ExportAsync(Chat($"{prefix}-{i}")))));
    }
}
