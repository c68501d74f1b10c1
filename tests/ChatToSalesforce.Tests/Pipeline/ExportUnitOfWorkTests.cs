using System.Net;
using System.Text.Json.Nodes;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Pipeline.Internal;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Transcripts;
using ChatToSalesforce.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ChatToSalesforce.Tests.Pipeline;

public class ExportUnitOfWorkTests
{
    private const string FileId = "068000000000001AAA";
    private readonly ISalesforceClient _client = Substitute.For<ISalesforceClient>();
    private readonly List<SalesforceCompositeRequest> _requests = [];
    private readonly Queue<Func<SalesforceCompositeRequest, SalesforceCompositeResponse>> _responders = new();

    public ExportUnitOfWorkTests()
    {
        _client.SendCompositeAsync(Arg.Any<SalesforceCompositeRequest>(), Arg.Any<CancellationToken>()).Returns(ci =>
        {
            var request = ci.Arg<SalesforceCompositeRequest>();
            _requests.Add(Snapshot(request));
            return (_responders.Count > 0 ? _responders.Dequeue() : Success)(request);
        });
        _client.UploadFileAsync(Arg.Any<SalesforceFileUpload>(), Arg.Any<CancellationToken>()).Returns(new SalesforceSaveResult(FileId, true, true, []));
    }

    // The unit of work changes the plan between attempts; keep each request's bodies as they were sent.
    private static SalesforceCompositeRequest Snapshot(SalesforceCompositeRequest request)
    {
        var copy = new SalesforceCompositeRequest { AllOrNone = request.AllOrNone };
        foreach (var s in request.Subrequests)
        {
            copy.Subrequests.Add(s with { Body = s.Body?.DeepClone() });
        }

        foreach (var (k, v) in request.Headers)
        {
            copy.Headers[k] = v;
        }

        return copy;
    }

    private static SalesforceCompositeResponse Success(SalesforceCompositeRequest request) =>
        new(request.Subrequests.Select(s => s.Method switch
        {
            "POST" => new SalesforceSubresponse(s.ReferenceId, 201, new JsonObject { ["id"] = IdFor(s), ["success"] = true, ["errors"] = new JsonArray() }),
            "PATCH" when s.Url.Count(c => c == '/') == 3 => new SalesforceSubresponse(s.ReferenceId, 201, new JsonObject { ["id"] = IdFor(s), ["success"] = true, ["created"] = true }),
            _ => new SalesforceSubresponse(s.ReferenceId, 204, null),
        }).ToArray());

    private static string IdFor(SalesforceSubrequest s) => s.ReferenceId switch
    {
        "person" when s.Url.Contains("Lead", StringComparison.Ordinal) => TestData.LeadId,
        "person" => TestData.ContactId,
        "activity" when s.Url.Contains("Case", StringComparison.Ordinal) => TestData.CaseId,
        "activity" => TestData.TaskId,
        "campaign" => "00v000000000001AAA",
        _ => FileId,
    };

    private static SalesforceCompositeResponse Failure(SalesforceCompositeRequest request, string failedReference, int status, JsonNode body) =>
        new(request.Subrequests.Select(s => s.ReferenceId == failedReference
            ? new SalesforceSubresponse(s.ReferenceId, status, body)
            : new SalesforceSubresponse(s.ReferenceId, 400, new JsonArray(new JsonObject { ["errorCode"] = "PROCESSING_HALTED", ["message"] = "The transaction was rolled back since another operation in the same transaction failed." }))).ToArray());

    private static JsonArray Error(string code, string message, params string[] fields) =>
        new(new JsonObject { ["errorCode"] = code, ["message"] = message, ["fields"] = new JsonArray(fields.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()) });

    private async Task<ExportWriteOutcome> ExecuteAsync(ExportWritePlan plan, SalesforceChatExportOptions? options = null) =>
        await new ExportUnitOfWork(_client, options ?? TestData.Options(), NullLogger.Instance).ExecuteAsync(plan, CancellationToken.None);

    private static ResolvedRecord NewContact(string? ownerId = null)
    {
        var fields = new JsonObject { ["LastName"] = "Lovelace", ["Email"] = "ada@example.com" };
        if (ownerId is not null)
        {
            fields["OwnerId"] = ownerId;
        }

        return new ResolvedRecord { Action = RecordAction.Create, ObjectType = "Contact", Fields = fields };
    }

