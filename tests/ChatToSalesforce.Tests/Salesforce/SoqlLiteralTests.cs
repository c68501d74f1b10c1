using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Tests.Salesforce;

public class SoqlLiteralTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("o'brien", @"o\'brien")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("\"quoted\"", "\\\"quoted\\\"")]
    [InlineData("a\nb\rc\td\be\ff", @"a\nb\rc\td\be\ff")]
    [InlineData("50%_off", "50%_off")]
    [InlineData("' OR Name != '", @"\' OR Name != \'")]
    public void Escape_Value_EscapesQuotedStringCharacters(string raw, string expected)
    {
        Soql.Escape(raw).Should().Be(expected);
    }

    [Fact]
    public void EscapeLike_Value_AlsoEscapesWildcards()
    {
        Soql.EscapeLike("50%_o'ff").Should().Be(@"50\%\_o\'ff");
    }

    [Fact]
    public void Quote_Value_WrapsTheEscapedValue()
    {
        Soql.Quote("o'brien@x.com").Should().Be(@"'o\'brien@x.com'");
    }

    [Fact]
    public void Escape_Null_Throws()
    {
        FluentActions.Invoking(() => Soql.Escape(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Soql.EscapeLike(null!)).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [InlineData("Contact", true)]
    [InlineData("Mongoose_Student_Type__c", true)]
    [InlineData("Account.Name", true)]
    [InlineData("1Field", false)]
    [InlineData("_Field", false)]
    [InlineData("Bad Field", false)]
    [InlineData("Name'--", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsIdentifier_Name_AcceptsPlainApiNamesOnly(string? name, bool expected)
    {
        Soql.IsIdentifier(name).Should().Be(expected);
    }
}
