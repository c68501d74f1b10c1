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
    public void Public_api_matches_the_approved_listing() =>
        ChatToSalesforce.Tests.Shared.PublicApiRenderer.Approve(typeof(SalesforceEmulator).Assembly, "tests/ChatToSalesforce.Testing.Tests/PublicAPI.approved.txt");
}