    private static WrittenTranscript Task(string? ownerId = null, string? externalIdField = null, IReadOnlyList<TranscriptFile>? files = null, string objectType = "Task")
    {
        var fields = new JsonObject { ["Subject"] = "Chat with Ada", ["Description"] = "transcript" };
        if (ownerId is not null)
        {
            fields["OwnerId"] = ownerId;
        }

        if (externalIdField is not null)
        {
            fields[externalIdField] = "conv/7";
        }

        return new WrittenTranscript
        {
            ObjectType = objectType,
            Fields = fields,
            PersonLinkField = objectType == "Case" ? "ContactId" : "WhoId",
            ExternalIdField = externalIdField,
            ExternalIdValue = externalIdField is null ? null : "conv/7",
            Files = files ?? [],
        };
    }

    private static ExportWritePlan Plan(ResolvedRecord person, WrittenTranscript? activity, ResolvedOwner? owner = null, string? campaignId = null) => new()
    {
        ConversationId = "conv-1",
        Person = person,
        Activity = activity,
        Owner = owner ?? ResolvedOwner.ConnectingUser,
        CampaignId = campaignId,
        VisitorEmail = "o'brien@x.com",
    };

    [Fact]
    public async Task ExecuteAsync_NewPerson_PostsThePersonAndTheActivityReferencingIt()
    {
        var outcome = await ExecuteAsync(Plan(NewContact(), Task()));

        var request = _requests.Single();
        request.AllOrNone.Should().BeTrue();
        request.Subrequests.Select(s => (s.Method, s.Url, s.ReferenceId)).Should().Equal(("POST", "sobjects/Contact", "person"), ("POST", "sobjects/Task", "activity"));
        request.Subrequests[0].Body!.ToJsonString().Should().Be("""{"LastName":"Lovelace","Email":"ada@example.com"}""");
        request.Subrequests[1].Body!["WhoId"]!.GetValue<string>().Should().Be("@{person.id}");
        request.Headers.Should().NotContainKey("Sforce-Auto-Assign");
        outcome.Person.Should().Be(new SalesforceRecordRef("Contact", TestData.ContactId, RecordChange.Created));
        outcome.Activity.Should().Be(new SalesforceRecordRef("Task", TestData.TaskId, RecordChange.Created));
        outcome.Files.Should().BeEmpty();
        outcome.OwnerId.Should().BeNull();
        outcome.ApiCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_ExistingPersonKept_LinksTheActivityWithTheLiteralId()
    {
        var person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = "Contact", Id = TestData.ContactId };

        var outcome = await ExecuteAsync(Plan(person, Task()));

        var request = _requests.Single();
        request.Subrequests.Select(s => s.ReferenceId).Should().Equal("activity");
        request.Subrequests[0].Body!["WhoId"]!.GetValue<string>().Should().Be(TestData.ContactId);
        outcome.Person.Should().Be(new SalesforceRecordRef("Contact", TestData.ContactId, RecordChange.Unchanged));
    }

    [Fact]
    public async Task ExecuteAsync_ExistingPersonUpdated_PatchesItById()
    {
        var person = new ResolvedRecord { Action = RecordAction.Update, ObjectType = "Lead", Id = TestData.LeadId, Fields = new JsonObject { ["Phone"] = "555" } };

        var outcome = await ExecuteAsync(Plan(person, Task()));

        var request = _requests.Single();
        request.Subrequests[0].Should().Match<SalesforceSubrequest>(s => s.Method == "PATCH" && s.Url == $"sobjects/Lead/{TestData.LeadId}" && s.ReferenceId == "person");
        request.Subrequests[1].Body!["WhoId"]!.GetValue<string>().Should().Be(TestData.LeadId);
        outcome.Person.Should().Be(new SalesforceRecordRef("Lead", TestData.LeadId, RecordChange.Updated));
    }

    [Fact]
    public async Task ExecuteAsync_Case_LinksTheContactThroughContactId()
    {
        var outcome = await ExecuteAsync(Plan(NewContact(), Task(objectType: "Case")));

        var body = _requests.Single().Subrequests[1].Body!.AsObject();
        body["ContactId"]!.GetValue<string>().Should().Be("@{person.id}");
        body.ContainsKey("WhoId").Should().BeFalse();
        outcome.Activity.Should().Be(new SalesforceRecordRef("Case", TestData.CaseId, RecordChange.Created));
    }

