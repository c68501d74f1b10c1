using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Tests.Telemetry;

/// <summary>
/// Log event ids are public contract (STYLE G14): every one is unique across the SDK and its packages (a host filters one
/// log stream holding them all), and every one has a name.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>Every shipped assembly that logs; a new package that logs must be added here.</summary>
    private static readonly Assembly[] Packages =
    [
        typeof(IConversationExporter).Assembly,
        typeof(ChatToSalesforce.Journal.IExportJournal).Assembly,
        typeof(ChatToSalesforce.Journal.PostgreSqlExportJournalOptionsExtensions).Assembly,
        typeof(Microsoft.AspNetCore.Builder.SalesforceConnectEndpointRouteBuilderExtensions).Assembly,
        typeof(ChatToSalesforce.Testing.SalesforceEmulator).Assembly,
    ];

    private static List<(string Name, int EventId, string? EventName)> Messages() => Packages
        .SelectMany(a => a.GetTypes())
        .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
        .Where(x => x.Attribute is not null)
        .Select(x => (Name: $"{x.Method.DeclaringType!.Assembly.GetName().Name}: {x.Method.DeclaringType!.Name}.{x.Method.Name}", x.Attribute!.EventId, x.Attribute.EventName))
        .ToList();

    [Fact]
    public void EventIds_AreUniqueAcrossTheSdkAndItsPackages_AndNamed()
    {
        var messages = Messages();

        messages.Should().NotBeEmpty();
        messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}")
            .Should().BeEmpty("each log event id means one thing");
        messages.GroupBy(m => m.EventName).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}")
            .Should().BeEmpty("each event name means one thing");
        messages.Where(m => string.IsNullOrEmpty(m.EventName)).Select(m => m.Name).Should().BeEmpty("hosts filter on event names too");
    }

    [Fact]
    public void EventIds_OfEveryLoggingPackage_AreChecked()
    {
        // The journal logs too: its ids are in the same check as the SDK's.
        Messages().Should().Contain(m => m.Name.StartsWith("ChatToSalesforce.Journal:", StringComparison.Ordinal))
            .And.Contain(m => m.Name.StartsWith("ChatToSalesforce:", StringComparison.Ordinal));
    }
}
