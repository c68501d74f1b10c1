using System.Reflection;
using System.Text;

namespace ChatToSalesforce.Testing.Tests;

public sealed class PublicSurfaceTests
{
    [Fact]
    public void Only_the_deliberate_types_are_public()
    {
        var exported = typeof(SalesforceEmulator).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal);

        exported.Should().Equal(
            "ChatToSalesforce.Testing.DuplicateRuleAction",
            "ChatToSalesforce.Testing.EmulatorAssignmentRule",
            "ChatToSalesforce.Testing.EmulatorFaults",
            "ChatToSalesforce.Testing.EmulatorField",
            "ChatToSalesforce.Testing.EmulatorFieldType",
            "ChatToSalesforce.Testing.EmulatorRecordType",
            "ChatToSalesforce.Testing.EmulatorRequest",
            "ChatToSalesforce.Testing.EmulatorSeedException",
            "ChatToSalesforce.Testing.EmulatorSubrequest",
            "ChatToSalesforce.Testing.EmulatorValidationRule",
            "ChatToSalesforce.Testing.FaultRule",
            "ChatToSalesforce.Testing.SalesforceEmulator",
            "ChatToSalesforce.Testing.SalesforceEmulatorCluster",
            "ChatToSalesforce.Testing.SalesforceEmulatorOptions");
        typeof(SalesforceEmulator).Assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract).Should().OnlyContain(t => t.IsSealed);
    }

    /// <summary>Serilog-style approval: the rendered public API must match PublicAPI.approved.txt; a change is a visible diff.</summary>
    [Fact]
    public void Public_api_matches_the_approved_listing()
    {
        var text = new StringBuilder();
        foreach (var type in typeof(SalesforceEmulator).Assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.AppendLine(type.FullName);
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(m => "    " + m.MemberType + " " + m)
                .Order(StringComparer.Ordinal);
            foreach (var member in members)
            {
                text.AppendLine(member);
            }
        }

        var approvedPath = Path.Combine(AppContext.BaseDirectory, "PublicAPI.approved.txt");
        var rendered = text.ToString().ReplaceLineEndings("\n");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (rendered != approved)
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "PublicAPI.received.txt"), rendered);
        }

        rendered.Should().Be(approved, "the public API changed; review PublicAPI.received.txt in the test output and copy it over tests/ChatToSalesforce.Testing.Tests/PublicAPI.approved.txt if intended");
    }
}
