using ChatToSalesforce.Filtering;
using ChatToSalesforce.Filtering.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Filtering;

public class ConditionExportFilterTests
{
    private static async Task<ExportFilterResult> EvaluateAsync(Conversation conversation, params ExportCondition[] conditions)
    {
        var options = TestData.Options(o => o.Filters = conditions.ToList());
        return await new ConditionExportFilter().EvaluateAsync(new ExportFilterContext { Conversation = conversation, Options = options }, CancellationToken.None);
    }

    private static Conversation WithStudentType(string? value) =>
        TestData.Conversation(custom: new Dictionary<string, string?> { ["Student Type"] = value });

    [Fact]
    public async Task EvaluateAsync_NoConditions_Exports()
    {
        var result = await EvaluateAsync(TestData.Conversation());

        result.ShouldExport.Should().BeTrue();
        result.SkipReason.Should().BeNull();
    }

    [Theory]
    [InlineData("Future Student")]
    [InlineData("future student")]
    [InlineData("  FUTURE STUDENT  ")]
    public async Task EvaluateAsync_EqualsIgnoresCaseAndSurroundingSpaces_Exports(string value)
    {
        var result = await EvaluateAsync(WithStudentType(value), new ExportCondition { Source = "custom:Student Type", Equals = " Future Student " });

        result.ShouldExport.Should().BeTrue();
    }

    [Fact]
    public async Task EvaluateAsync_CustomKeyInOtherCase_ReadsTheField()
    {
        var result = await EvaluateAsync(WithStudentType("Future Student"), new ExportCondition { Source = "CUSTOM:student type", Equals = "Future Student" });

        result.ShouldExport.Should().BeTrue();
    }

    [Fact]
    public async Task EvaluateAsync_EqualsDoesNotHold_SkipsNamingIndexAndSourceButNotTheValue()
    {
        var result = await EvaluateAsync(WithStudentType("Current Student Secret"), new ExportCondition { Source = "custom:Student Type", Equals = "Future Student" });

        result.ShouldExport.Should().BeFalse();
        result.SkipReason.Should().Contain("Filters[0]").And.Contain("custom:Student Type");
        result.SkipReason.Should().NotContain("Current Student Secret");
    }

    [Fact]
    public async Task EvaluateAsync_EqualsOnMissingValue_Skips()
    {
        var result = await EvaluateAsync(TestData.Conversation(), new ExportCondition { Source = "custom:Student Type", Equals = "Future Student" });

        result.ShouldExport.Should().BeFalse();
    }

    [Theory]
    [InlineData("Future Student", true)]
    [InlineData(" alumni ", false)]
    [InlineData(null, true)]
    public async Task EvaluateAsync_NotEquals_HoldsUnlessTheValueMatches(string? value, bool exports)
    {
        var result = await EvaluateAsync(WithStudentType(value), new ExportCondition { Source = "custom:Student Type", NotEquals = "Alumni" });

        result.ShouldExport.Should().Be(exports);
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("WHATSAPP", true)]
    [InlineData(" Web ", true)]
    [InlineData("sms", false)]
    [InlineData(null, false)]
    public async Task EvaluateAsync_In_HoldsWhenOneValueMatches(string? channel, bool exports)
    {
        var result = await EvaluateAsync(TestData.Conversation(channel: channel), new ExportCondition { Source = "conversation.channel", In = ["web", "whatsapp"] });

        result.ShouldExport.Should().Be(exports);
    }

    [Theory]
    [InlineData("agent@example.com", true, true)]
    [InlineData(null, true, false)]
    [InlineData("   ", true, false)]
    [InlineData(null, false, true)]
    [InlineData("agent@example.com", false, false)]
    public async Task EvaluateAsync_Exists_TestsForANonBlankValue(string? agentEmail, bool exists, bool exports)
    {
        var conversation = TestData.Conversation(agent: new ChatAgent { Name = "Grace", Email = agentEmail });

        var result = await EvaluateAsync(conversation, new ExportCondition { Source = "agent.email", Exists = exists });

        result.ShouldExport.Should().Be(exports);
    }

    [Fact]
    public async Task EvaluateAsync_VisitorSource_ComparesTrimmedEmail()
    {
        var result = await EvaluateAsync(TestData.Conversation(email: "  Ada@Example.com "), new ExportCondition { Source = "visitor.email", Equals = "ada@example.com" });

        result.ShouldExport.Should().BeTrue();
    }

    [Fact]
    public async Task EvaluateAsync_AllMustHold_SkipsOnTheFirstFailingConditionIndex()
    {
        var conversation = TestData.Conversation(channel: "web", custom: new Dictionary<string, string?> { ["Student Type"] = "Alumni" });

        var result = await EvaluateAsync(
            conversation,
            new ExportCondition { Source = "conversation.channel", Equals = "web" },
            new ExportCondition { Source = "visitor.email", Exists = true },
            new ExportCondition { Source = "custom:Student Type", In = ["Future Student", "Applicant"] },
            new ExportCondition { Source = "conversation.notes", Exists = true });

        result.ShouldExport.Should().BeFalse();
        result.SkipReason.Should().StartWith("Filters[2]").And.Contain("custom:Student Type").And.NotContain("Alumni");
    }

    [Fact]
    public async Task EvaluateAsync_AllHold_Exports()
    {
        var conversation = TestData.Conversation(channel: "web", custom: new Dictionary<string, string?> { ["Student Type"] = "Applicant" });

        var result = await EvaluateAsync(
            conversation,
            new ExportCondition { Source = "conversation.channel", Equals = "WEB" },
            new ExportCondition { Source = "visitor.lastName", Exists = true },
            new ExportCondition { Source = "custom:Student Type", In = ["Future Student", "applicant"] },
            new ExportCondition { Source = "conversation.notes", Exists = false });

        result.ShouldExport.Should().BeTrue();
    }
}
