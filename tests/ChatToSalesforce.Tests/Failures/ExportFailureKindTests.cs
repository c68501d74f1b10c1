using System.Net;
using ChatToSalesforce.Failures.Internal;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Tests.Salesforce;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.Options;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Failures;

/// <summary>Every failure the SDK produces carries one <see cref="ExportFailureKind"/> (issue 16 item 1).</summary>
public sealed class ExportFailureKindTests
{
    /// <summary>The real error fixtures, answered through the SDK's own transport, and the kind of what it throws.</summary>
    public static TheoryData<string, ExportFailureKind> ApiErrorFixtures => new()
    {
        { "30", ExportFailureKind.RejectedData },      // 300: the key matched several records
        { "31", ExportFailureKind.RejectedData },
        { "32", ExportFailureKind.FixConfiguration },  // NOT_FOUND: bad external id field
        { "33", ExportFailureKind.FixConfiguration },
        { "34", ExportFailureKind.Reconnect },         // Session expired or invalid, again after renewing
        { "35", ExportFailureKind.FixConfiguration },  // a token not valid for the REST API (scopes)
        { "36", ExportFailureKind.WaitForWindow },     // REQUEST_LIMIT_EXCEEDED TotalRequests
        { "37", ExportFailureKind.RetryLater },        // UNABLE_TO_LOCK_ROW
        { "38", ExportFailureKind.RejectedData },      // REQUIRED_FIELD_MISSING
        { "39", ExportFailureKind.RejectedData },      // STRING_TOO_LONG
        { "40", ExportFailureKind.FixConfiguration },  // INVALID_FIELD
        { "41", ExportFailureKind.FixConfiguration },
        { "42", ExportFailureKind.FixConfiguration },  // MALFORMED_QUERY
        { "43", ExportFailureKind.RejectedData },      // FIELD_CUSTOM_VALIDATION_EXCEPTION
        { "44", ExportFailureKind.RejectedData },      // INVALID_EMAIL_ADDRESS
        { "45", ExportFailureKind.RejectedData },      // DUPLICATES_DETECTED the SDK could not resolve
        { "46", ExportFailureKind.RejectedData },      // ENTITY_IS_DELETED (404, but about this record)
        { "47", ExportFailureKind.FixConfiguration },  // NOT_FOUND describe: no such object
        { "48", ExportFailureKind.FixConfiguration },
        { "49", ExportFailureKind.RetryLater },        // SERVER_UNAVAILABLE 503
        { "50", ExportFailureKind.FixConfiguration },  // API_DISABLED_FOR_ORG
        { "51", ExportFailureKind.FixConfiguration },  // INSUFFICIENT_ACCESS_OR_READONLY
        { "52", ExportFailureKind.FixConfiguration },  // INVALID_OPERATION_WITH_EXPIRED_PASSWORD
    };

    public static TheoryData<string, ExportFailureKind> TokenErrorFixtures => new()
    {
        { "06", ExportFailureKind.Reconnect },         // invalid_grant authentication failure
        { "07", ExportFailureKind.Reconnect },         // invalid_grant expired access/refresh token
        { "08", ExportFailureKind.Reconnect },         // invalid_grant user hasn't approved this consumer
        { "09", ExportFailureKind.FixConfiguration },  // invalid_client_id
    };

    [Theory]
    [MemberData(nameof(ApiErrorFixtures))]
    public async Task Api_error_fixture_thrown_by_the_transport_has_its_kind(string fixture, ExportFailureKind expected)
    {
        var f = Fixtures.Load(fixture);
        var h = TransportHarness.Create();
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(f));

        var ex = await Assert.ThrowsAnyAsync<ChatToSalesforceException>(() => h.Client.GetLimitsAsync());

