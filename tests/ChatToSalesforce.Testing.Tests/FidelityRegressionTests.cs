using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Regression tests: places where the emulator answered differently from shared/salesforce/API-FACTS.md and the fixtures.</summary>
public sealed class FidelityRegressionTests
{
    // API-FACTS section 9, "Escaping inside single-quoted literals": \n or \N, \r or \R, \t or \T, \b or \B,
    // \f or \F, and \uXXXX are valid escapes in a SOQL string literal.
    [Theory]
    [InlineData(@"SELECT Id FROM Contact WHERE LastName = 'A\TB'")]
    [InlineData(@"SELECT Id FROM Contact WHERE LastName = 'A\u0009B'")]
    [InlineData(@"SELECT Id FROM Contact WHERE LastName LIKE 'A\T%'")]
    public async Task Soql_accepts_uppercase_and_unicode_escapes(string soql)
    {
        using var org = new Org();
        org.Emulator.Insert("Contact", new { LastName = "A\tB" });

        var reply = await org.Query(soql);

        reply.Status.Should().Be(200, reply.Text);
        ((int)reply.Json!["totalSize"]!).Should().Be(1);
    }

    // API-FACTS 4.8 "Each subrequest counts against rate limits" and section 6: "/composite/batch | 1 per subrequest | [doc]".
    [Fact]
    public async Task Composite_batch_counts_one_call_per_subrequest()
    {
        using var org = new Org();
        var id = org.Emulator.Insert("Account", new { Name = "Acme" });
        var read = new JsonObject { ["method"] = "GET", ["url"] = $"v62.0/sobjects/Account/{id}?fields=Name" };

        var reply = await org.Post("/services/data/v62.0/composite/batch", new JsonObject
        {
            ["batchRequests"] = new JsonArray(read.DeepClone(), read.DeepClone(), read.DeepClone()),
        });

        reply.Status.Should().Be(200, reply.Text);
        org.Emulator.ApiCallsUsed.Should().Be(3, "each composite/batch subrequest counts against the daily allocation");
    }

    // API-FACTS section 9 "Lengths": "URI alone over 16,384 bytes gives 414" (and section 7's status table).
    [Fact]
    public async Task Query_uri_over_16384_bytes_answers_414_in_process()
    {
        using var org = new Org();
        var emails = Enumerable.Range(0, 700).Select(i => $"'person{i:D4}@example.com'");
        var soql = $"SELECT Id FROM Contact WHERE Email IN ({string.Join(",", emails)})";
        var path = "/services/data/v62.0/query?q=" + Uri.EscapeDataString(soql);
        path.Length.Should().BeGreaterThan(16_384);

        var reply = await org.Get(path);

        reply.Status.Should().Be(414, "Salesforce refuses a URI over 16,384 bytes; the SDK must chunk IN lists or move SOQL into composite");
    }

    // Fixture 69 (describe Contact): Description is a long text area with "filterable": false and "sortable": false;
    // the emulator's own describe says the same, yet SOQL filters and sorts on it.
    [Theory]
    [InlineData("SELECT Id FROM Contact WHERE Description = 'x'")]
    [InlineData("SELECT Id FROM Contact WHERE Description LIKE '%x%'")]
    [InlineData("SELECT Id FROM Contact ORDER BY Description")]
    public async Task Long_text_area_cannot_be_filtered_or_sorted(string soql)
    {
        using var org = new Org();
        var describe = await org.Get("/services/data/v62.0/sobjects/Contact/describe");
        var description = describe.Json!["fields"]!.AsArray().Single(f => (string)f!["name"]! == "Description")!;
        ((bool)description["filterable"]!).Should().BeFalse();
        ((bool)description["sortable"]!).Should().BeFalse();

        var reply = await org.Query(soql);

        reply.Status.Should().Be(400, reply.Text);
    }

    // Fixture 71 (describe Case): Comments (textarea, 4000) is "sortable": true.
    [Fact]
    public async Task Case_comments_describe_is_sortable_as_in_fixture_71()
    {
        using var org = new Org();
        var describe = await org.Get("/services/data/v62.0/sobjects/Case/describe");
        var comments = describe.Json!["fields"]!.AsArray().Single(f => (string)f!["name"]! == "Comments")!;

        ((bool)comments["sortable"]!).Should().BeTrue();
    }
}
