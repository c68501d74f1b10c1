using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public class SalesforceErrorParserTests
{
    [Fact]
    public void Parse_ErrorArray_ReadsCodeMessageAndFields()
    {
        var errors = SalesforceErrorParser.Parse(JsonNode.Parse("""[{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}]"""));

        errors.Should().ContainSingle().Which.Should().Match<ChatToSalesforce.Salesforce.SalesforceError>(e =>
            e.ErrorCode == "REQUIRED_FIELD_MISSING" && e.Message == "Required fields are missing: [LastName]" && e.Fields.SequenceEqual(new[] { "LastName" }));
    }

    [Fact]
    public void Parse_DuplicatesDetected_ReadsTheMatchedRecordIds()
    {
        var body = JsonNode.Parse("""
            [{"duplicateResult":{"allowSave":true,"matchResults":[{"entityType":"Contact","matchRecords":[{"record":{"attributes":{"type":"Contact"},"Id":"003aj000002oTldAAE"}}]}]},
              "errorCode":"DUPLICATES_DETECTED","message":"Use one of these records?"}]
            """);

        var error = SalesforceErrorParser.Parse(body).Single();

        error.ErrorCode.Should().Be("DUPLICATES_DETECTED");
        error.DuplicateRecordIds.Should().Equal("003aj000002oTldAAE");
    }

    [Fact]
    public void Parse_SaveResultWithStatusCodes_ReadsTheNestedErrors()
    {
        var errors = SalesforceErrorParser.Parse(JsonNode.Parse("""{"id":null,"success":false,"errors":[{"statusCode":"DUPLICATE_VALUE","message":"duplicate value found","fields":[]}]}"""));

        errors.Should().ContainSingle().Which.ErrorCode.Should().Be("DUPLICATE_VALUE");
    }

    [Fact]
    public void Parse_OAuthError_ReadsErrorAndDescription()
    {
        var error = SalesforceErrorParser.Parse(JsonNode.Parse("""{"error":"invalid_grant","error_description":"expired access/refresh token"}""")).Single();

        error.ErrorCode.Should().Be("invalid_grant");
        error.Message.Should().Be("expired access/refresh token");
    }

    [Fact]
    public void Parse_MultipleChoices_ReportsTheUrls()
    {
        var errors = SalesforceErrorParser.Parse(JsonNode.Parse("""["/services/data/v62.0/sobjects/Contact/003A","/services/data/v62.0/sobjects/Contact/003B"]"""));

        errors.Should().HaveCount(2).And.OnlyContain(e => e.ErrorCode == "MULTIPLE_CHOICES");
    }

    [Fact]
    public void Parse_NoBody_ReturnsNothing()
    {
        SalesforceErrorParser.Parse(null).Should().BeEmpty();
    }

    [Theory]
    [InlineData(503, "SERVER_UNAVAILABLE", true)]
    [InlineData(400, "UNABLE_TO_LOCK_ROW", true)]
    [InlineData(500, "UNKNOWN_EXCEPTION", true)]
    [InlineData(400, "REQUIRED_FIELD_MISSING", false)]
    [InlineData(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", false)]
    public void ToException_ErrorCodes_AreClassifiedTransientOrPermanent(int status, string code, bool transient)
    {
        var error = SalesforceErrorParser.ToException(status, new JsonArray(new JsonObject { ["errorCode"] = code, ["message"] = "m" }), "Context");

        error.IsTransient.Should().Be(transient);
        error.StatusCode.Should().Be((HttpStatusCode)status);
        error.ErrorCode.Should().Be(code);
    }

    [Fact]
    public void ToException_Subrequest_IsNamedInTheMessageAndTheProperty()
    {
        var error = SalesforceErrorParser.ToException(400, new JsonArray(new JsonObject { ["errorCode"] = "INVALID_FIELD", ["message"] = "No such column", ["fields"] = new JsonArray("Foo__c") }), "The query failed", "read2");

        error.Message.Should().Be("The query failed (subrequest 'read2'): INVALID_FIELD: No such column");
        error.FailedSubrequest.Should().Be("read2");
        error.Fields.Should().Equal("Foo__c");
    }
}
