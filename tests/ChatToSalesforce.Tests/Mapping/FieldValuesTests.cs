using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tests.Infrastructure;

namespace ChatToSalesforce.Tests.Mapping;

public class FieldValuesTests
{
    private static object? Convert(SalesforceFieldDescription field, string raw, out string? problem, PicklistPolicy policy = PicklistPolicy.Drop) =>
        FieldValues.Convert(field, raw, "Contact." + field.Name, policy, out problem);

    [Theory]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData(" 1 ", true)]
    [InlineData("checked", true)]
    [InlineData("FALSE", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    public void Convert_Boolean_ParsesCommonSpellings(string raw, bool expected)
    {
        Convert(TestData.Field("Opt_In__c", "boolean", 0), raw, out var problem).Should().BeOfType<bool>().Subject.Should().Be(expected);
        problem.Should().BeNull();
    }

    [Fact]
    public void Convert_NotABoolean_LeavesItOutWithAProblemWithoutTheValue()
    {
        Convert(TestData.Field("Opt_In__c", "boolean", 0), "perhaps", out var problem).Should().BeNull();
        problem.Should().Be("Contact.Opt_In__c: the value is not a boolean and was left out.");
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData(" -7 ", -7L)]
    public void Convert_Int_ParsesWholeNumbers(string raw, long expected)
    {
        Convert(TestData.Field("Visits__c", "int", 0), raw, out var problem).Should().BeOfType<long>().Subject.Should().Be(expected);
        problem.Should().BeNull();
    }

    [Theory]
    [InlineData("4.2")]
    [InlineData("forty")]
    public void Convert_IntNotWhole_IsLeftOut(string raw)
    {
        Convert(TestData.Field("Visits__c", "int", 0), raw, out var problem).Should().BeNull();
        problem.Should().Contain("not a whole number").And.NotContain(raw);
    }

    [Theory]
    [InlineData("double", "3.14", 3.14)]
    [InlineData("currency", "1,234.50", 1234.5)]
    [InlineData("percent", " 12 ", 12)]
    public void Convert_Numbers_UseInvariantCulture(string type, string raw, double expected)
    {
        var value = Convert(TestData.Field("Amount__c", type, 0), raw, out var problem);

        ((double)value.Should().BeOfType<decimal>().Subject).Should().Be(expected);
        problem.Should().BeNull();
    }

    [Theory]
    [InlineData("1,5")]
    [InlineData("12,34")]
    [InlineData("1,23,456")]
    public void Convert_CommaThatDoesNotGroupThousands_IsLeftOutNotReadAsALargerNumber(string raw)
    {
        // Regression: the thousands separator was accepted anywhere, so a decimal comma made 1,5 fifteen.
        Convert(TestData.Field("Amount__c", "double", 0), raw, out var problem).Should().BeNull();
        problem.Should().Be("Contact.Amount__c: the value is not a number and was left out.");
    }

    [Theory]
    [InlineData("1,234,567.25", 1234567.25)]
    [InlineData("-1,000", -1000)]
    [InlineData("1.5e3", 1500)]
    public void Convert_GroupedOrExponentNumbers_AreRead(string raw, double expected)
    {
        Convert(TestData.Field("Amount__c", "double", 0), raw, out var problem).Should().Be((decimal)expected);
        problem.Should().BeNull();
    }

    [Theory]
    [InlineData("date")]
    [InlineData("datetime")]
    public void Convert_TimeAlone_IsLeftOutNotGivenTheDayOfTheExport(string type)
    {
        // Regression: "14:30" parsed as today at 14:30, so the value depended on the day of the export.
        Convert(TestData.Field("Booked__c", type, 0), "14:30", out var problem).Should().BeNull();
        problem.Should().NotBeNull();
    }

    [Fact]
    public void Convert_EmailWithAControlCharacter_IsLeftOutNotCleaned()
    {
        // Regression: control characters were stripped before the email check, so a lookup of the raw address found
        // nothing and the create wrote a cleaned one: the one rule for emails says invalid, never cleaned.
        Convert(TestData.Field("Email", "email", 80), "ada\u0000@example.com", out var problem).Should().BeNull();
        problem.Should().NotBeNull();
    }

    [Fact]
    public void Convert_NotANumber_IsLeftOut()
    {
        Convert(TestData.Field("Amount__c", "double", 0), "a lot", out var problem).Should().BeNull();
        problem.Should().Contain("not a number");
    }

    [Theory]
    [InlineData("2026-11-21", "2026-11-21")]
    [InlineData("2026-11-21T10:00:00Z", "2026-11-21")]
    [InlineData("21 Nov 2026", "2026-11-21")]
    public void Convert_Date_WritesIsoDate(string raw, string expected)
    {
        Convert(TestData.Field("Birthdate", "date", 0), raw, out _).Should().BeOfType<string>().Subject.Should().Be(expected);
    }

    [Theory]
    [InlineData("2026-11-21T14:09:00+01:00", "2026-11-21T13:09:00Z")]
    [InlineData("2026-11-21 14:09", "2026-11-21T14:09:00Z")]
    [InlineData("2026-11-21T14:09:00.123Z", "2026-11-21T14:09:00Z")]
    public void Convert_DateTime_WritesUtcWithZone(string raw, string expected)
    {
        Convert(TestData.Field("Booked_At__c", "datetime", 0), raw, out _).Should().BeOfType<string>().Subject.Should().Be(expected);
    }

    [Theory]
    [InlineData("date")]
    [InlineData("datetime")]
    public void Convert_NotADate_IsLeftOut(string type)
    {
        Convert(TestData.Field("When__c", type, 0), "next tuesday-ish", out var problem).Should().BeNull();
        problem.Should().Contain("Contact.When__c").And.NotContain("tuesday");
    }

    [Fact]
    public void Convert_ValidEmail_IsTrimmed()
    {
        Convert(TestData.Field("Email", "email", 80), "  ada@example.com ", out var problem).Should().BeOfType<string>().Subject.Should().Be("ada@example.com");
        problem.Should().BeNull();
    }

    [Theory]
    [InlineData("ada@example")]
    [InlineData("ada@example.c")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    [InlineData("a da@example.com")]
    [InlineData("ada@example..com")]
    public void Convert_InvalidEmail_IsLeftOutWithoutTheValue(string raw)
    {
        Convert(TestData.Field("Email", "email", 80), raw, out var problem).Should().BeNull();
        problem.Should().Contain("not a valid email").And.NotContain(raw);
    }

    [Fact]
    public void Convert_EmailLongerThanTheField_IsLeftOut()
    {
        Convert(TestData.Field("Email", "email", 20), "someone.long@example.com", out var problem).Should().BeNull();
        problem.Should().Contain("longer than 20");
    }

    [Fact]
    public void Convert_TextLongerThanTheField_IsCutWithAProblemWithoutTheValue()
    {
        var value = Convert(TestData.Field("Title", "string", 10), "Chief Executive Officer", out var problem);

        value.Should().BeOfType<string>().Subject.Should().Be("Chief Exec");
        problem.Should().Be("Contact.Title: the value was cut to the field length (10 characters).");
    }

    [Fact]
    public void Convert_EmojiAtTheCut_NeverLeavesALoneSurrogate()
    {
        var value = Convert(TestData.Field("Title", "string", 5), "abcd😀efg", out _).Should().BeOfType<string>().Subject;

        value.Should().Be("abcd");
        value.Any(char.IsSurrogate).Should().BeFalse();
    }

    [Theory]
    [InlineData("😀😀", 3, "😀")]
    [InlineData("😀😀", 4, "😀😀")]
    [InlineData("a😀", 1, "a")]
    [InlineData("😀", 1, "")]
    [InlineData("abc", 5, "abc")]
    public void Truncate_SurrogatePairs_AreKeptWhole(string text, int max, string expected)
    {
        FieldValues.Truncate(text, max).Should().Be(expected);
    }

    [Fact]
    public void StripControlCharacters_Text_KeepsTabLineFeedAndCarriageReturn()
    {
        FieldValues.StripControlCharacters("a\u0000b\u0001c\td\ne\rf\u001Fg\u000Bh\uFFFEi\uFFFF").Should().Be("abc\td\ne\rfghi");
    }

    [Fact]
    public void StripControlCharacters_EveryCharacter_IsRemovedExactlyWhenSalesforceRejectsIt()
    {
        // The vectorized scan and the removal must agree on every character, not only the common ones.
        var wrong = new List<int>();
        for (var code = 0; code <= char.MaxValue; code++)
        {
            var c = (char)code;
            var rejected = (c < 0x20 && c is not '\t' and not '\n' and not '\r') || c is '\uFFFE' or '\uFFFF';
            var text = "a" + c + "b";
            var stripped = FieldValues.StripControlCharacters(text);
            if (stripped != (rejected ? "ab" : text))
            {
                wrong.Add(code);
            }
        }

        wrong.Should().BeEmpty();
    }

    [Fact]
    public void StripControlCharacters_CleanText_ReturnsTheSameInstance()
    {
        var text = "clean\ttext\r\n😀";

        FieldValues.StripControlCharacters(text).Should().BeSameAs(text);
    }

    [Fact]
    public void Convert_TextWithControlCharacters_StripsThem()
    {
        Convert(TestData.Field("Notes__c", "textarea", 1000), "line\u0007one\nline two", out _).Should().BeOfType<string>().Subject.Should().Be("lineone\nline two");
    }

    [Fact]
    public void Convert_RestrictedPicklistValueInOtherCase_UsesTheCanonicalValue()
    {
        var field = TestData.Field("LeadSource", "picklist", 40, restricted: true, picklist: ["Web", "Chat"]);

        Convert(field, " chat ", out var problem).Should().BeOfType<string>().Subject.Should().Be("Chat");
        problem.Should().BeNull();
    }

    [Fact]
    public void Convert_RestrictedPicklistUnknownValueDrop_IsLeftOutWithAWarning()
    {
        var field = TestData.Field("LeadSource", "picklist", 40, restricted: true, picklist: ["Web", "Chat"]);

        Convert(field, "Carrier Pigeon", out var problem).Should().BeNull();
        problem.Should().Be("Contact.LeadSource: the value is not in the restricted picklist and was left out.");
    }

    [Fact]
    public void Convert_RestrictedPicklistUnknownValueFail_ThrowsNamingTheSettingAndField()
    {
        var field = TestData.Field("LeadSource", "picklist", 40, restricted: true, picklist: ["Web", "Chat"]);

        var act = () => Convert(field, "Carrier Pigeon", out _, PicklistPolicy.Fail);

        act.Should().Throw<ExportConfigurationException>()
            .Where(e => e.Setting == "RestrictedPicklistPolicy" && e.Message.Contains("Contact.LeadSource") && !e.Message.Contains("Carrier Pigeon"));
    }

    [Fact]
    public void Convert_UnrestrictedPicklist_KeepsAnyValue()
    {
        Convert(TestData.Field("Type", "picklist", 40, picklist: ["Call"]), "Chat", out var problem).Should().BeOfType<string>().Subject.Should().Be("Chat");
        problem.Should().BeNull();
    }

    [Fact]
    public void Convert_Reference_IsTrimmed()
    {
        Convert(TestData.Field("OwnerId", "reference", 18), " 005000000000001AAA ", out _).Should().BeOfType<string>().Subject.Should().Be("005000000000001AAA");
    }
}
