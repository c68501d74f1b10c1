using System.Globalization;
using ChatToSalesforce.Redis.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>
/// The worker process of <see cref="ManyProcessesTests"/>: <c>dotnet ChatToSalesforce.Redis.Tests.dll worker</c>, settings in
/// CHAT2SF_WORKER_* variables. On each stdin line <c>round N</c> it exports a batch of the tenant's conversations at once and
/// answers <c>done N exported=.. failed=..</c>; on <c>quit</c> it answers <c>bye refreshes=..</c> and exits. The test host
/// (vstest) never calls this Main.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["worker"])
        {
            await Console.Error.WriteLineAsync("usage: dotnet ChatToSalesforce.Redis.Tests.dll worker (settings in CHAT2SF_WORKER_* variables)");
            return 2;
        }

        string Setting(string name) => Environment.GetEnvironmentVariable("CHAT2SF_WORKER_" + name) ?? throw new InvalidOperationException("CHAT2SF_WORKER_" + name + " is not set.");
        var settings = new WorkerSettings
        {
            Redis = Setting("REDIS"),
            KeyPrefix = Setting("PREFIX"),
            InstanceUrl = new Uri(Setting("INSTANCE")),
            RefreshToken = Setting("REFRESH"),
            KeyDirectory = Setting("KEYS"),
        };
        var name = Setting("NAME");
        var batch = int.Parse(Setting("BATCH"), CultureInfo.InvariantCulture);
        await using var services = Workers.Build(settings, out _);
        await Console.Out.WriteLineAsync("ready");
        await Console.Out.FlushAsync();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("round ", StringComparison.Ordinal))
            {
                var round = line["round ".Length..];
                var results = await Workers.ExportConcurrentlyAsync(services, $"{name}-r{round}", batch);
                var failed = results.Where(r => r.Status != ExportStatus.Exported).ToList();
                foreach (var failure in failed.Take(3))
                {
                    await Console.Out.WriteLineAsync($"failure {failure.ConversationId} {failure.Status} {failure.FailureKind} {failure.Error?.Message}");
                }

                await Console.Out.WriteLineAsync($"done {round} exported={results.Length - failed.Count} failed={failed.Count}");
            }
            else if (line == "quit")
            {
                await Console.Out.WriteLineAsync($"bye refreshes={services.GetRequiredService<RedisTokenCoordinator>().Refreshes}");
                await Console.Out.FlushAsync();
                return 0;
            }

            await Console.Out.FlushAsync();
        }

        return 0;
    }
}
