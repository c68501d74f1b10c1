using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Identity;

public class SoqlTemplateTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_Empty_SaysItIsEmpty(string? soql)
    {
        SoqlTemplate.Validate(soql).Should().StartWith("is empty");
    }

    [Theory]
    [InlineData("DELETE FROM Contact")]
    [InlineData("SELECT Name FROM Contact WHERE Email = {!visitor.email}")]
    [InlineData("SELECT AccountId FROM Contact")]
    [InlineData("SELECT Name FROM Contact WHERE Id = {!custom:contactId}")]
    [InlineData("SELECT Name, Email FROM Contact WHERE Email IN ('a', 'b') AND Id != null")]
    public void Validate_NotASelectOfId_SaysSo(string soql)
    {
        SoqlTemplate.Validate(soql).Should().StartWith("must be a SELECT that selects Id");
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Email = {!visitor.email}")]
    [InlineData("select id, Name from Contact where Email = {!visitor.email}")]
    [InlineData("SELECT Name, Id FROM Contact WHERE Email = {! visitor.email } LIMIT 1")]
    [InlineData("  SELECT Account.Name,Id, LastModifiedDate FROM Contact WHERE Student_Type__c = {!custom:Student Type}")]
    public void Validate_ValidTemplate_ReturnsNull(string soql)
    {
        SoqlTemplate.Validate(soql).Should().BeNull();
    }

    [Fact]
    public void Validate_UnknownPlaceholderSource_NamesThePlaceholder()
    {
        SoqlTemplate.Validate("SELECT Id FROM Contact WHERE Age__c = {!visitor.age}").Should().StartWith("placeholder {!visitor.age} 'visitor.age' is not a known source");
    }

    [Fact]
    public void Validate_CustomPlaceholderWithoutKey_SaysSo()
    {
        SoqlTemplate.Validate("SELECT Id FROM Contact WHERE Name = {!custom:}").Should().Contain("names no custom key");
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Email = {visitor.email}")]
    [InlineData("SELECT Id FROM Contact WHERE Email = {!visitor.email")]
    public void Validate_MalformedPlaceholder_SaysSo(string soql)
    {
        SoqlTemplate.Validate(soql).Should().StartWith("has a malformed placeholder");
    }

    [Fact]
    public void Bind_HostileValue_IsBoundAsOneEscapedLiteral()
    {
        var conversation = TestData.Conversation(custom: new Dictionary<string, string?> { ["Student Type"] = "' OR Name != '" });

        var bound = SoqlTemplate.Bind("SELECT Id FROM Contact WHERE Student_Type__c = {!custom:Student Type}", conversation);

        bound.Should().Be(@"SELECT Id FROM Contact WHERE Student_Type__c = '\' OR Name != \''");
    }

    [Fact]
    public void Bind_BackslashesAndNewLines_AreEscaped()
    {
        var conversation = TestData.Conversation(custom: new Dictionary<string, string?> { ["k"] = "a\\' \n\"b" });

        SoqlTemplate.Bind("SELECT Id FROM Contact WHERE X__c = {!custom:k}", conversation)
            .Should().Be(@"SELECT Id FROM Contact WHERE X__c = 'a\\\' \n\""b'");
    }

    [Fact]
    public void Bind_SeveralPlaceholders_BindsEach()
    {
        var bound = SoqlTemplate.Bind("SELECT Id FROM Contact WHERE Email = {!visitor.email} AND LastName = {! Visitor.LastName }", TestData.Conversation(email: " o'brien@x.com "));

        bound.Should().Be(@"SELECT Id FROM Contact WHERE Email = 'o\'brien@x.com' AND LastName = 'Lovelace'");
    }

    [Fact]
    public void Bind_PlaceholderWithoutValue_ReturnsNull()
    {
        SoqlTemplate.Bind("SELECT Id FROM Contact WHERE Phone = {!visitor.phone}", TestData.Conversation(phone: "  ")).Should().BeNull();
    }

    [Fact]
    public void Placeholders_Template_ListsThemInOrder()
    {
        SoqlTemplate.Placeholders("SELECT Id FROM Contact WHERE Email = {!visitor.email} AND X__c = {!custom:a b}")
            .Should().Equal("visitor.email", "custom:a b");
    }
}
