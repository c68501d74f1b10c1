using Microsoft.AspNetCore.Builder;

namespace ChatToSalesforce.AspNetCore.Tests;

/// <summary>The package's public surface, approved in PublicAPI.approved.txt: a change is a visible diff in review.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_listing() =>
        ChatToSalesforce.Tests.Shared.PublicApiRenderer.Approve(typeof(SalesforceConnectEndpointRouteBuilderExtensions).Assembly, "tests/ChatToSalesforce.AspNetCore.Tests/PublicAPI.approved.txt");

    [Fact]
    public void Only_the_extension_and_its_options_are_public()
    {
        typeof(SalesforceConnectEndpointRouteBuilderExtensions).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal).Should().Equal(
            "ChatToSalesforce.AspNetCore.SalesforceConnectEndpointOptions",
            "Microsoft.AspNetCore.Builder.SalesforceConnectEndpointRouteBuilderExtensions");
    }
}
