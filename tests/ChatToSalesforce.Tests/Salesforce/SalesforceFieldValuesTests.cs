using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public class SalesforceFieldValuesTests
{
    [Fact]
    public void Fields_KeepTheirOrderAndCompareWithoutCase()
    {
        var values = new SalesforceFieldValues { ["LastName"] = "Lovelace", ["Email"] = "ada@example.com" };
        values["lastname"] = "Byron";

        values.Fields.Should().Equal("LastName", "Email");
        values.GetString("LASTNAME").Should().Be("Byron");
        values.Count.Should().Be(2);
        values.Remove("EMAIL").Should().BeTrue();
        values.ContainsField("Email").Should().BeFalse();
    }

    [Fact]
    public void Null_IsAPresentValue_AnAbsentFieldReadsAsNull()
    {
        var values = new SalesforceFieldValues { ["Fax"] = null };

        values.ContainsField("Fax").Should().BeTrue();
        values["Fax"].Should().BeNull();
        values["Phone"].Should().BeNull();
        values.ContainsField("Phone").Should().BeFalse();
        values.TryGetValue("Phone", out _).Should().BeFalse();
    }

    [Fact]
    public void Values_AreWhatSalesforceFieldsHold_AndAnythingElseIsRefused()
    {
        var values = new SalesforceFieldValues
        {
            ["Text"] = "a",
            ["Flag"] = true,
            ["Count"] = 3,
            ["Amount"] = 1.5m,
            ["Ratio"] = 0.25,
            ["Day"] = new DateOnly(2024, 5, 1),
            ["At"] = new DateTimeOffset(2024, 5, 1, 9, 30, 0, TimeSpan.FromHours(2)),
            ["Utc"] = new DateTime(2024, 5, 1, 7, 30, 0, DateTimeKind.Utc),
        };

        values["Count"].Should().Be(3L, "whole numbers are kept as long");
        values.GetDateTimeOffset("Utc").Should().Be(new DateTimeOffset(2024, 5, 1, 7, 30, 0, TimeSpan.Zero));

        var wrongType = () => values.Set("Bad", new Uri("https://example.com/secret"));
        wrongType.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Bad").And.NotContain("secret").And.NotContain("Uri");
        var noZone = () => values.Set("When", new DateTime(2024, 5, 1, 7, 30, 0, DateTimeKind.Unspecified));
        noZone.Should().Throw<ArgumentException>().Which.Message.Should().Contain("time zone");
        var notFinite = () => values.Set("Ratio", double.NaN);
        notFinite.Should().Throw<ArgumentException>();
        var noName = () => values.Set(" ", "x");
        noName.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void TypedGetters_ReadTheValuesAndSalesforcesTextForms()
    {
        var values = new SalesforceFieldValues
        {
            ["IsConverted"] = "true",
            ["Amount"] = "12.50",
            ["CreatedDate"] = "2024-05-01T09:30:00.000+0000",
            ["Birthdate"] = "1815-12-10",
            ["Flag"] = false,
            ["Count"] = 7,
            ["Day"] = new DateOnly(2024, 5, 1),
            ["Name"] = "Ada",
        };

        values.GetBoolean("IsConverted").Should().BeTrue();
        values.GetBoolean("Flag").Should().BeFalse();
        values.GetBoolean("Name").Should().BeNull();
        values.GetDecimal("Amount").Should().Be(12.50m);
        values.GetDecimal("Count").Should().Be(7m);
        values.GetDecimal("Name").Should().BeNull();
        values.GetDateTimeOffset("CreatedDate").Should().Be(new DateTimeOffset(2024, 5, 1, 9, 30, 0, TimeSpan.Zero));
        values.GetDate("Birthdate").Should().Be(new DateOnly(1815, 12, 10));
        values.GetDate("CreatedDate").Should().Be(new DateOnly(2024, 5, 1));
        values.GetString("Flag").Should().Be("false");
        values.GetString("Count").Should().Be("7");
        values.GetString("Day").Should().Be("2024-05-01");
        values.GetString("Missing").Should().BeNull();
    }

    [Fact]
    public void ToString_NamesTheFieldsNeverTheValues()
    {
        var values = new SalesforceFieldValues { ["Email"] = "ada@example.com", ["Description"] = "my card is 4111" };

        values.ToString().Should().Be("2 fields (Email, Description)");
        new SalesforceFieldValues().ToString().Should().Be("0 fields");
    }

    [Fact]
    public void CopyConstructor_CopiesSoChangesDoNotReachTheOriginal()
    {
        var original = new SalesforceFieldValues { ["LastName"] = "Lovelace" };
        var copy = new SalesforceFieldValues(original) { ["OwnerId"] = "005000000000001AAA" };

        original.ContainsField("OwnerId").Should().BeFalse();
        copy.Fields.Should().Equal("LastName", "OwnerId");
    }

    [Fact]
    public void Wire_WritesEachKindAsSalesforceExpects()
    {
        var values = new SalesforceFieldValues
        {
            ["Text"] = "a\"b",
            ["Flag"] = true,
            ["Count"] = 3,
            ["Amount"] = 1.50m,
            ["Day"] = new DateOnly(2024, 5, 1),
            ["At"] = new DateTimeOffset(2024, 5, 1, 9, 30, 0, TimeSpan.FromHours(2)),
            ["Fax"] = null,
            ["WhoId"] = "ignored: a reference",
        };
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            FieldValuesWire.WriteProperties(w, values, new Dictionary<string, string> { ["WhoId"] = "person" });
            w.WriteEndObject();
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(
            """{"Text":"a\u0022b","Flag":true,"Count":3,"Amount":1.50,"Day":"2024-05-01","At":"2024-05-01T07:30:00Z","Fax":null}""");
    }

    [Fact]
    public void LongText_HeldAsUtf8_ReadsAsTheSameText_AndGoesOnTheWireByteForByte()
    {
        // A transcript with what JSON escapes (quotes, backslash, line breaks, '<', '+'), accents and an emoji (a surrogate pair).
        var transcript = string.Concat(Enumerable.Repeat("Visitor: \"Ça coûte 5€ + <tax>?\"\\ ok 👍\n", 60));
        SalesforceFieldValues Make() => new() { ["Subject"] = "Chat with Ada", ["Description"] = transcript, ["Priority"] = 3 };
        var held = Make();
        var copy = held.Clone();

        SalesforceFieldValues.CompactLongText([held], minLength: 1024);

        held.Held["Description"].Should().BeOfType<Utf8FieldText>("the long value is held as UTF-8");
        held.Held["Subject"].Should().Be("Chat with Ada", "short values stay as they are");
        held["Description"].Should().Be(transcript);
        held.GetString("Description").Should().Be(transcript);
        held.TryGetValue("Description", out var read).Should().BeTrue();
        read.Should().Be(transcript);
        held.Should().Contain(new KeyValuePair<string, object?>("Description", transcript));
        held.Clone()["Description"].Should().Be(transcript);
        copy.Held["Description"].Should().BeOfType<string>("a copy made before is not changed");
        Wire(held).Should().Be(Wire(Make()));
    }

    [Fact]
    public void LongText_ThatIsNotValidUtf16_StaysAString()
    {
        var broken = new string('a', 2000) + '\uD800' + "tail";
        var values = new SalesforceFieldValues { ["Description"] = broken, ["Comments"] = new string('b', 2000) };

        SalesforceFieldValues.CompactLongText([values], minLength: 1024);

        values.Held["Description"].Should().BeSameAs(broken);
        values.Held["Comments"].Should().BeOfType<Utf8FieldText>();
        values["Comments"].Should().Be(new string('b', 2000));
    }

    [Fact]
    public void LongText_WiderInUtf8ThanInCharacters_StillFits()
    {
        // '€' is one character and three bytes: the block sized by characters is too small, and a larger one is made.
        SalesforceFieldValues[] Make() => [new() { ["Description"] = new string('€', 2000) }, new() { ["Description"] = "a" + new string('€', 3000) }];
        var held = Make();

        SalesforceFieldValues.CompactLongText(held, minLength: 1024);

        held.Should().OnlyContain(v => v.Held["Description"] is Utf8FieldText);
        held[0]["Description"].Should().Be(new string('€', 2000));
        held[1]["Description"].Should().Be("a" + new string('€', 3000));
        held.Select(Wire).Should().Equal(Make().Select(Wire));
    }

    private static string Wire(SalesforceFieldValues values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            FieldValuesWire.WriteProperties(w, values);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Wire_ReadsARecordWithoutAttributes_RelationshipsUnderTheirPath()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""
            {
              "attributes": { "type": "Contact", "url": "/services/data/v62.0/sobjects/Contact/003" },
              "Id": "003000000000001AAA",
              "HasOptedOutOfEmail": false,
              "NumberOfEmployees": 12,
              "AnnualRevenue": 1.5,
              "Fax": null,
              "Owner": { "attributes": { "type": "User" }, "Name": "Dana", "Manager": { "Email": "m@example.com" } },
              "Account": null,
              "Cases": { "totalSize": 1, "done": true, "records": [ { "Id": "500" } ] }
            }
            """);

        var values = FieldValuesWire.FromRecord(document.RootElement);

        values.Fields.Should().Equal("Id", "HasOptedOutOfEmail", "NumberOfEmployees", "AnnualRevenue", "Fax", "Owner.Name", "Owner.Manager.Email", "Account");
        values["HasOptedOutOfEmail"].Should().Be(false);
        values["NumberOfEmployees"].Should().Be(12L);
        values["AnnualRevenue"].Should().Be(1.5m);
        values.GetString("Owner.Name").Should().Be("Dana");
        values.GetString("Owner.Manager.Email").Should().Be("m@example.com");
        values.GetString("Account.Name").Should().BeNull();
    }
}
