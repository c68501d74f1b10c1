using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class SalesforceErrorParserTests
{
    [Fact]
    public void Parse_ArrayBody_ReadsCodeMessageAndFields()
    {
        var errors = SalesforceErrorParser.Parse(Fixtures.Body(Fixtures.Load("38")));

        errors.Should().ContainSingle();
        errors[0].ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        errors[0].Message.Should().Be("Required fields are missing: [Name]");
        errors[0].Fields.Should().Equal("Name");
    }

    [Fact]
    public void Parse_SingleObjectBody_IsAccepted()
    {
        var errors = SalesforceErrorParser.Parse(Fixtures.Body(Fixtures.Load("32")));

        errors.Should().ContainSingle().Which.ErrorCode.Should().Be("NOT_FOUND");
    }

    [Fact]
    public void Parse_SeveralErrors_KeepsAll()
    {
        var errors = SalesforceErrorParser.Parse(Fixtures.Body(Fixtures.Load("43")));

        errors.Select(e => e.Message).Should().Equal("no ACME accounts", "no 123 phone");
    }

    [Fact]
    public void Parse_PerRecordStatusCodeForm_IsRead()
    {
        var body = Fixtures.Body(Fixtures.Load("63"));

        var errors = SalesforceErrorParser.Parse(body);

        errors.Select(e => e.ErrorCode).Should().Equal("DUPLICATES_DETECTED", "ALL_OR_NONE_OPERATION_ROLLED_BACK");
    }

    [Fact]
    public void Parse_DuplicatesDetected_ReturnsMatchedRecordIds()
    {
        var errors = SalesforceErrorParser.Parse(Fixtures.Body(Fixtures.Load("45")));

        errors.Should().ContainSingle();
        errors[0].ErrorCode.Should().Be("DUPLICATES_DETECTED");
        errors[0].DuplicateRecordIds.Should().Equal("003aj000002oTldAAE");
    }

    [Fact]
    public void Parse_DuplicatesDetectedWithoutDuplicateResult_HasNoIds()
    {
        var errors = SalesforceErrorParser.Parse(JsonNode.Parse("""[{"errorCode":"DUPLICATES_DETECTED","message":"Use one of these records?"}]"""));

        errors.Should().ContainSingle().Which.DuplicateRecordIds.Should().BeEmpty();
    }

    [Fact]
    public void Parse_NullOrSuccessBody_ReturnsEmpty()
    {
        SalesforceErrorParser.Parse(null).Should().BeEmpty();
        SalesforceErrorParser.Parse(JsonNode.Parse("""{"id":"001","success":true,"errors":[]}""")).Should().BeEmpty();
    }

    [Fact]
    public void Parse_MultipleChoices_ListsRecordUrls()
    {
        var errors = SalesforceErrorParser.Parse(Fixtures.Body(Fixtures.Load("30")));

        errors.Should().HaveCount(2);
        errors[0].ErrorCode.Should().Be("MULTIPLE_CHOICES");
        errors[0].Message.Should().Contain("/sobjects/Contact/0033h00000Kzv3AAAR");
    }

    [Fact]
    public void ToException_DuplicatesDetected_CarriesIdsFieldsAndSubrequest()
    {
        var ex = SalesforceErrorParser.ToException(400, Fixtures.Body(Fixtures.Load("45")), "Composite request", "person");

        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.ErrorCode.Should().Be("DUPLICATES_DETECTED");
        ex.DuplicateRecordIds.Should().Equal("003aj000002oTldAAE");
        ex.FailedSubrequest.Should().Be("person");
        ex.IsTransient.Should().BeFalse();
        ex.Message.Should().Contain("subrequest 'person'").And.Contain("DUPLICATES_DETECTED").And.NotContain("Use one of these records?");
        ex.SalesforceMessage.Should().Contain("Use one of these records?");
    }

    [Fact]
    public void ToException_ProcessingHaltedFirst_NamesTheRealCause()
    {
        var composite = Fixtures.Body(Fixtures.Load("55"))!["compositeResponse"]!.AsArray();
        var allErrors = new JsonArray(composite.Select(r => r!["body"]!.DeepClone()).SelectMany(b => b!.AsArray().Select(e => e!.DeepClone())).ToArray());

        var ex = SalesforceErrorParser.ToException(400, allErrors, "Composite request");

        ex.ErrorCode.Should().Be("INVALID_FIELD");
        ex.SalesforceMessage.Should().Contain("Foreign key external ID");
        ex.Errors.Should().HaveCountGreaterThan(1);
    }

    [Fact]
    public void ToException_RequiredFieldMissing_ListsFieldsAndHint()
    {
        var ex = SalesforceErrorParser.ToException(400, Fixtures.Body(Fixtures.Load("38")), "Composite request", "task");

        ex.Fields.Should().Equal("Name");
        ex.Message.Should().Contain("REQUIRED_FIELD_MISSING").And.Contain("[Name]");
    }

    [Fact]
    public void ToException_TransientCode_IsTransient()
    {
        SalesforceErrorParser.ToException(400, Fixtures.Body(Fixtures.Load("37")), "Upload").IsTransient.Should().BeTrue();
        SalesforceErrorParser.ToException(503, Fixtures.Body(Fixtures.Load("49")), "Upload").IsTransient.Should().BeTrue();
    }

    [Fact]
    public void ToException_NoBody_SaysSo()
    {
        var ex = SalesforceErrorParser.ToException(502, null, "Query");

        ex.ErrorCode.Should().BeNull();
        ex.IsTransient.Should().BeTrue();
        ex.Message.Should().Contain("no error details");
    }

    [Fact]
    public void ParseSaveResult_UpsertResult_ReadsCreated()
    {
        var result = SalesforceErrorParser.ParseSaveResult(Fixtures.Body(Fixtures.Load("28")));

        result.Should().BeEquivalentTo(new { Id = "00190000001pPvHAAU", Success = true, Created = (bool?)true });
        result.Errors.Should().BeEmpty();
    }

    // Issue 11 item 4: Salesforce's messages echo record values; Message, ToString() and SalesforceError.ToString() never carry them.
    [Fact]
    public void ToException_VerbatimMessageWithRecordValues_StaysOutOfMessageAndToString()
    {
        var body = JsonNode.Parse("""
            [{"message":"Email: invalid email address: victim@example.com","errorCode":"INVALID_EMAIL_ADDRESS","fields":["Email"]},
             {"message":"Phone must look like +1 555 0100 (was 555-SECRET)","errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","fields":["Phone"]}]
            """);

        var ex = SalesforceErrorParser.ToException(400, body, "Salesforce rejected the export of conversation 'c-1'", "person");

        ex.Message.Should().Be(
            "Salesforce rejected the export of conversation 'c-1' (subrequest 'person'): HTTP 400 INVALID_EMAIL_ADDRESS [Email] (and 1 more error). "
            + "Salesforce did not accept the email address as written; check the value the mapping sends to the named field (Salesforce's message is in SalesforceMessage).");
        ex.ToString().Should().NotContain("victim@example.com").And.NotContain("555-SECRET");
        ex.Fields.Should().Equal("Email", "Phone");
        ex.SalesforceMessage.Should().Be("Email: invalid email address: victim@example.com");
        ex.Errors.Select(e => e.Message).Should().Equal("Email: invalid email address: victim@example.com", "Phone must look like +1 555 0100 (was 555-SECRET)");
        ex.Errors[1].ToString().Should().Be("FIELD_CUSTOM_VALIDATION_EXCEPTION [Phone]");
    }

    [Fact]
    public void ToException_ErrorWithoutCode_PointsToSalesforceMessage()
    {
        var ex = SalesforceErrorParser.ToException(400, JsonNode.Parse("""{"message":"Bad value 'ada@example.com'"}"""), "Query");

        ex.Message.Should().Be("Query: HTTP 400 (no error code; Salesforce's message is in SalesforceMessage).");
        ex.SalesforceMessage.Should().Be("Bad value 'ada@example.com'");
    }
}
