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
    public void PublicApi_MatchesApprovedFile()
    {
        var actual = Render(typeof(IConversationExporter).Assembly);
        var approvedPath = Path.Combine(SourceDirectory(), "PublicAPI.approved.txt");
        var receivedPath = Path.Combine(SourceDirectory(), "PublicAPI.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;

        if (approved != actual)
        {
            File.WriteAllText(receivedPath, actual);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        actual.Should().Be(approved, "the public API changed; review {0} and, if intended, copy it over {1}", receivedPath, approvedPath);
    }

    internal static string Render(Assembly assembly) => ChatToSalesforce.Tests.Shared.PublicApiRenderer.Render(assembly);

    private static string SourceDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatToSalesforce.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Repository root (ChatToSalesforce.sln) not found."), "tests", "ChatToSalesforce.Tests", "PublicApi");
    }
}
