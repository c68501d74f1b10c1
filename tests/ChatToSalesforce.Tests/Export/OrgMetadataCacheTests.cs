using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Export;

public class OrgMetadataCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryGetDescribe_WithinTheDuration_ReturnsItPerOrg()
    {
        var cache = new OrgMetadataCache(_time);
        var contact = TestData.Contact();
        cache.SetDescribe("https://a.my.salesforce.com/", contact, TimeSpan.FromMinutes(5));

        cache.TryGetDescribe("https://a.my.salesforce.com/", "CONTACT", out var found).Should().BeTrue();
        found.Should().BeSameAs(contact);
        cache.TryGetDescribe("https://b.my.salesforce.com/", "Contact", out _).Should().BeFalse();
    }

    [Fact]
    public void TryGetDescribe_AfterTheDuration_Expires()
    {
        var cache = new OrgMetadataCache(_time);
        cache.SetDescribe("org", TestData.Task(), TimeSpan.FromMinutes(5));

        _time.Advance(TimeSpan.FromMinutes(5));

        cache.TryGetDescribe("org", "Task", out _).Should().BeFalse();
    }

    [Fact]
    public void AgentUser_MissCachedAndRemoved_BehavesAsAnEntry()
    {
        var cache = new OrgMetadataCache(_time);
        cache.SetAgentUser("org", "grace@example.com", null, TimeSpan.FromMinutes(5));

        cache.TryGetAgentUser("org", "grace@example.com", out var userId).Should().BeTrue();
        userId.Should().BeNull();
        cache.RemoveAgentUser("org", "grace@example.com");
        cache.TryGetAgentUser("org", "grace@example.com", out _).Should().BeFalse();
    }

    [Fact]
    public void SetDescribe_BeyondMaxEntries_EvictsTheOldest()
    {
        var cache = new OrgMetadataCache(_time);
        for (var i = 0; i < OrgMetadataCache.MaxEntries; i++)
        {
            cache.SetAgentUser("org", $"u{i}@x.com", "005", TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(i));
        }

        cache.SetDescribe("org", new SalesforceObjectDescription("Contact", []), TimeSpan.FromHours(1));

        cache.TryGetAgentUser("org", "u0@x.com", out _).Should().BeFalse();
        cache.TryGetAgentUser("org", $"u{OrgMetadataCache.MaxEntries - 1}@x.com", out _).Should().BeTrue();
        cache.TryGetDescribe("org", "Contact", out _).Should().BeTrue();
    }
}
