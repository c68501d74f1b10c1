using System.Text;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

/// <summary>
/// Composite and query answers are read as they arrived (UTF-8), without JSON nodes for the whole answer: the shapes
/// Salesforce sends, in any property order, and what an answer that is not one of them reads as.
/// </summary>
public sealed class AnswerReadingTests
{
    [Fact]
    public void A_composite_answer_gives_each_subresponse_its_status_and_its_own_body()
    {
        var answer = Encoding.UTF8.GetBytes("""
            {"compositeResponse":[
              {"body":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact"},"Id":"003000000000001AAA","Email":"a@example.com"}]},"httpHeaders":{},"httpStatusCode":200,"referenceId":"read0"},
              {"referenceId":"read1","httpStatusCode":400,"httpHeaders":{"x":"y"},"body":[{"errorCode":"INVALID_FIELD","message":"No such column 'Foo__c' on entity 'Contact'."}]},
              {"referenceId":"read2","httpStatusCode":204,"body":null},
              {"httpStatusCode":200,"referenceId":"read3"},
              "not an object"
            ],"extra":{"compositeResponse":"ignored"}}
            """);

        var response = SalesforceCompositeResponse.Read(answer)!;

        response.Responses.Select(r => (r.ReferenceId, r.HttpStatusCode, r.IsSuccess)).Should().Equal(("read0", 200, true), ("read1", 400, false), ("read2", 204, true), ("read3", 200, true));
        var page = FieldValuesWire.ReadQueryPage(response.Find("read0")!.Utf8Body);
        page.Records.Should().ContainSingle().Which.GetString("Email").Should().Be("a@example.com");
        response.Find("read1")!.Body!.AsArray()[0]!["errorCode"]!.GetValue<string>().Should().Be("INVALID_FIELD");
        response.Find("read2")!.Body.Should().BeNull();
        response.Find("read3")!.Body.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("""[{"errorCode":"UNKNOWN_EXCEPTION"}]""")]
    [InlineData("""{"results":[]}""")]
    [InlineData("""{"compositeResponse":[{"referenceId":"read0" """)]
    public void An_answer_without_a_composite_response_array_reads_as_none(string answer) =>
        SalesforceCompositeResponse.Read(Encoding.UTF8.GetBytes(answer)).Should().BeNull();

    [Fact]
    public void A_query_page_gives_its_size_records_and_next_page()
    {
        var page = FieldValuesWire.ReadQueryPage(Encoding.UTF8.GetBytes("""
            {"records":[{"Id":"003000000000001AAA","Owner":{"Name":"Dana"}},{"Id":"003000000000002AAA","Owner":null}],"nextRecordsUrl":"/services/data/v62.0/query/01g-2000","done":false,"totalSize":4000}
            """));

        page.TotalSize.Should().Be(4000);
        page.Done.Should().BeFalse();
        page.NextRecordsUrl.Should().Be("/services/data/v62.0/query/01g-2000");
        page.Records.Select(r => r.GetString("Owner.Name")).Should().Equal("Dana", null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"totalSize":"many","records":{"Id":"x"},"done":"no"}""")]
    public void A_query_answer_that_is_not_a_page_reads_as_an_empty_last_page(string answer)
    {
        var page = FieldValuesWire.ReadQueryPage(Encoding.UTF8.GetBytes(answer));

        page.Should().BeEquivalentTo(new { TotalSize = 0, Done = true, NextRecordsUrl = (string?)null });
        page.Records.Should().BeEmpty();
    }
}
