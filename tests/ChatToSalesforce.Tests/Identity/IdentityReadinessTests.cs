using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Identity;

public class IdentityReadinessTests
{
    [Fact]
    public void Check_DefaultWithEmailAndLastName_IsReady()
    {
        IdentityReadiness.Check(TestData.Conversation(), TestData.Options()).Should().BeNull();
    }

    [Fact]
    public void Check_DefaultWithoutEmail_NamesTheMissingSource()
    {
        var reason = IdentityReadiness.Check(TestData.Conversation(email: null), TestData.Options());

        reason.Should().Contain("visitor.email").And.Contain("is missing").And.NotContain("Lovelace");
    }

    [Fact]
    public void Check_DefaultWithoutEmailOrLastName_NamesBoth()
    {
        var reason = IdentityReadiness.Check(TestData.Conversation(email: null, firstName: "Ada", lastName: null), TestData.Options());

        reason.Should().Contain("visitor.email, visitor.lastName are missing");
    }

    [Fact]
    public void Check_LastNameFromFullName_IsReady()
    {
        var conversation = TestData.Conversation(firstName: null, lastName: null, name: "Ada King Lovelace");

        IdentityReadiness.Check(conversation, TestData.Options()).Should().BeNull();
    }

    [Fact]
    public void Check_OneWordName_IsALastName()
    {
        var conversation = TestData.Conversation(firstName: null, lastName: null, name: "Cher");

        IdentityReadiness.Check(conversation, TestData.Options()).Should().BeNull();
    }

    [Theory]
    [InlineData("   ", null)]
    [InlineData(null, "  \t ")]
    [InlineData(" ", " ")]
    public void Check_WhitespaceOnlyNames_AreMissing(string? lastName, string? name)
    {
        var conversation = TestData.Conversation(firstName: "Ada", lastName: lastName, name: name);

        IdentityReadiness.Check(conversation, TestData.Options()).Should().Contain("visitor.lastName");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("ada@localhost")]
    [InlineData("ada lovelace@example.com")]
    [InlineData("ada@@example.com")]
    public void Check_MalformedEmail_SkipsWithoutTheValue(string email)
    {
        var reason = IdentityReadiness.Check(TestData.Conversation(email: email), TestData.Options());

        reason.Should().Contain("malformed").And.NotContain(email);
    }

    [Fact]
    public void Check_RecordMode_RequiresNothing()
    {
        var options = TestData.Options(o =>
        {
            o.Mode = ExportMode.Record;
            o.Record.ObjectType = "Chat_Lead__c";
        });

        IdentityReadiness.Check(TestData.Conversation(email: "not-an-email", firstName: null, lastName: null), options).Should().BeNull();
    }

    [Fact]
    public void Check_MongooseRequiredSources_RequiresFirstNameToo()
    {
        var options = TestData.Options(o => o.Identity.RequiredSources = ["visitor.firstName", "visitor.lastName", "visitor.email"]);

        IdentityReadiness.Check(TestData.Conversation(firstName: null), options).Should().Contain("visitor.firstName is missing");
        IdentityReadiness.Check(TestData.Conversation(), options).Should().BeNull();
    }

    [Fact]
    public void Check_RequiredCustomSource_IsCheckedCaseInsensitively()
    {
        var options = TestData.Options(o => o.Identity.RequiredSources = ["custom:Student Type"]);

        IdentityReadiness.Check(TestData.Conversation(), options).Should().Contain("custom:Student Type");
        IdentityReadiness.Check(TestData.Conversation(custom: new Dictionary<string, string?> { ["student type"] = "Future" }), options).Should().BeNull();
    }

    [Fact]
    public void Check_NoRequiredSourcesAndNoLastName_IsReady_TheExporterSkipsOnlyIfAPersonMustBeCreated()
    {
        var options = TestData.Options(o =>
        {
            o.Identity.RequiredSources = [];
            o.Identity.Rules = [];
        });

        IdentityReadiness.Check(TestData.Conversation(lastName: null), options).Should().BeNull();
    }

    [Fact]
    public void Check_RequiredSourcesWithoutEmail_StillRejectsAMalformedEmail()
    {
        var options = TestData.Options(o => o.Identity.RequiredSources = ["visitor.lastName"]);

        IdentityReadiness.Check(TestData.Conversation(email: "nope"), options).Should().Contain("malformed");
        IdentityReadiness.Check(TestData.Conversation(email: null), options).Should().BeNull();
    }

    // Issue 11 item 6: an address that is not valid as written is never cleaned up into another, existing person's address.
    [Theory]
    [InlineData("victim@example.com\0")]
    [InlineData("victim@exam\0ple.com")]
    [InlineData("victim@example.com\r\n")]
    [InlineData("\tvictim@example.com")]
    [InlineData("victim@example.com\u0085")]
    [InlineData("vic\u200Btim@example.com")]
    [InlineData("victim@example.com\u2028")]
    public void Check_EmailWithControlOrInvisibleCharacters_IsSkippedNotCleaned(string email)
    {
        ConversationValues.Read(TestData.Conversation(email: email), "visitor.email").Should().Be(email, "the value is read as written, never stripped");

        var reason = IdentityReadiness.Check(TestData.Conversation(email: email), TestData.Options());

        reason.Should().Contain("malformed as written").And.NotContain("victim");
    }

    [Fact]
    public void Check_EmailWithSurroundingSpaces_IsTheSameAddress()
    {
        ConversationValues.Read(TestData.Conversation(email: "  ada@example.com\u00A0"), "visitor.email").Should().Be("ada@example.com");
        IdentityReadiness.Check(TestData.Conversation(email: "  ada@example.com "), TestData.Options()).Should().BeNull();
    }
}
