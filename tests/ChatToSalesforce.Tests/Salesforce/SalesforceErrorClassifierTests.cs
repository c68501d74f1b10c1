using System.Text.Json.Nodes;
using ChatToSalesforce.Salesforce.Internal;

namespace ChatToSalesforce.Tests.Salesforce;

public sealed class SalesforceErrorClassifierTests
{
    /// <summary>Every error fixture, classified as API-FACTS section 7 says.</summary>
    public static TheoryData<string, string> ErrorFixtures => new()
    {
        { "30", nameof(SalesforceErrorKind.Permanent) },      // 300 multiple external-id matches
        { "31", nameof(SalesforceErrorKind.Permanent) },
        { "32", nameof(SalesforceErrorKind.Permanent) },      // NOT_FOUND
        { "33", nameof(SalesforceErrorKind.Permanent) },
        { "34", nameof(SalesforceErrorKind.ReAuthenticate) }, // Session expired or invalid
        { "35", nameof(SalesforceErrorKind.Permanent) },      // not valid for use with the REST API
        { "36", nameof(SalesforceErrorKind.DailyLimitExceeded) },
        { "37", nameof(SalesforceErrorKind.Transient) },      // UNABLE_TO_LOCK_ROW
        { "38", nameof(SalesforceErrorKind.Permanent) },
        { "39", nameof(SalesforceErrorKind.Permanent) },
        { "40", nameof(SalesforceErrorKind.Permanent) },
        { "41", nameof(SalesforceErrorKind.Permanent) },
        { "42", nameof(SalesforceErrorKind.Permanent) },
        { "43", nameof(SalesforceErrorKind.Permanent) },
        { "44", nameof(SalesforceErrorKind.Permanent) },
        { "45", nameof(SalesforceErrorKind.Permanent) },      // DUPLICATES_DETECTED: a business outcome, never retried
        { "46", nameof(SalesforceErrorKind.Permanent) },
        { "47", nameof(SalesforceErrorKind.Permanent) },
        { "48", nameof(SalesforceErrorKind.Permanent) },
        { "49", nameof(SalesforceErrorKind.Transient) },      // SERVER_UNAVAILABLE 503
        { "50", nameof(SalesforceErrorKind.Permanent) },
        { "51", nameof(SalesforceErrorKind.Permanent) },
        { "52", nameof(SalesforceErrorKind.Permanent) },
    };

    [Theory]
    [MemberData(nameof(ErrorFixtures))]
    public void Classify_ErrorFixture_MatchesApiFacts(string fixture, string expected)
    {
        var f = Fixtures.Load(fixture);

        var kind = SalesforceErrorClassifier.Classify(Fixtures.Status(f), SalesforceErrorParser.Parse(Fixtures.Body(f)));

        kind.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded.", nameof(SalesforceErrorKind.Transient))]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", nameof(SalesforceErrorKind.Transient))]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", nameof(SalesforceErrorKind.DailyLimitExceeded))]
    [InlineData(400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "MyTrigger: execution of AfterInsert caused by: System.DmlException: Update failed. UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record", nameof(SalesforceErrorKind.Transient))]
    [InlineData(400, "CANNOT_EXECUTE_FLOW_TRIGGER", "The record couldn't be saved because it failed to trigger a flow. UNABLE_TO_LOCK_ROW", nameof(SalesforceErrorKind.Transient))]
    [InlineData(400, "QUERY_TIMEOUT", "Your query request was running for too long.", nameof(SalesforceErrorKind.Transient))]
    [InlineData(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 123", nameof(SalesforceErrorKind.Transient))]
    [InlineData(502, null, "Bad gateway", nameof(SalesforceErrorKind.Transient))]
    [InlineData(504, null, "Gateway timeout", nameof(SalesforceErrorKind.Transient))]
    [InlineData(401, "INVALID_SESSION_ID", "Connected app is not attached to Agent", nameof(SalesforceErrorKind.Permanent))]
    [InlineData(400, "STRING_TOO_LONG", "Last Name: data value too large", nameof(SalesforceErrorKind.Permanent))]
    [InlineData(400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "MyTrigger: execution of AfterInsert caused by: System.NullPointerException", nameof(SalesforceErrorKind.Permanent))]
    public void Classify_CodeAndMessage_FollowsSection7(int status, string? code, string message, string expected)
    {
        var errors = new[] { new ChatToSalesforce.Salesforce.SalesforceError(code, message, []) };

        SalesforceErrorClassifier.Classify(status, errors).ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(420)]
    public void Classify_EdgeRateLimitOrRoutingWithoutAnErrorBody_IsTransient(int status)
    {
        // Regression: a 429 without REQUEST_LIMIT_EXCEEDED in its body, and a 420, were classed permanent, so a read that
        // would pass in a moment failed at once.
        SalesforceErrorClassifier.Classify(status, SalesforceErrorParser.Parse(JsonValue.Create("<html>Too Many Requests</html>"))).Should().Be(SalesforceErrorKind.Transient);
        SalesforceErrorClassifier.Classify(status, []).Should().Be(SalesforceErrorKind.Transient);
    }

    [Fact]
    public void Classify_ProcessingHaltedOnly_IsPermanent()
    {
        var errors = SalesforceErrorParser.Parse(JsonNode.Parse("""[{"errorCode":"PROCESSING_HALTED","message":"The transaction was rolled back since another operation in the same transaction failed."}]"""));

        SalesforceErrorClassifier.Classify(400, errors).Should().Be(SalesforceErrorKind.Permanent);
    }
}