        ex.FailureKind.Should().Be(expected);
        ConversationExportResult.Failed("c1", ex).FailureKind.Should().Be(expected);
        (ex.RetryAfter is not null).Should().Be(expected is ExportFailureKind.RetryLater or ExportFailureKind.WaitForWindow);
    }

    [Theory]
    [MemberData(nameof(TokenErrorFixtures))]
    public async Task Token_error_fixture_has_its_kind(string fixture, ExportFailureKind expected)
    {
        var h = TransportHarness.Create();
        h.Token = (_, _) => Fixtures.Response(Fixtures.Load(fixture));

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => h.Client.GetLimitsAsync());

        ex.FailureKind.Should().Be(expected);
        ex.RetryAfter.Should().BeNull("a person has to act first");
    }

    [Theory]
    [InlineData("invalid_grant", "inactive user", ExportFailureKind.Reconnect)]
    [InlineData("invalid_grant", "inactive organization", ExportFailureKind.Reconnect)]
    [InlineData("invalid_grant", "app blocked", ExportFailureKind.Reconnect)]
    [InlineData("invalid_grant", "audience is invalid", ExportFailureKind.FixConfiguration)]
    [InlineData("invalid_grant", "invalid assertion", ExportFailureKind.FixConfiguration)]
    [InlineData("invalid_grant", "request not supported on this domain", ExportFailureKind.FixConfiguration)]
    [InlineData("invalid_grant", "IP restricted", ExportFailureKind.FixConfiguration)]
    [InlineData("invalid_client", null, ExportFailureKind.FixConfiguration)]
    [InlineData("unsupported_grant_type", "grant type not supported", ExportFailureKind.FixConfiguration)]
    [InlineData("redirect", null, ExportFailureKind.FixConfiguration)]
    [InlineData("temporarily_unavailable", null, ExportFailureKind.RetryLater)]
    [InlineData(null, null, ExportFailureKind.FixConfiguration)] // the SDK's own checks: a missing key, no token URL
    public void Authentication_errors_by_OAuth_code_and_description(string? error, string? description, ExportFailureKind expected)
    {
        var ex = new SalesforceAuthenticationException(error, description, "Salesforce refused the token request.");

        ex.FailureKind.Should().Be(expected);
    }

    [Fact]
    public async Task Token_endpoint_5xx_is_retry_later()
    {
        var h = TransportHarness.Create();
        h.Token = (_, _) => StubHttpHandler.Json(503, (string?)null);

        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => h.Client.GetLimitsAsync());

        ex.FailureKind.Should().Be(ExportFailureKind.RetryLater);
        ex.RetryAfter.Should().Be(ExportFailureClassifier.RetryLaterDelay);
    }

    [Fact]
    public async Task Lost_connection_and_timeouts_are_retry_later()
    {
        var network = TransportHarness.Create();
        network.Api = (_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "connection reset");
        var timeout = TransportHarness.Create();
        timeout.Api = (_, _) => throw new TaskCanceledException("HttpClient.Timeout"); // not the caller's token

        var lost = await Assert.ThrowsAsync<SalesforceApiException>(() => network.Client.GetLimitsAsync());
        var slow = await Assert.ThrowsAsync<SalesforceApiException>(() => timeout.Client.GetLimitsAsync());

        lost.FailureKind.Should().Be(ExportFailureKind.RetryLater);
        slow.FailureKind.Should().Be(ExportFailureKind.RetryLater);
        ExportFailureClassifier.Classify(new TimeoutException()).Kind.Should().Be(ExportFailureKind.RetryLater);
    }

    [Fact]
    public async Task Daily_limit_waits_for_the_window_and_says_when_it_frees_up()
    {
        var h = TransportHarness.Create(o => o.Resilience.RequestLimitBreakDuration = TimeSpan.FromMinutes(20));
        h.Api = (_, _) => Task.FromResult(Fixtures.Response(Fixtures.Load("36")));

        var first = await Assert.ThrowsAsync<SalesforceApiException>(() => h.Client.GetLimitsAsync());
        h.Time.Advance(TimeSpan.FromMinutes(5));
        var next = await Assert.ThrowsAsync<SalesforceApiBudgetExceededException>(() => h.Client.GetLimitsAsync());

        first.FailureKind.Should().Be(ExportFailureKind.WaitForWindow);
        first.RetryAfter.Should().Be(TimeSpan.FromMinutes(20), "the request-limit circuit stays open that long");
        next.FailureKind.Should().Be(ExportFailureKind.WaitForWindow);
        next.RetryAt.Should().Be(h.Time.GetUtcNow().AddMinutes(15));
        next.RetryAfter.Should().Be(TimeSpan.FromMinutes(15));
        h.Handler.ApiRequests.Should().HaveCount(1, "a request while the circuit is open costs no API call");
    }

    [Fact]
    public async Task Budget_reached_waits_until_the_next_probe()
    {
        var h = TransportHarness.Create(o =>
        {
            o.ApiBudget = 0.5;
            o.Resilience.RequestLimitBreakDuration = TimeSpan.FromMinutes(10);
        });
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(200, "{}", ("Sforce-Limit-Info", "api-usage=600/1000")));
        await h.Client.GetLimitsAsync();
        h.Time.Advance(TimeSpan.FromMinutes(4));

        var ex = await Assert.ThrowsAsync<SalesforceApiBudgetExceededException>(() => h.Client.GetLimitsAsync());

        ex.FailureKind.Should().Be(ExportFailureKind.WaitForWindow);
        ex.RetryAfter.Should().Be(TimeSpan.FromMinutes(6));
        ex.RetryAt.Should().Be(h.Time.GetUtcNow().AddMinutes(6));
    }

    [Theory]
    [InlineData(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentRequests (Concurrent API Requests) Limit exceeded.", ExportFailureKind.RetryLater)]
    [InlineData(400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "MyTrigger: execution of AfterInsert caused by: System.NullPointerException", ExportFailureKind.RejectedData)]
    [InlineData(400, "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "MyTrigger: execution of AfterInsert caused by: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record", ExportFailureKind.RetryLater)]
    [InlineData(400, "CANNOT_EXECUTE_FLOW_TRIGGER", "The record couldn't be saved because it failed to trigger a flow.", ExportFailureKind.RejectedData)]
    [InlineData(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Lead Source: bad value for restricted picklist field", ExportFailureKind.RejectedData)]
    [InlineData(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Foo__c.", ExportFailureKind.FixConfiguration)]
    [InlineData(400, "INVALID_TYPE", "sObject type 'Lead__x' is not supported.", ExportFailureKind.FixConfiguration)]
    [InlineData(403, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "insufficient access rights on cross-reference id", ExportFailureKind.FixConfiguration)]
    [InlineData(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred.", ExportFailureKind.RetryLater)]
    public async Task Salesforce_error_codes_from_the_transport(int status, string code, string message, ExportFailureKind expected)
    {
        var h = TransportHarness.Create(o => o.Resilience.MaxRetryAttempts = 0);
        h.Api = (_, _) => Task.FromResult(StubHttpHandler.Json(status, $$"""[{"errorCode":"{{code}}","message":"{{message}}"}]"""));

        var ex = await Assert.ThrowsAsync<SalesforceApiException>(() => h.Client.GetLimitsAsync());

        ex.FailureKind.Should().Be(expected);
    }

    [Fact]
    public void Configuration_problems_are_fix_configuration()
    {
        new ExportConfigurationException("FieldMappings[0].Target", "the field does not exist.").FailureKind.Should().Be(ExportFailureKind.FixConfiguration);
        ExportFailureClassifier.Classify(new OptionsValidationException("x", typeof(SalesforceChatExportOptions), ["InstanceUrl: is required."])).Kind
            .Should().Be(ExportFailureKind.FixConfiguration);
    }

    [Fact]
    public void A_host_transport_can_suggest_its_own_delay_for_kinds_that_retry_on_a_timer()
    {
        var transient = new SalesforceApiException(HttpStatusCode.ServiceUnavailable, "SERVER_UNAVAILABLE", "busy", isTransient: true) { RetryAfter = TimeSpan.FromSeconds(7) };
        var rejected = new SalesforceApiException(HttpStatusCode.BadRequest, "REQUIRED_FIELD_MISSING", "missing") { RetryAfter = TimeSpan.FromSeconds(7) };

        transient.RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
        rejected.RetryAfter.Should().BeNull("rejected data is not retried on a timer");
    }

    [Fact]
    public void Results_carry_the_kind_only_when_they_failed()
    {
        var failed = ConversationExportResult.Failed("c1", new SalesforceApiException(HttpStatusCode.ServiceUnavailable, "SERVER_UNAVAILABLE", "busy", isTransient: true));

        failed.FailureKind.Should().Be(ExportFailureKind.RetryLater);
        failed.RetryAfter.Should().Be(ExportFailureClassifier.RetryLaterDelay);
        failed.ToString().Should().Be("c1: Failed (RetryLater)");
        ConversationExportResult.Skipped("c2", "filtered").FailureKind.Should().BeNull();
        ConversationExportResult.Skipped("c2", "filtered").RetryAfter.Should().BeNull();
        ConversationExportResult.Failed("c3", new ArgumentNullException("conversation")).FailureKind.Should().Be(ExportFailureKind.RejectedData);
        ConversationExportResult.Failed("c4", new InvalidOperationException("a host stage's bug")).FailureKind.Should().Be(ExportFailureKind.FixConfiguration);
    }

    [Fact]
    public async Task A_batch_reports_a_validation_rule_as_rejected_data_for_that_conversation_only()
    {
        using var org = new SalesforceEmulator();
        org.AddValidationRule("Contact", new EmulatorValidationRule { Name = "NoTest", Message = "Test visitors are not allowed", Field = "LastName", Pattern = "^(?!Test$).*" });
        using var host = Export.EmulatorExport.Create(org);

        var results = await host.Exporter.ExportManyAsync([Conversation("ok", "ok@example.com"), Conversation("bad", "bad@example.com", lastName: "Test")]).ToListAsync();

        results[0].FailureKind.Should().BeNull();
        results[1].Status.Should().Be(ExportStatus.Failed);
        results[1].FailureKind.Should().Be(ExportFailureKind.RejectedData);
        results[1].RetryAfter.Should().BeNull();
    }
}
