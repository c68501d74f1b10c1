using System.Text;
using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Behaviour;

/// <summary>DESIGN.md section 5 and docs/transcript-writing.md: the 32,000-character cut, files, re-export idempotency.</summary>
public sealed class TranscriptAndFilesBehaviourTests
{
    private const string Emoji = "\U0001F600";

    private static Conversation LongChat(int offset)
    {
        var chat = Chats.New(id: "long-1", messages: 1);
        var text = new string('x', offset) + string.Concat(Enumerable.Repeat(Emoji, 20_000));
        return new Conversation
        {
            Id = chat.Id, Channel = chat.Channel, StartedAt = chat.StartedAt, EndedAt = chat.EndedAt, Visitor = chat.Visitor,
            Messages = [new ChatMessage { Role = ChatRole.Visitor, SenderName = "Ada", Text = text, SentAt = chat.StartedAt }],
        };
    }

    // Shifting the emoji run by one character flips the parity of the cut, so one of the two lands inside a surrogate pair.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task LongTranscript_EmojiAtTheCut_DescriptionIsCutOnACharacterBoundary_FullTranscriptAttached(int offset)
    {
        await using var host = EmulatorHost.Create();

        var result = await host.Exporter.ExportAsync(LongChat(offset));

        result.Status.Should().Be(ExportStatus.Exported);
        result.ApiCalls.Should().Be(2);
        var description = host.Emulator.Get("Task", result.Activity!.Id).Text("Description")!;
        description.Length.Should().BeLessThanOrEqualTo(32_000);
        description.Length.Should().BeGreaterThan(31_000);
        LoneSurrogateAt(description).Should().Be(-1);
        description.Should().EndWith("[Transcript truncated to fit this field. The full transcript is attached as chat-transcript-long-1.txt.]");

        var file = result.Files.Should().ContainSingle().Subject;
        file.ObjectType.Should().Be("ContentVersion");
        var version = host.Emulator.Get("ContentVersion", file.Id);
        version.Text("PathOnClient").Should().Be("chat-transcript-long-1.txt");
        host.Emulator.LinkedEntities(file.Id).Should().Contain(result.Activity.Id);
        var full = Encoding.UTF8.GetString(await host.Emulator.FileBytesAsync(file.Id));
        full.Length.Should().BeGreaterThan(40_000);
        full.Should().Contain(new string('x', offset) + string.Concat(Enumerable.Repeat(Emoji, 20_000)));
        var kept = description[..description.IndexOf("[Transcript truncated", StringComparison.Ordinal)].TrimEnd();
        full.Should().StartWith(kept);
        LoneSurrogateAt(full).Should().Be(-1);
    }

    [Fact]
    public async Task ShortTranscript_IsNotCut_AndAttachesNoFile()
    {
        await using var host = EmulatorHost.Create();

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Files.Should().BeEmpty();
        host.Emulator.Records("ContentVersion").Should().BeEmpty();
        host.Emulator.Get("Task", result.Activity!.Id).Text("Description").Should().NotContain("truncated");
    }