    [Fact]
    public async Task ExecuteAsync_CaseForALead_SetsNoContactId()
    {
        var person = new ResolvedRecord { Action = RecordAction.Create, ObjectType = "Lead", Fields = new JsonObject { ["LastName"] = "Lovelace", ["Company"] = "x" } };

        await ExecuteAsync(Plan(person, Task(objectType: "Case")));

        _requests.Single().Subrequests[1].Body!.AsObject().ContainsKey("ContactId").Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_PersonKeyField_UpsertsOnTheEscapedValue()
    {
        var person = new ResolvedRecord
        {
            Action = RecordAction.Upsert,
            ObjectType = "Contact",
            ExternalIdField = "Chat_Visitor_Key__c",
            ExternalIdValue = "a+b/c d@x.com",
            Fields = new JsonObject { ["LastName"] = "Lovelace" },
        };

        var outcome = await ExecuteAsync(Plan(person, Task()));

        var request = _requests.Single();
        request.Subrequests[0].Method.Should().Be("PATCH");
        request.Subrequests[0].Url.Should().Be("sobjects/Contact/Chat_Visitor_Key__c/a%2Bb%2Fc%20d%40x.com");
        request.Subrequests[1].Body!["WhoId"]!.GetValue<string>().Should().Be("@{person.id}");
        outcome.Person.Should().Be(new SalesforceRecordRef("Contact", TestData.ContactId, RecordChange.Created));
        outcome.ApiCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_PersonUpsertMatchedAnExistingRecord_ReportsUpdated()
    {
        _responders.Enqueue(request => new SalesforceCompositeResponse(
        [
            new SalesforceSubresponse("person", 200, new JsonObject { ["id"] = TestData.ContactId, ["success"] = true, ["created"] = false }),
            new SalesforceSubresponse("activity", 201, new JsonObject { ["id"] = TestData.TaskId, ["success"] = true }),
        ]));
        var person = new ResolvedRecord { Action = RecordAction.Upsert, ObjectType = "Contact", ExternalIdField = "Key__c", ExternalIdValue = "k", Fields = [] };

        var outcome = await ExecuteAsync(Plan(person, Task()));

        outcome.Person.Should().Be(new SalesforceRecordRef("Contact", TestData.ContactId, RecordChange.Updated));
    }

    [Fact]
    public async Task ExecuteAsync_ConversationIdField_UpsertsTheActivityWithoutTheKeyInTheBody()
    {
        var files = new[] { new TranscriptFile("cv.pdf", new byte[] { 1, 2 }, "application/pdf") };

        var outcome = await ExecuteAsync(Plan(NewContact(), Task(externalIdField: "Chat_Conversation_Id__c", files: files)));

        var activity = _requests.Single().Subrequests.Single(s => s.ReferenceId == "activity");
        activity.Method.Should().Be("PATCH");
        activity.Url.Should().Be("sobjects/Task/Chat_Conversation_Id__c/conv%2F7");
        activity.Body!.AsObject().ContainsKey("Chat_Conversation_Id__c").Should().BeFalse();
        _requests.Single().Subrequests.Should().NotContain(s => s.Url == "sobjects/ContentVersion", "files of an upserted activity are uploaded once it is known to be new");
        await _client.Received(1).UploadFileAsync(Arg.Is<SalesforceFileUpload>(f => f.FileName == "cv.pdf" && f.FirstPublishLocationId == TestData.TaskId), Arg.Any<CancellationToken>());
        outcome.Activity.Should().Be(new SalesforceRecordRef("Task", TestData.TaskId, RecordChange.Created));
        outcome.Files.Should().Equal(new SalesforceRecordRef("ContentVersion", FileId, RecordChange.Created));
        outcome.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_ReExportUpdatesTheActivity_DoesNotAttachFilesTwice()
    {
        _responders.Enqueue(request => new SalesforceCompositeResponse(
        [
            new SalesforceSubresponse("person", 201, new JsonObject { ["id"] = TestData.ContactId }),
            new SalesforceSubresponse("activity", 200, new JsonObject { ["id"] = TestData.TaskId, ["created"] = false }),
        ]));
        var files = new[] { new TranscriptFile("cv.pdf", new byte[] { 1, 2 }) };

        var outcome = await ExecuteAsync(Plan(NewContact(), Task(externalIdField: "Chat_Conversation_Id__c", files: files)));

        outcome.Activity!.Change.Should().Be(RecordChange.Updated);
        outcome.Files.Should().BeEmpty();
        await _client.DidNotReceive().UploadFileAsync(Arg.Any<SalesforceFileUpload>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ExecuteAsync_SmallFiles_TravelInsideTheCompositeLinkedToTheActivity()
    {
        var files = new[] { new TranscriptFile("chat-transcript-conv-1.txt", "hello"u8.ToArray(), "text/plain") };

        var outcome = await ExecuteAsync(Plan(NewContact(), Task(files: files)));

        var file = _requests.Single().Subrequests.Single(s => s.ReferenceId == "file0");
        file.Method.Should().Be("POST");
        file.Url.Should().Be("sobjects/ContentVersion");
        file.Body!.ToJsonString().Should().Be("""{"Title":"chat-transcript-conv-1","PathOnClient":"chat-transcript-conv-1.txt","VersionData":"aGVsbG8=","FirstPublishLocationId":"@{activity.id}"}""");
        outcome.Files.Should().Equal(new SalesforceRecordRef("ContentVersion", FileId, RecordChange.Created));
        outcome.ApiCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_LargeFile_IsUploadedAfterTheComposite()
    {
        var files = new[] { new TranscriptFile("video.mp4", new byte[ExportUnitOfWork.InlineFileLimit + 1]) };

        var outcome = await ExecuteAsync(Plan(NewContact(), Task(files: files)));

        _requests.Single().Subrequests.Should().HaveCount(2);
        await _client.Received(1).UploadFileAsync(Arg.Is<SalesforceFileUpload>(f => f.FirstPublishLocationId == TestData.TaskId), Arg.Any<CancellationToken>());
        outcome.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_OwnerSet_SendsSforceAutoAssignFalse()
    {
        await ExecuteAsync(Plan(NewContact(TestData.AgentUserId), Task(TestData.AgentUserId), new ResolvedOwner(TestData.AgentUserId, OwnerStrategy.AgentUser)));

        _requests.Single().Headers.Should().Contain("Sforce-Auto-Assign", "FALSE");
    }

    [Fact]
    public async Task ExecuteAsync_OwnerSetOnlyOnTheActivity_SendsSforceAutoAssignFalse()
    {
        var person = new ResolvedRecord { Action = RecordAction.Keep, ObjectType = "Contact", Id = TestData.ContactId };

        await ExecuteAsync(Plan(person, Task(TestData.AgentUserId)));

        _requests.Single().Headers.Should().Contain("Sforce-Auto-Assign", "FALSE");
    }

    [Fact]
    public async Task ExecuteAsync_AssignmentRulesAllowed_SendsNoHeader()
    {
        var options = TestData.Options(o =>
        {
            o.SuppressAssignmentRules = false;
            o.DuplicateRuleHeader = "allowSave=true";
        });

        await ExecuteAsync(Plan(NewContact(TestData.AgentUserId), Task(TestData.AgentUserId)), options);

        _requests.Single().Headers.Should().NotContainKey("Sforce-Auto-Assign");
        _requests.Single().Headers.Should().Contain("Sforce-Duplicate-Rule-Header", "allowSave=true");
    }

    [Fact]
    public async Task ExecuteAsync_DuplicatesDetectedOnThePerson_ResendsWithTheMatchedRecord()
    {
        var duplicate = JsonNode.Parse("""
            [{"duplicateResult":{"allowSave":true,"duplicateRule":"Standard_Contact_Duplicate_Rule","matchResults":[{"entityType":"Contact","matchRecords":[{"record":{"attributes":{"type":"Contact"},"Id":"003aj000002oTldAAE"}}]}]},
              "errorCode":"DUPLICATES_DETECTED","message":"Use one of these records?"}]
            """)!;
        _responders.Enqueue(request => Failure(request, "person", 400, duplicate));

        var outcome = await ExecuteAsync(Plan(NewContact(), Task()));

        _requests.Should().HaveCount(2);
        _requests[1].Subrequests.Select(s => s.ReferenceId).Should().Equal("activity");
        _requests[1].Subrequests[0].Body!["WhoId"]!.GetValue<string>().Should().Be("003aj000002oTldAAE");
        outcome.Person.Should().Be(new SalesforceRecordRef("Contact", "003aj000002oTldAAE", RecordChange.Unchanged));
        outcome.ApiCalls.Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_DuplicatesDetectedWithoutIds_FindsThePersonByEscapedEmail()
    {
        _responders.Enqueue(request => Failure(request, "person", 400, Error("DUPLICATES_DETECTED", "Use one of these records?")));
        _client.QueryAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(new SalesforceQueryResult(1, [new JsonObject { ["Id"] = TestData.OtherContactId }]));

        var outcome = await ExecuteAsync(Plan(NewContact(), Task()));

        await _client.Received(1).QueryAsync(@"SELECT Id FROM Contact WHERE Email = 'o\'brien@x.com' ORDER BY LastModifiedDate DESC LIMIT 1", Arg.Any<CancellationToken>());
        outcome.Person!.Id.Should().Be(TestData.OtherContactId);
        outcome.ApiCalls.Should().Be(3);
    }

    [Fact]
    public async Task ExecuteAsync_DuplicatesDetectedTwice_Throws()
    {
        var duplicate = JsonNode.Parse("""[{"duplicateResult":{"matchResults":[{"matchRecords":[{"record":{"Id":"003aj000002oTldAAE"}}]}]},"errorCode":"DUPLICATES_DETECTED","message":"dup"}]""")!;
        _responders.Enqueue(request => Failure(request, "person", 400, duplicate));
        _responders.Enqueue(request => Failure(request, "activity", 400, duplicate));

        var act = () => ExecuteAsync(Plan(NewContact(), Task()));

        await act.Should().ThrowAsync<SalesforceApiException>().Where(e => e.ErrorCode == "DUPLICATES_DETECTED" && e.FailedSubrequest == "activity");
    }

    [Fact]
    public async Task ExecuteAsync_OwnerRejectedAsInvalidCrossReference_ResendsWithTheFallbackOwner()
    {
        var owner = new ResolvedOwner(TestData.AgentUserId, OwnerStrategy.AgentUser)
        {
            Fallbacks = [new ResolvedOwner(TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner), ResolvedOwner.ConnectingUser],
        };
        _responders.Enqueue(request => Failure(request, "person", 400, Error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "OwnerId")));
        var plan = Plan(NewContact(TestData.AgentUserId), Task(TestData.AgentUserId), owner);

        var outcome = await ExecuteAsync(plan);

        _requests.Should().HaveCount(2);
        _requests[1].Subrequests[0].Body!["OwnerId"]!.GetValue<string>().Should().Be(TestData.DefaultOwnerId);
        _requests[1].Subrequests[1].Body!["OwnerId"]!.GetValue<string>().Should().Be(TestData.DefaultOwnerId);
        outcome.OwnerId.Should().Be(TestData.DefaultOwnerId);
        plan.Warnings.Should().ContainSingle().Which.Should().Contain("AgentUser").And.Contain("DefaultOwner");
    }

    [Fact]
    public async Task ExecuteAsync_EveryOwnerRejected_EndsWithTheConnectingUser()
    {
        var owner = new ResolvedOwner(TestData.AgentUserId, OwnerStrategy.AgentUser)
        {
            Fallbacks = [new ResolvedOwner(TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner), ResolvedOwner.ConnectingUser],
        };
        _responders.Enqueue(request => Failure(request, "person", 400, Error("INACTIVE_OWNER_OR_USER", "operation performed with inactive user")));
        _responders.Enqueue(request => Failure(request, "activity", 400, Error("INVALID_CROSS_REFERENCE_KEY", "Owner ID: owner cannot be inactive")));

        var outcome = await ExecuteAsync(Plan(NewContact(TestData.AgentUserId), Task(TestData.AgentUserId), owner));

        _requests.Should().HaveCount(3);
        _requests[2].Subrequests.Should().OnlyContain(s => !s.Body!.AsObject().ContainsKey("OwnerId"));
        _requests[2].Headers.Should().NotContainKey("Sforce-Auto-Assign");
        outcome.OwnerId.Should().BeNull();
        outcome.ApiCalls.Should().Be(3);
    }

    [Fact]
    public async Task ExecuteAsync_Campaign_AddsTheMemberAfterThePersonAndActivity()
    {
        var plan = Plan(NewContact(), Task(), campaignId: TestData.CampaignId);
        plan = new ExportWritePlan
        {
            ConversationId = plan.ConversationId,
            Person = plan.Person,
            Activity = plan.Activity,
            Owner = plan.Owner,
            CampaignId = TestData.CampaignId,
            CampaignMemberStatus = "Responded",
            CampaignMemberFields = new JsonObject { ["Chat_Topic__c"] = "pricing" },
        };

        await ExecuteAsync(plan);

        var request = _requests.Single();
        request.Subrequests.Select(s => s.ReferenceId).Should().Equal("person", "activity", "campaign");
        request.Subrequests[2].Url.Should().Be("sobjects/CampaignMember");
        request.Subrequests[2].Body!.ToJsonString().Should().Be($$"""{"Chat_Topic__c":"pricing","CampaignId":"{{TestData.CampaignId}}","ContactId":"@{person.id}","Status":"Responded"}""");
    }

    [Fact]
    public async Task ExecuteAsync_CampaignMemberExists_ResendsWithoutTheCampaign()
    {
        _responders.Enqueue(request => Failure(request, "campaign", 400, Error("DUPLICATE_VALUE", "Already a campaign member.")));
        var plan = Plan(new ResolvedRecord { Action = RecordAction.Keep, ObjectType = "Lead", Id = TestData.LeadId }, Task(), campaignId: TestData.CampaignId);

        var outcome = await ExecuteAsync(plan);

        _requests.Should().HaveCount(2);
        _requests[0].Subrequests.Single(s => s.ReferenceId == "campaign").Body!["LeadId"]!.GetValue<string>().Should().Be(TestData.LeadId);
        _requests[1].Subrequests.Should().NotContain(s => s.ReferenceId == "campaign");
        plan.Warnings.Should().Contain("The person is already a member of the campaign.");
        outcome.Activity!.Id.Should().Be(TestData.TaskId);
    }

    [Fact]
    public async Task ExecuteAsync_OtherFailure_ThrowsNamingTheFailedSubrequest()
    {
        _responders.Enqueue(request => Failure(request, "activity", 400, Error("REQUIRED_FIELD_MISSING", "Required fields are missing: [Status]", "Status")));

        var act = () => ExecuteAsync(Plan(NewContact(), Task()));

        var error = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        error.ErrorCode.Should().Be("REQUIRED_FIELD_MISSING");
        error.FailedSubrequest.Should().Be("activity");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.Fields.Should().Equal("Status");
        error.Message.Should().Contain("subrequest 'activity'").And.Contain("conv-1").And.NotContain("transcript");
        _requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task ExecuteAsync_OwnerRejectedWithoutFallbacks_Throws()
    {
        _responders.Enqueue(request => Failure(request, "person", 400, Error("INACTIVE_OWNER_OR_USER", "inactive")));

        var act = () => ExecuteAsync(Plan(NewContact(TestData.DefaultOwnerId), Task(), new ResolvedOwner(TestData.DefaultOwnerId, OwnerStrategy.DefaultOwner)));

        await act.Should().ThrowAsync<SalesforceApiException>().Where(e => e.ErrorCode == "INACTIVE_OWNER_OR_USER" && e.FailedSubrequest == "person");
    }

    [Fact]
    public async Task ExecuteAsync_NothingToWrite_MakesNoCall()
    {
        var outcome = await ExecuteAsync(Plan(new ResolvedRecord { Action = RecordAction.Keep, ObjectType = "Chat_Lead__c", Id = "a01000000000001AAA" }, null));

        _requests.Should().BeEmpty();
        outcome.ApiCalls.Should().Be(0);
        outcome.Person!.Change.Should().Be(RecordChange.Unchanged);
    }

    [Fact]
    public async Task ExecuteAsync_DuplicatesDetectedOnAnUpdate_KeepsTheMatchedPersonNotTheOtherDuplicate()
    {
        var duplicate = JsonNode.Parse("""[{"duplicateResult":{"matchResults":[{"matchRecords":[{"record":{"Id":"003000000000777AAA"}}]}]},"errorCode":"DUPLICATES_DETECTED","message":"Use one of these records?"}]""")!;
        _responders.Enqueue(request => Failure(request, "person", 400, duplicate));
        var person = new ResolvedRecord { Action = RecordAction.Update, ObjectType = "Contact", Id = TestData.ContactId, Fields = new JsonObject { ["Phone"] = "555" } };
        var plan = Plan(person, Task());

        var outcome = await ExecuteAsync(plan);

        _requests[1].Subrequests.Select(s => s.ReferenceId).Should().Equal("activity");
        _requests[1].Subrequests[0].Body!["WhoId"]!.GetValue<string>().Should().Be(TestData.ContactId);
        outcome.Person.Should().Be(new SalesforceRecordRef("Contact", TestData.ContactId, RecordChange.Unchanged));
        plan.Warnings.Should().ContainSingle().Which.Should().Contain("duplicate");
    }
}
