using System.Reflection;
using System.Runtime.CompilerServices;

using ChatToSalesforce;

namespace ChatToSalesforce.Tests.PublicApi;

/// <summary>
/// Renders the SDK's public surface to text and compares it with the committed PublicAPI.approved.txt, so every change
/// to the public API is a visible diff in review. To accept a change: copy PublicAPI.received.txt over the approved file.
/// </summary>
public sealed class PublicApiApprovalTests
{
    [Fact]
    public void PublicApi_MatchesApprovedFile() =>
        ChatToSalesforce.Tests.Shared.PublicApiRenderer.Approve(typeof(IConversationExporter).Assembly, "tests/ChatToSalesforce.Tests/PublicApi/PublicAPI.approved.txt");

    internal static string Render(Assembly assembly) => ChatToSalesforce.Tests.Shared.PublicApiRenderer.Render(assembly);
}