    private static int LoneSurrogateAt(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return i;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly byte[] Pdf = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7 % 256)).ToArray();
    private static readonly byte[] Notes = Encoding.UTF8.GetBytes("Order SO-42, size M\n");

    private static ChatAttachment[] TwoAttachments() =>
    [
        new ChatAttachment { FileName = "brochure 2026.pdf", ContentType = "application/pdf", Content = Pdf },
        new ChatAttachment { FileName = "notes.txt", ContentType = "text/plain", Content = Notes },
    ];

    [Fact]
    public async Task TwoAttachments_BecomeFilesLinkedToTheTask_NamesAndBytesPreserved_InsideTheWrite()
    {
        await using var host = EmulatorHost.Create();

        var result = await host.Exporter.ExportAsync(Chats.New(attachments: TwoAttachments()));

        result.ApiCalls.Should().Be(2);
        host.Emulator.ApiCallsUsed.Should().Be(2);
        result.Files.Should().HaveCount(2).And.OnlyContain(f => f.ObjectType == "ContentVersion" && f.Change == RecordChange.Created);
        var versions = result.Files.Select(f => host.Emulator.Get("ContentVersion", f.Id)).ToArray();
        versions.Select(v => v.Text("PathOnClient")).Should().BeEquivalentTo("brochure 2026.pdf", "notes.txt");
        foreach (var file in result.Files)
        {
            var name = host.Emulator.Get("ContentVersion", file.Id).Text("PathOnClient");
            (await host.Emulator.FileBytesAsync(file.Id)).Should().Equal(name == "notes.txt" ? Notes : Pdf);
            host.Emulator.Get("ContentVersion", file.Id).Text("FirstPublishLocationId").Should().Be(result.Activity!.Id);
            host.Emulator.LinkedEntities(file.Id).Should().Contain(result.Activity.Id);
        }

        host.Emulator.Records("ContentDocument").Should().HaveCount(2);
    }

    [Fact]
    public async Task UploadAttachmentsOff_NoFiles()
    {
        await using var host = EmulatorHost.Create(o => o.Transcript.UploadAttachments = false);

        var result = await host.Exporter.ExportAsync(Chats.New(attachments: TwoAttachments()));

        result.Files.Should().BeEmpty();
        host.Emulator.Records("ContentVersion").Should().BeEmpty();
    }

    [Fact]
    public async Task ReExport_WithConversationIdField_UpdatesTheOneTask_AndDoesNotDuplicateFiles()
    {
        await using var host = EmulatorHost.Create(o => o.ConversationIdField = "Chat_Conversation_Id__c",
            e => e.DefineField("Task", new EmulatorField { Name = "Chat_Conversation_Id__c", ExternalId = true, Unique = true }));

        var first = await host.Exporter.ExportAsync(Chats.New(messages: 2, attachments: TwoAttachments()));
        var afterFirst = host.Emulator.ApiCallsUsed;
        var second = await host.Exporter.ExportAsync(Chats.New(messages: 5, attachments: TwoAttachments()));

        first.Activity!.Change.Should().Be(RecordChange.Created);
        second.Activity.Should().Be(first.Activity with { Change = RecordChange.Updated });
        first.Files.Should().HaveCount(2);
        second.Files.Should().BeEmpty();
        first.ApiCalls.Should().Be(2, "one read, then one write with the Task and both files");
        afterFirst.Should().Be(2);
        second.ApiCalls.Should().Be(3, "the read finds the Task, a second read its files, then the update");
        (host.Emulator.ApiCallsUsed - afterFirst).Should().Be(3);
        var task = host.Emulator.Records("Task").Should().ContainSingle().Subject;
        task.Text("Chat_Conversation_Id__c").Should().Be("chat-1");
        task.Text("Description").Should().Contain("Message 4");
        host.Emulator.Records("ContentVersion").Should().HaveCount(2);
        host.Emulator.Records("Contact").Should().ContainSingle();
    }

    [Fact]
    public async Task ReExport_WithoutConversationIdField_UpdatesTheTaskItFindsByItsMarker_InTwoCalls()
    {
        await using var host = EmulatorHost.Create();

        var first = await host.Exporter.ExportAsync(Chats.New(messages: 2));
        var second = await host.Exporter.ExportAsync(Chats.New(messages: 5));

        second.Activity.Should().Be(first.Activity! with { Change = RecordChange.Updated });
        second.ApiCalls.Should().Be(2, "the marker is looked up in the read the export makes anyway");
        var task = host.Emulator.Records("Task").Should().ContainSingle().Subject;
        task.Text("WhoId").Should().Be(first.Person!.Id);
        task.Text("Subject").Should().EndWith(" [chat chat-1]");
        task.Text("Description").Should().Contain("Message 4");
        host.Emulator.Records("Contact").Should().ContainSingle();
    }

    [Fact]
    public async Task ReExport_WithoutConversationIdField_AddsOnlyTheFilesTheFirstExportLacks()
    {
        await using var host = EmulatorHost.Create();

        var first = await host.Exporter.ExportAsync(Chats.New(attachments: TwoAttachments()));
        var second = await host.Exporter.ExportAsync(Chats.New(attachments: TwoAttachments()));

        first.Files.Should().HaveCount(2);
        second.Files.Should().BeEmpty();
        second.Activity!.Id.Should().Be(first.Activity!.Id);
        host.Emulator.Records("ContentVersion").Should().HaveCount(2);
    }
}
