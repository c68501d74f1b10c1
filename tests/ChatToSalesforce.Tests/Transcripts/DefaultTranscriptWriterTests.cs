using ChatToSalesforce.Mapping.Internal;
using ChatToSalesforce.Export.Internal;
using System.Text;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Transcripts;
using ChatToSalesforce.Transcripts.Internal;
using ChatToSalesforce.Tests.Infrastructure;
using NSubstitute;

namespace ChatToSalesforce.Tests.Transcripts;

public class DefaultTranscriptWriterTests
{
    private readonly FakeSalesforceReader _reader = new FakeSalesforceReader().Describe(TestData.Task(), TestData.Case(), TestData.Event());

    private async Task<TranscriptActivity> WriteAsync(
        Conversation conversation,
        SalesforceChatExportOptions? options = null,
        string activity = "Task",
        FieldMap? fields = null,
        ResolvedOwner? owner = null,
        ITranscriptFormatter? formatter = null) =>
        await new DefaultTranscriptWriter(formatter ?? new PlainTextTranscriptFormatter()).WriteAsync(new TranscriptWriteContext
        {
            Conversation = conversation,
            Options = options ?? TestData.Options(),
            ActivityObject = activity,
            PersonObject = "Contact",
            Fields = fields ?? new FieldMap(),
            Owner = owner ?? ResolvedOwner.ConnectingUser,
            Salesforce = _reader,
        }, CancellationToken.None);

