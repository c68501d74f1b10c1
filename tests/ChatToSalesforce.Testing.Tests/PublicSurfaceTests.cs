namespace ChatToSalesforce.Testing.Tests;

public sealed class PublicSurfaceTests
{
    [Fact]
    public void Only_the_deliberate_types_are_public()
    {
        var exported = typeof(SalesforceEmulator).Assembly.GetExportedTypes().Select(t => t.FullName).Order(StringComparer.Ordinal);

        exported.Should().Equal(
            "ChatToSalesforce.Testing.DuplicateRuleAction",
            "ChatToSalesforce.Testing.EmulatorFaults",
            "ChatToSalesforce.Testing.EmulatorField",
            "ChatToSalesforce.Testing.EmulatorFieldType",
            "ChatToSalesforce.Testing.EmulatorRequest",
            "ChatToSalesforce.Testing.EmulatorSeedException",
            "ChatToSalesforce.Testing.EmulatorSubrequest",
            "ChatToSalesforce.Testing.FaultRule",
            "ChatToSalesforce.Testing.SalesforceEmulator",
            "ChatToSalesforce.Testing.SalesforceEmulatorOptions");
        typeof(SalesforceEmulator).Assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract).Should().OnlyContain(t => t.IsSealed);
    }
}
