using ChatToSalesforce.Conversations.Internal;
using ChatToSalesforce.DependencyInjection.Internal;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Identity.Internal;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Identity;

public class SoqlTemplateTests
{
    private const string ValuesGo = "a placeholder stands only for a whole value: after a comparison operator (=, !=, <>, <, <=, >, >=, LIKE) or as an item of an IN (...) list, for example Email = {!visitor.email}";

    // Values an attacker can put in a chat form: quotes, backslashes, LIKE wildcards, line breaks, unicode.
    public static readonly TheoryData<string> HostileValues = new()
    {
        "'",
        "\\",
        "\\'",
        "' OR Name != '",
        "x' OR Member_Id__c != 'x",
        "') OR (Member_Id__c != '",
        "%",
        "_",
        "M_1",
        "M%",
        "\\%",
        "\\_",
        "line1\nline2",
        "a\r\nb\tc",
        "\"quoted\"",
        "{!visitor.email}",
        "Zoë Ωmega 测试 🙂",
        "\u202Eevil",
    };

    public static readonly TheoryData<string, int, string> Rejected = new()
    {
        // Not one SELECT
        { "DELETE FROM Contact", 1, "must be a single SELECT query, but it starts with 'DELETE' at position 1; write for example \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\"." },
        { "  update Contact set Email = {!visitor.email}", 3, "must be a single SELECT query, but it starts with 'update' at position 3; write for example \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\"." },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email}; DELETE FROM Contact", 54, "has ';' at position 54: a template is one SELECT query, with no ';' and nothing after it." },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email} FOR UPDATE", 59, "has 'UPDATE' at position 59: a template only reads; INSERT, UPDATE, DELETE, UPSERT, MERGE, UNDELETE and FOR UPDATE are not allowed." },
        { "SELECT Id FROM Contact UPDATE TRACKING", 24, "has 'UPDATE' at position 24: a template only reads; INSERT, UPDATE, DELETE, UPSERT, MERGE, UNDELETE and FOR UPDATE are not allowed." },
        { "SELECT Id FROM Contact SELECT Id FROM Lead", 24, "has a second SELECT at position 24: a template is one query (a sub-query goes inside parentheses, for example Id IN (SELECT ContactId FROM Case))." },
        { "SELECT Id WHERE Email = {!visitor.email}", 1, "has no FROM: the SELECT at position 1 must name the object to read, for example \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\"." },
        { "SELECT Id FROM", 11, "has FROM at position 11 without an object after it; write for example \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\"." },

        // Placeholders inside quotes
        { "SELECT Id FROM Contact WHERE Member_Id__c = '{!custom:memberId}'", 46, $"has the placeholder {{!custom:memberId}} inside quotes at position 46: remove the quotes around it; a placeholder is bound as a quoted, escaped value by itself ({ValuesGo})." },
        { "SELECT Id FROM Contact WHERE Name LIKE '%{!visitor.lastName}%'", 42, $"has the placeholder {{!visitor.lastName}} inside quotes at position 42: remove the quotes around it; a placeholder is bound as a quoted, escaped value by itself ({ValuesGo})." },
        { "SELECT Id FROM Contact WHERE Email = \"{!visitor.email}\"", 38, $"has '\"' at position 38: SOQL quotes text with single quotes, and a placeholder needs no quotes at all ({ValuesGo})." },
        { "SELECT Id FROM Contact WHERE Email = 'a@b.com", 38, "has a quote at position 38 that is never closed; close the text value with ' (a placeholder needs no quotes)." },

        // Placeholders where a field or object name goes
        { "SELECT Id, {!custom:field} FROM Contact", 12, $"has the placeholder {{!custom:field}} at position 12 where a field or object name goes; {ValuesGo}." },
        { "SELECT Id FROM {!custom:object}", 16, $"has the placeholder {{!custom:object}} at position 16 where a field or object name goes; {ValuesGo}." },
        { "SELECT Id FROM Contact WHERE {!custom:field} = 'x'", 30, $"has the placeholder {{!custom:field}} at position 30 where a field or object name goes; {ValuesGo}." },
        { "SELECT Id FROM Contact WHERE Email = 'x' ORDER BY {!custom:field}", 51, $"has the placeholder {{!custom:field}} at position 51 where a field or object name goes; {ValuesGo}." },

        // Placeholders that are not a whole value
        { "SELECT Id FROM Contact WHERE Email = 'x' LIMIT {!custom:n}", 48, $"has the placeholder {{!custom:n}} at position 48 where a whole value cannot go; {ValuesGo}." },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email}'x'", 38, $"has the placeholder {{!visitor.email}} at position 38 where a whole value cannot go; {ValuesGo}." },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email} Email", 38, $"has the placeholder {{!visitor.email}} at position 38 where a whole value cannot go; {ValuesGo}." },
        { "SELECT Id FROM Contact WHERE Email IN ({!visitor.email} 'x')", 40, $"has the placeholder {{!visitor.email}} at position 40 where a whole value cannot go; {ValuesGo}." },

        // Malformed text
        { "SELECT Id FROM Contact WHERE Email = {visitor.email}", 38, "has a malformed placeholder at position 38; write placeholders as {!visitor.email} or {!custom:key}." },
        { "SELECT Id FROM Contact WHERE Email = {!visitor.email", 38, "has a malformed placeholder at position 38; write placeholders as {!visitor.email} or {!custom:key}." },
        { "SELECT Id FROM Contact WHERE Email = {! }", 38, "has a malformed placeholder at position 38; write placeholders as {!visitor.email} or {!custom:key}." },
        { "SELECT Id FROM Contact WHERE Email = :email", 38, "has ':' at position 38, which a SOQL query cannot contain there." },
        { "SELECT Id FROM Contact WHERE Email = 'x' -- comment", 42, "has '-' at position 42, which a SOQL query cannot contain there." },
        { "SELECT Id FROM Contact WHERE Email = 'x')", 41, "has ')' at position 41 without a matching '('." },
        { "SELECT Id FROM Contact WHERE (Email = 'x'", 30, "has a '(' that is never closed (the last one is at position 30)." },
        { "SELECT Id FROM Contact WHERE Email = 'x'\0", 41, "has U+0000 at position 41, which a SOQL query cannot contain there." },

        // Placeholder names
        { "SELECT Id FROM Contact WHERE Age__c = {!visitor.age}", 39, "has the placeholder {!visitor.age} at position 39: 'visitor.age' is not a known source; use one of " + string.Join(", ", ChatToSalesforce.Conversations.Internal.ConversationValues.Sources) + " or 'custom:<key>'." },
        { "SELECT Id FROM Contact WHERE Name = {!custom:}", 37, "has the placeholder {!custom:} at position 37: names no custom key; write 'custom:<key>', for example 'custom:Student Type'." },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Parse_RejectedTemplate_NamesThePositionAndWhatToDo(string template, int position, string message)
    {
        var result = SoqlTemplate.Parse(template, ChatToSalesforce.Conversations.Internal.ConversationValues.Validate);

        result.Succeeded.Should().BeFalse();
        result.Template.Should().BeNull();
        result.Errors.Should().ContainSingle().Which.Should().Be(new SoqlTemplateError(position, message));
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void OptionsValidation_RejectedTemplate_NamesTheRuleAndThePosition(string template, int position, string message)
    {
        var options = TestData.Options(o => o.Identity.Rules =
        [
            new IdentificationRule { Kind = IdentificationRuleKind.Email },
            new IdentificationRule { Kind = IdentificationRuleKind.Soql, Soql = template },
        ]);

        var result = new SalesforceChatExportOptionsValidator().Validate(null, options);

        result.Failures.Should().Equal($"Identity.Rules[1].Soql: {message}");
        message.Should().Contain($"position {position}");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_SaysItIsEmpty(string? soql)
    {
        SoqlTemplate.Parse(soql).Errors.Should().ContainSingle()
            .Which.Message.Should().Be("is empty; write a query such as \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\".");
    }

    [Fact]
    public void Parse_SeveralProblems_ListsEachInOrderOfPosition()
    {
        var result = SoqlTemplate.Parse("SELECT Id FROM Contact WHERE Email = '{!visitor.email}' AND {!custom:f} = 'x'; DELETE FROM Contact");

        result.Errors.Select(e => e.Position).Should().Equal(39, 61, 78);
    }

    [Theory]
    [InlineData("SELECT Name FROM Contact WHERE Email = {!visitor.email}")]
    [InlineData("SELECT AccountId FROM Contact")]
    [InlineData("SELECT Name, Email FROM Contact WHERE Email IN ('a', 'b') AND Id != null")]
    [InlineData("SELECT COUNT(Id) FROM Contact")]
    [InlineData("SELECT Name, (SELECT Id FROM Cases) FROM Contact")]
    public void ValidateForConversation_NotSelectingId_SaysSo(string soql)
    {
        SoqlTemplate.ValidateForConversation(soql).Should().Equal("must be a SELECT that selects Id, for example \"SELECT Id FROM Contact WHERE Email = {!visitor.email}\".");
    }

    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Email = {!visitor.email}")]
    [InlineData("select id, Name from Contact where Email = {!visitor.email}")]
    [InlineData("SELECT Name, Id FROM Contact WHERE Email = {! visitor.email } LIMIT 1")]
    [InlineData("  SELECT Account.Name,Id, LastModifiedDate FROM Contact WHERE Student_Type__c = {!custom:Student Type}")]
    [InlineData("SELECT Id, OwnerId, Email FROM Contact WHERE Email = {!visitor.email} OR Secondary_Email__c = {!visitor.email} ORDER BY LastModifiedDate DESC LIMIT 1")]
    [InlineData("SELECT Id FROM Contact WHERE Email IN ({!visitor.email}, {!custom:Other Email}) AND (Phone != null OR MobilePhone != null)")]
    [InlineData("SELECT Id FROM Contact WHERE LastName LIKE {!visitor.lastName} AND CreatedDate > 2026-01-01T00:00:00Z AND CreatedDate = LAST_N_DAYS:30")]
    [InlineData("SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case WHERE Subject = {!custom:Case Subject}) AND Email != 'x{y}'")]
    [InlineData("SELECT Id FROM Contact WHERE Member_Id__c NOT IN ('a', {!custom:memberId}) AND Delete_Me__c = false AND Amount__c >= -1.5")]
    [InlineData("SELECT Id FROM Contact WHERE Interests__c INCLUDES ({!custom:interest}) AND Email = 'it\\'s {x}'")]
    public void ValidateForConversation_ValidTemplate_HasNoProblem(string soql)
    {
        SoqlTemplate.ValidateForConversation(soql).Should().BeEmpty();
    }

    [Fact]
    public void Parse_ValidTemplate_DescribesItsObjectFieldsAndPlaceholders()
    {
        var template = SoqlTemplate.Parse("SELECT Id, Account.Name, COUNT(Id) FROM Contact WHERE Email IN ({!visitor.email}, 'x') AND LastName LIKE {! visitor.lastName } AND Id IN (SELECT WhoId FROM Task)").Template!;

        template.ObjectType.Should().Be("Contact");
        template.SelectedFields.Should().Equal("Id", "Account.Name");
        template.Placeholders.Should().Equal(
            new SoqlPlaceholder("visitor.email", 65, 16, SoqlPlaceholderKind.Value),
            new SoqlPlaceholder("visitor.lastName", 106, 21, SoqlPlaceholderKind.LikePattern));
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
    public void Bind_LikeValue_EscapesWildcardsAndBackslashes()
    {
        var conversation = TestData.Conversation(custom: new Dictionary<string, string?> { ["k"] = @"50%_off\" });

        SoqlTemplate.Bind("SELECT Id FROM Contact WHERE X__c LIKE {!custom:k} AND Y__c = {!custom:k}", conversation)
            .Should().Be(@"SELECT Id FROM Contact WHERE X__c LIKE '50\%\_off\\' AND Y__c = '50%_off\\'");
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
    public void Bind_InvalidTemplate_ReturnsNullInsteadOfAQuery()
    {
        var conversation = TestData.Conversation(custom: new Dictionary<string, string?> { ["memberId"] = "x' OR Id != 'y" });

        SoqlTemplate.Bind("SELECT Id FROM Contact WHERE Member_Id__c = '{!custom:memberId}'", conversation).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Bind_HostileValueInEveryPosition_StaysInsideItsLiteral(string value)
    {
        var template = SoqlTemplate.Parse("SELECT Id FROM Contact WHERE A__c = {!v} AND B__c != {!v} AND C__c IN ({!v}, 'k') AND D__c NOT IN ('k', {!v}) AND E__c LIKE {!v} AND F__c INCLUDES ({!v})").Template!;

        var bound = template.Bind(_ => value)!;

        // Re-reading the bound query as a template: exactly the six literals, each unescaping to the value.
        var literals = SoqlLiterals(bound);
        literals.Should().HaveCount(8);
        var unescaped = literals.Where(l => l != "k").ToList();
        unescaped.Should().HaveCount(6).And.OnlyContain(l => l == value);
        bound.Should().NotContain("\n").And.NotContain("\r");
    }

    // Splits a query's quoted literals out and unescapes them the way Salesforce does (LIKE escapes included).
    private static List<string> SoqlLiterals(string soql)
    {
        var literals = new List<string>();
        for (var i = 0; i < soql.Length; i++)
        {
            if (soql[i] != '\'')
            {
                continue;
            }

            var sb = new System.Text.StringBuilder();
            for (i++; soql[i] != '\''; i++)
            {
                if (soql[i] == '\\')
                {
                    i++;
                    sb.Append(soql[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', var c => c });
                }
                else
                {
                    sb.Append(soql[i]);
                }
            }

            literals.Add(sb.ToString());
        }

        return literals;
    }
}
