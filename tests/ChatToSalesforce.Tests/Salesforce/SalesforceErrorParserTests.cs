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
        ex.Message.Should().Contain("subrequest 'person'").And.Contain("Use one of these records?");
    }

    [Fact]
    public void ToException_ProcessingHaltedFirst_NamesTheRealCause()
    {
        var composite = Fixtures.Body(Fixtures.Load("55"))!["compositeResponse"]!.AsArray();
        var allErrors = new JsonArray(composite.Select(r => r!["body"]!.DeepClone()).SelectMany(b => b!.AsArray().Select(e => e!.DeepClone())).ToArray());

        var ex = SalesforceErrorParser.ToException(400, allErrors, "Composite request");

        ex.ErrorCode.Should().Be("INVALID_FIELD");
        ex.Message.Should().Contain("Foreign key external ID");
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
}
