using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Redis.Tests;

/// <summary>The package's public surface, approved in PublicAPI.approved.txt: a change is a visible diff in review.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_listing()
    {
        var assembly = typeof(RedisTokenSharingBuilderExtensions).Assembly;
        var text = ChatToSalesforce.Tests.Shared.PublicApiRenderer.Render(assembly);

        var approvedPath = Path.Combine(AppContext.BaseDirectory, "PublicAPI.approved.txt");
        var rendered = text.ToString().ReplaceLineEndings("\n");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (rendered != approved)
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "PublicAPI.received.txt"), rendered);
        }

        rendered.Should().Be(approved, "the public API changed; review PublicAPI.received.txt in the test output and copy it over tests/ChatToSalesforce.Redis.Tests/PublicAPI.approved.txt if intended");
    }

    [Fact]
    public void Only_the_extension_and_its_options_are_public()
    {
        typeof(RedisTokenSharingBuilderExtensions).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal).Should().Equal(
            "ChatToSalesforce.Redis.RedisTokenSharingOptions",
            "Microsoft.Extensions.DependencyInjection.RedisTokenSharingBuilderExtensions");
    }
}
