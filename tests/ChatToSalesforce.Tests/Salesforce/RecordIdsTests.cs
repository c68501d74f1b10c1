using System.Text.RegularExpressions;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public class RecordIdsTests
{
    [Fact]
    public void To18_OfEveryIdInTheRealFixtures_GivesTheIdSalesforceAnswered()
    {
        // The fixtures are real Salesforce answers: their 18-character ids carry the checksum Salesforce computed.
        var ids = Fixtures.All()
            .SelectMany(name => Regex.Matches(File.ReadAllText(Path.Combine(Fixtures.Directory, name)), "\"[Ii]d\"\\s*:\\s*\"([A-Za-z0-9]{18})\"").Select(m => m.Groups[1].Value))
            .Where(id => !id.Contains("XXX", StringComparison.Ordinal)) // redacted in the fixtures
            .Distinct(StringComparer.Ordinal)
            // One documentation example (fixture 56) shows the same 15-character id with two suffixes; only one can be
            // Salesforce's, so ids whose prefix comes with more than one suffix are left out.
            .GroupBy(id => id[..15], StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .Select(g => g.Single())
            .ToList();

        ids.Should().HaveCountGreaterThan(25);
        foreach (var id in ids)
        {
            RecordIds.To18(id[..15]).Should().Be(id);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("001R00000066cndIAA")]
    [InlineData("not-an-id")]
    public void To18_OfAnythingButA15CharacterId_IsUnchanged(string value)
    {
        RecordIds.To18(value).Should().Be(value);
    }
}