    private static ITranscriptFormatter Formatter(string text)
    {
        var formatter = Substitute.For<ITranscriptFormatter>();
        formatter.Format(Arg.Any<Conversation>()).Returns(text);
        return formatter;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && (i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])))
            {
                return true;
            }

            if (char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public async Task WriteAsync_Task_IsCompletedOnTheUtcStartDate()
    {
        var conversation = new Conversation
        {
            Id = "conv-1",
            Channel = "web",
            Visitor = new ChatVisitor { FirstName = "Ada", LastName = "Lovelace" },
            Messages = [new ChatMessage { Role = ChatRole.Visitor, SenderName = "Ada", Text = "Hello" }],
            StartedAt = new DateTimeOffset(2026, 11, 21, 21, 30, 0, TimeSpan.FromHours(-5)),
        };

        var written = await WriteAsync(conversation);

        written.ObjectType.Should().Be("Task");
        written.Fields.GetString("Status").Should().Be("Completed");
        written.Fields.GetString("ActivityDate").Should().Be("2026-11-22");
        written.Fields.GetString("Subject").Should().Be("Chat with Ada Lovelace – web");
        written.Fields.GetString("Description").Should().Contain("Conversation: conv-1").And.Contain("Visitor (Ada): Hello");
        written.PersonLinkField.Should().Be("WhoId");
        written.Fields.ContainsField("OwnerId").Should().BeFalse();
        written.ExternalIdField.Should().BeNull();
        written.Truncated.Should().BeFalse();
        written.Files.Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAsync_TaskStatusOption_IsUsed()
    {
        var written = await WriteAsync(TestData.Conversation(), TestData.Options(o => o.Transcript.TaskStatus = "Closed"));

        written.Fields.GetString("Status").Should().Be("Closed");
    }

    [Fact]
    public async Task WriteAsync_Owner_IsSetOnTheActivity()
    {
        var written = await WriteAsync(TestData.Conversation(), owner: new ResolvedOwner(TestData.AgentUserId, OwnerStrategy.AgentUser));

        written.Fields.GetString("OwnerId").Should().Be(TestData.AgentUserId);
    }

    [Fact]
    public async Task WriteAsync_Case_HasOriginAndSuppliedFieldsAndLinksTheContact()
    {
        var conversation = TestData.Conversation(email: " ada@example.com ", phone: "+44 20 7946 0958", company: "Analytical Engines");

        var written = await WriteAsync(conversation, TestData.Options(o => o.Mode = ExportMode.ContactAndCase), "Case");

        written.ObjectType.Should().Be("Case");
        written.Fields.GetString("Origin").Should().Be("Chat");
        written.Fields.GetString("SuppliedEmail").Should().Be("ada@example.com");
        written.Fields.GetString("SuppliedName").Should().Be("Ada Lovelace");
        written.Fields.GetString("SuppliedPhone").Should().Be("+44 20 7946 0958");
        written.Fields.GetString("SuppliedCompany").Should().Be("Analytical Engines");
        written.Fields.ContainsField("Status").Should().BeFalse();
        written.Fields.ContainsField("ActivityDate").Should().BeFalse();
        written.PersonLinkField.Should().Be("ContactId");
    }

    [Fact]
    public async Task WriteAsync_CaseWithoutCompanyOrPhone_LeavesThoseSuppliedFieldsOut()
    {
        var written = await WriteAsync(TestData.Conversation(), TestData.Options(o => o.Transcript.CaseOrigin = "Web"), "Case");

        written.Fields.GetString("Origin").Should().Be("Web");
        written.Fields.ContainsField("SuppliedPhone").Should().BeFalse();
        written.Fields.ContainsField("SuppliedCompany").Should().BeFalse();
    }

    [Fact]
    public async Task WriteAsync_CaseSuppliedNameLongerThanTheField_IsCut()
    {
        var written = await WriteAsync(TestData.Conversation(firstName: new string('A', 60), lastName: new string('B', 60)), activity: "Case");

        written.Fields.GetString("SuppliedName").Should().HaveLength(80);
    }

    [Fact]
    public async Task WriteAsync_Event_SpansTheConversationInUtc()
    {
        var written = await WriteAsync(TestData.Conversation(), activity: "Event");

        written.Fields.GetString("StartDateTime").Should().Be("2026-11-21T14:00:00Z");
        written.Fields.GetString("EndDateTime").Should().Be("2026-11-21T14:10:00Z");
        written.PersonLinkField.Should().Be("WhoId");
    }

    [Fact]
    public void EventEnd_NoEndedAt_IsTheLastMessage()
    {
        var conversation = new Conversation
        {
            StartedAt = TestData.Started,
            Messages = [new ChatMessage { SentAt = TestData.Started.AddMinutes(7) }, new ChatMessage { SentAt = TestData.Started.AddMinutes(3) }],
        };

        DefaultTranscriptWriter.EventEnd(conversation).Should().Be(TestData.Started.AddMinutes(7));
    }

    [Fact]
    public void EventEnd_EndBeforeStart_IsTheStart()
    {
        var conversation = new Conversation { StartedAt = TestData.Started, EndedAt = TestData.Started.AddMinutes(-5) };

        DefaultTranscriptWriter.EventEnd(conversation).Should().Be(TestData.Started);
        DefaultTranscriptWriter.EventEnd(new Conversation { StartedAt = TestData.Started }).Should().Be(TestData.Started);
    }

    [Fact]
    public void Subject_Template_ReplacesEveryPlaceholderIgnoringCase()
    {
        var conversation = TestData.Conversation(agent: new ChatAgent { Name = "Grace" });

        DefaultTranscriptWriter.Subject("{Visitor}|{channel}|{AGENT}|{conversationId}|{date}", conversation)
            .Should().Be("Ada Lovelace|web|Grace|conv-1|2026-11-21");
    }

    [Fact]
    public void Subject_PlaceholderInAValue_IsKeptAsTheValueNotExpanded()
    {
        // Regression: the placeholders were replaced one after another, so a visitor named "{agent}" became the agent's name.
        var conversation = TestData.Conversation(firstName: null, lastName: null, name: "{agent} {date}", agent: new ChatAgent { Name = "Grace" });

        DefaultTranscriptWriter.Subject("Chat with {visitor} by {agent}", conversation).Should().Be("Chat with {agent} {date} by Grace");
    }

    [Fact]
    public void Subject_BracesThatAreNotPlaceholders_StayAsText()
    {
        var conversation = TestData.Conversation(agent: new ChatAgent { Name = "Grace" });

        DefaultTranscriptWriter.Subject("{unknown} {{agent}} {agent", conversation).Should().Be("{unknown} {Grace} {agent");
    }

    [Fact]
    public void Subject_MissingValues_UseNeutralWords()
    {
        var conversation = new Conversation { Id = "c", StartedAt = TestData.Started, Visitor = new ChatVisitor { Email = "ada@example.com" } };

        DefaultTranscriptWriter.Subject("{visitor} {channel} {agent}", conversation).Should().Be("ada@example.com chat no agent");
        DefaultTranscriptWriter.Subject("{visitor}", new Conversation()).Should().Be("visitor");
    }

    [Fact]
    public void Subject_LongOrMultiLine_IsOneLineOf255Characters()
    {
        var conversation = TestData.Conversation(firstName: null, lastName: null, name: "Ada\nLovelace" + new string('x', 300));

        var subject = DefaultTranscriptWriter.Subject("Chat with {visitor}", conversation);

        subject.Should().HaveLength(255).And.StartWith("Chat with Ada Lovelace").And.NotContain("\n");
    }

    [Fact]
    public void Subject_EmojiAtTheCut_NeverLeavesALoneSurrogate()
    {
        var template = new string('s', 254) + "{visitor}";
        var conversation = TestData.Conversation(firstName: null, lastName: null, name: "😀");

        var subject = DefaultTranscriptWriter.Subject(template, conversation);

        subject.Should().HaveLength(254);
        HasLoneSurrogate(subject).Should().BeFalse();
    }

    [Fact]
    public async Task WriteAsync_TranscriptLongerThanTheDescription_IsCutWithANoteAndAttachedInFull()
    {
        var transcript = string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i:D5} of the chat\n"));

        var written = await WriteAsync(TestData.Conversation(), formatter: Formatter(transcript));

        var description = written.Fields.GetString("Description")!;
        description.Should().HaveLength(32_000);
        description.Should().EndWith("\n\n[Transcript truncated to fit this field. The full transcript is attached as chat-transcript-conv-1.txt.]");
        transcript.Should().StartWith(description[..^DefaultTranscriptWriter.TruncationNote("chat-transcript-conv-1.txt").Length]);
        written.Truncated.Should().BeTrue();
        var file = written.Files.Should().ContainSingle().Subject;
        file.FileName.Should().Be("chat-transcript-conv-1.txt");
        file.ContentType.Should().Be("text/plain");
        Encoding.UTF8.GetString(file.Content.Span).Should().Be(transcript);
    }

    [Fact]
    public async Task WriteAsync_TranscriptThatFits_IsNotCut()
    {
        var transcript = new string('a', 32_000);

        var written = await WriteAsync(TestData.Conversation(), formatter: Formatter(transcript));

        written.Fields.GetString("Description").Should().Be(transcript);
        written.Truncated.Should().BeFalse();
    }

    [Fact]
    public async Task WriteAsync_DescriptionFieldLengthFromDescribe_IsHonoured()
    {
        _reader.Describe(new SalesforceObjectDescription("Task", [TestData.Field("Description", "textarea", 500)]));

        var written = await WriteAsync(TestData.Conversation(), formatter: Formatter(new string('a', 600)));

        written.Fields.GetString("Description").Should().HaveLength(500);
        written.Truncated.Should().BeTrue();
    }

    [Fact]
    public async Task WriteAsync_DescriptionFieldShorterThanTheNote_HoldsWhatFitsWithoutThrowing()
    {
        // Regression: the cut left room for the note even when the field was shorter than the note, and threw.
        _reader.Describe(new SalesforceObjectDescription("Task", [TestData.Field("Description", "textarea", 60)]));

        var written = await WriteAsync(TestData.Conversation(), formatter: Formatter(new string('a', 500)));

        written.Fields.GetString("Description").Should().Be(new string('a', 60));
        written.Truncated.Should().BeTrue();
    }

    [Theory]
    [InlineData("chat:42", "chat-transcript-chat_42.txt")]
    [InlineData("conv\u0001-7", "chat-transcript-conv_-7.txt")]
    [InlineData("a/b\\c", "chat-transcript-a_b_c.txt")]
    public async Task WriteAsync_Truncated_TheNoteNamesTheFileAsItIsUploadedOnEverySystem(string id, string fileName)
    {
        // Regression: the name used the platform's invalid file-name characters (on Linux only NUL and '/'), so ':' stayed
        // in the note while the upload made it '_', and a control character in the id reached the Description.
        var written = await WriteAsync(TestData.Conversation(id: id), formatter: Formatter(new string('a', 40_000)));

        var description = written.Fields.GetString("Description")!;
        description.Should().EndWith($"attached as {fileName}.]");
        FieldValues.StripControlCharacters(description).Should().Be(description);
        written.Files.Should().ContainSingle().Which.FileName.Should().Be(fileName);
        AttachmentNames.Safe(fileName, 1).Should().Be(fileName);
    }

    [Fact]
    public async Task WriteAsync_CaseVisitorDetails_CarryNoControlCharacters()
    {
        // Regression: Subject and Description were cleaned but SuppliedName, SuppliedPhone and SuppliedCompany were not,
        // and Salesforce rejects the whole Case for one control character.
        var conversation = TestData.Conversation(firstName: "Ada\u0007", phone: "+44\u000B20 7946 0958", company: "Engines\u0001Ltd");

        var written = await WriteAsync(conversation, activity: "Case");

        written.Fields.GetString("SuppliedName").Should().Be("Ada Lovelace");
        written.Fields.GetString("SuppliedPhone").Should().Be("+4420 7946 0958");
        written.Fields.GetString("SuppliedCompany").Should().Be("EnginesLtd");
    }

    [Fact]
    public async Task WriteAsync_CaseEmailLongerThanSuppliedEmail_IsLeftOutNotCutIntoAnotherAddress()
    {
        // Regression: an 82-character address was cut to 80, a different and invalid address that fails the Case.
        var email = new string('a', 70) + "@example.com";

        var written = await WriteAsync(TestData.Conversation(email: email), activity: "Case");

        written.Fields.ContainsField("SuppliedEmail").Should().BeFalse();
        written.Fields.GetString("SuppliedName").Should().Be("Ada Lovelace");
    }

    [Fact]
    public async Task WriteAsync_CaseEmailThatFits_IsSupplied()
    {
        var written = await WriteAsync(TestData.Conversation(email: " ada@example.com "), activity: "Case");

        written.Fields.GetString("SuppliedEmail").Should().Be("ada@example.com");
    }

    [Fact]
    public async Task WriteAsync_TruncatedWithoutAttaching_SaysSoWithoutAFile()
    {
        var options = TestData.Options(o => o.Transcript.AttachFullTranscriptWhenTruncated = false);

        var written = await WriteAsync(TestData.Conversation(), options, formatter: Formatter(new string('a', 40_000)));

        written.Fields.GetString("Description").Should().EndWith("\n\n[Transcript truncated to fit this field.]").And.HaveLength(32_000);
        written.Files.Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAsync_EmojiAtTheCut_NeverLeavesALoneSurrogate()
    {
        var note = DefaultTranscriptWriter.TruncationNote("chat-transcript-conv-1.txt");
        var keep = 32_000 - note.Length;
        var transcript = new string('a', keep - 1) + "😀" + new string('b', 1000);

        var written = await WriteAsync(TestData.Conversation(), formatter: Formatter(transcript));

        var description = written.Fields.GetString("Description")!;
        HasLoneSurrogate(description).Should().BeFalse();
        description.Should().Be(new string('a', keep - 1) + note);
    }

    [Fact]
    public async Task WriteAsync_ControlCharactersInTheTranscript_AreStripped()
    {
        var written = await WriteAsync(TestData.Conversation(), formatter: Formatter("a\u0000b\u0007c\td\n"));

        written.Fields.GetString("Description").Should().Be("abc\td\n");
    }

    [Fact]
    public async Task WriteAsync_ConversationIdField_IsTheUpsertKey()
    {
        var written = await WriteAsync(TestData.Conversation(id: "conv/7"), TestData.Options(o => o.ConversationIdField = "Chat_Conversation_Id__c"));

        written.ExternalIdField.Should().Be("Chat_Conversation_Id__c");
        written.ExternalIdValue.Should().Be("conv/7");
    }

    [Fact]
    public async Task WriteAsync_Attachments_BecomeFiles()
    {
        var attachments = new[]
        {
            new ChatAttachment { FileName = "cv.pdf", ContentType = "application/pdf", Content = new byte[] { 1, 2, 3 } },
            new ChatAttachment { FileName = "photo.png", Content = new byte[] { 4 } },
        };

        var written = await WriteAsync(TestData.Conversation(attachments: attachments));

        written.Files.Select(f => (f.FileName, f.ContentType, f.Content.Length)).Should().Equal(("cv.pdf", "application/pdf", 3), ("photo.png", (string?)null, 1));
    }

    [Fact]
    public async Task WriteAsync_UploadAttachmentsOff_AddsNoFiles()
    {
        var attachments = new[] { new ChatAttachment { FileName = "cv.pdf", Content = new byte[] { 1 } } };

        var written = await WriteAsync(TestData.Conversation(attachments: attachments), TestData.Options(o => o.Transcript.UploadAttachments = false));

        written.Files.Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAsync_TruncatedWithAttachments_PutsTheFullTranscriptFirst()
    {
        var attachments = new[] { new ChatAttachment { FileName = "cv.pdf", Content = new byte[] { 1 } } };

        var written = await WriteAsync(TestData.Conversation(id: "a b/c", attachments: attachments), formatter: Formatter(new string('a', 40_000)));

        written.Files.Select(f => f.FileName).Should().Equal("chat-transcript-a b_c.txt", "cv.pdf");
    }

    [Fact]
    public async Task WriteAsync_MappedActivityFields_OverrideTheDefaults()
    {
        var fields = new FieldMap();
        fields.Set("Task", "Status", "Not Started");
        fields.Set("Task", "Subject", "Mapped subject");
        fields.Set("Task", "Type", "Chat");
        fields.Set("Contact", "LastName", "Ignored");

        var written = await WriteAsync(TestData.Conversation(), fields: fields, owner: new ResolvedOwner(TestData.AgentUserId, OwnerStrategy.AgentUser));

        written.Fields.GetString("Status").Should().Be("Not Started");
        written.Fields.GetString("Subject").Should().Be("Mapped subject");
        written.Fields.GetString("Type").Should().Be("Chat");
        written.Fields.ContainsField("LastName").Should().BeFalse();
    }
}
