using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>The package's public surface, approved in PublicAPI.approved.txt: a change is a visible diff in review.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_listing() =>
        ChatToSalesforce.Tests.Shared.PublicApiRenderer.Approve(typeof(RedisTokenSharingBuilderExtensions).Assembly, "tests/ChatToSalesforce.Redis.Tests/PublicAPI.approved.txt");

    [Fact]
    public void Only_the_extension_and_its_options_are_public()
    {
        typeof(RedisTokenSharingBuilderExtensions).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal).Should().Equal(
            "ChatToSalesforce.Redis.RedisTokenSharingOptions",
            "Microsoft.Extensions.DependencyInjection.RedisTokenSharingBuilderExtensions");
    }
}
