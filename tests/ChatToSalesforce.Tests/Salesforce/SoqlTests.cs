using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class SoqlTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("O'Hara", @"O\'Hara")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("line1\nline2\r\n", @"line1\nline2\r\n")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("bell\bform\f", @"bell\bform\f")]
    [InlineData("50%_off", "50%_off")]
    [InlineData("Zoë 😀 日本", "Zoë 😀 日本")]
    [InlineData(@"\'", @"\\\'")]
    public void Escape_HostileStrings_AreEscaped(string raw, string expected) => Soql.Escape(raw).Should().Be(expected);

    [Theory]
    [InlineData("50%_off", @"50\%\_off")]
    [InlineData(@"a\%", @"a\\\%")]
    [InlineData("O'Hara_%", @"O\'Hara\_\%")]
    public void EscapeLike_AlsoEscapesWildcards(string raw, string expected) => Soql.EscapeLike(raw).Should().Be(expected);

    [Theory]
    [InlineData("' OR Name != '")]
    [InlineData("x' OR Id != null OR Email = 'y")]
    [InlineData(@"\' OR Name != \'")]
    [InlineData("a'); DELETE FROM Contact; --")]
    [InlineData("'\n OR Name != '\\")]
    public void Quote_InjectionAttempt_StaysOneLiteralThatMatchesOnlyItself(string hostile)
    {
        var literal = Soql.Quote(hostile);

        // Tokenize the literal as Salesforce does: it must close exactly at its last character, and decode back to the input.
        Decode(literal, out var consumed).Should().Be(hostile);
        consumed.Should().Be(literal.Length);
    }

    [Fact]
    public void Escape_Null_Throws() => FluentActions.Invoking(() => Soql.Escape(null!)).Should().Throw<ArgumentNullException>();

    [Theory]
    [InlineData("Email", true)]
    [InlineData("Chat_Id__c", true)]
    [InlineData("Account.Name", true)]
    [InlineData("Email'", false)]
    [InlineData("Email OR", false)]
    [InlineData("1Email", false)]
    [InlineData("", false)]
    public void IsIdentifier_OnlyPlainNames(string name, bool expected) => Soql.IsIdentifier(name).Should().Be(expected);

    [Fact]
    public void Slice_ManyEmails_KeepsEveryListWithinTheLimitsAndLosesNothing()
    {
        var emails = Enumerable.Range(0, 500).Select(i => $"visitor.{i}.o'hara+tag@example-domain.com").ToList();

        var slices = SoqlInChunker.Slice(emails);

        slices.Should().HaveCountGreaterThan(1);
        foreach (var slice in slices)
        {
            slice.Count.Should().BeLessThanOrEqualTo(SoqlInChunker.MaxValues);
            SoqlInChunker.InList(slice).Length.Should().BeLessThanOrEqualTo(SoqlInChunker.MaxListLength);
        }

        slices.SelectMany(s => s).Should().Equal(emails);
    }

    [Fact]
    public void InList_QuotesEveryValue()
    {
        SoqlInChunker.InList(["a@example.com", "o'hara@example.com"]).Should().Be(@"('a@example.com','o\'hara@example.com')");
    }

    [Fact]
    public void Slice_DuplicatesAndEmpty_AreHandled()
    {
        SoqlInChunker.Slice([]).Should().BeEmpty();
        SoqlInChunker.Slice(["a", "a", "b"]).Should().ContainSingle().Which.Should().Equal("a", "b");
    }

    [Fact]
    public void Slice_MaxValues_IsHonoured()
    {
        SoqlInChunker.Slice(["a", "b", "c"], maxValues: 2).Select(s => s.Count).Should().Equal(2, 1);
    }

    [Fact]
    public void Slice_OversizedValue_GetsItsOwnSlice()
    {
        var huge = new string('x', 3600);

        SoqlInChunker.Slice(["a", huge, "b"]).Select(s => s.Count).Should().Equal(1, 1, 1);
    }

    /// <summary>A minimal SOQL string-literal tokenizer (Salesforce's quoted-string escapes).</summary>
    private static string Decode(string literal, out int consumed)
    {
        literal[0].Should().Be('\'');
        var sb = new System.Text.StringBuilder();
        for (var i = 1; i < literal.Length; i++)
        {
            var c = literal[i];
            if (c == '\'')
            {
                consumed = i + 1;
                return sb.ToString();
            }

            if (c == '\\')
            {
                var n = literal[++i];
                sb.Append(n switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\b',
                    'f' => '\f',
                    '\'' or '"' or '\\' => n,
                    _ => throw new FormatException($"invalid escape \\{n}"),
                });
                continue;
            }

            sb.Append(c);
        }

        throw new FormatException("unterminated literal");
    }
}
