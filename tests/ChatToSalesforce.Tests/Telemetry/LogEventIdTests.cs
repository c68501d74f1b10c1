using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ChatToSalesforce.Tests.Telemetry;

/// <summary>Log event ids are public contract (STYLE G14): every one is unique across the SDK, and every one has a name.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EventIds_AreUniqueAcrossTheSdk_AndNamed()
    {
        var messages = typeof(IConversationExporter).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (Name: $"{x.Method.DeclaringType!.Name}.{x.Method.Name}", x.Attribute!.EventId, x.Attribute.EventName))
            .ToList();

        messages.Should().NotBeEmpty();
        messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}")
            .Should().BeEmpty("each log event id means one thing");
        messages.Where(m => string.IsNullOrEmpty(m.EventName)).Select(m => m.Name).Should().BeEmpty("hosts filter on event names too");
    }
}
