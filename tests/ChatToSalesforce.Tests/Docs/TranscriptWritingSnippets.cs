using System.Globalization;
using System.Text;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Testing;
using ChatToSalesforce.Transcripts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NSubstitute;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/transcript-writing.md, compiled (G22); the formatter and the custom writer run.</summary>
public sealed class TranscriptWritingSnippets
{
    internal static void RegisterFormatter(IHostApplicationBuilder builder)
    {
        #region Snippet:transcript-writing-1
        builder.Services.AddSingleton<ITranscriptFormatter, HtmlTranscriptFormatter>();
        #endregion
    }

    #region Snippet:transcript-writing-2
    // The contract as the page lists it: every member, with the page's types.
    private sealed class ContractAsDocumented : ITranscriptWriter
    {
        public ValueTask<TranscriptActivity> WriteAsync(TranscriptWriteContext context, CancellationToken cancellationToken)
        {
            Conversation conversation = context.Conversation;
            SalesforceChatExportOptions options = context.Options;
            string activityObject = context.ActivityObject;     // "Task", "Case" or "Event"
            string personObject = context.PersonObject;         // the person actually written ("Contact" for a followed converted Lead)
            FieldMap fields = context.Fields;                   // include Fields.For(ActivityObject) in your result
            ResolvedOwner owner = context.Owner;                // the activity's owner
            ISalesforceReader salesforce = context.Salesforce;
            _ = (personObject, owner, salesforce);

            var written = new TranscriptActivity
            {
                ObjectType = activityObject,
                Fields = new SalesforceFieldValues(fields.For(activityObject)),    // without the person link
                PersonLinkField = "WhoId",                      // "WhoId", "ContactId" or null
                ExternalIdField = options.ConversationIdField,  // upsert key, usually Options.ConversationIdField
                ExternalIdValue = conversation.Id,              // usually Conversation.Id
                Files = [new TranscriptFile(FileName: "chat.txt", Content: ReadOnlyMemory<byte>.Empty, ContentType: null)],
                Truncated = false,
            };
            IReadOnlyList<TranscriptFile> files = written.Files;
            bool truncated = written.Truncated;
            return ValueTask.FromResult(files.Count == 1 && !truncated ? written : written);
        }
    }
    #endregion

    internal static void RegisterWriter(IHostApplicationBuilder builder)
    {
        #region Snippet:transcript-writing-4
        builder.Services
            .AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))
            .UseTranscriptWriter<SummaryTaskWriter>();
        #endregion
    }

    [Fact]
    public async Task SummaryTaskWriter_WritesTheSummaryTheMappedFieldsAndTheFormattedFile()
    {
        var fields = new FieldMap();
        fields.Set("Task", "Priority", "High");
        var context = new TranscriptWriteContext
        {
            Conversation = DocsConversations.Ann(),
            Options = new SalesforceChatExportOptions { ConversationIdField = "Chat_Conversation_Id__c" },
            ActivityObject = "Task",
            PersonObject = "Contact",
            Fields = fields,
            Owner = new ResolvedOwner("005000000000001AAA", OwnerStrategy.AgentUser),
            Salesforce = Substitute.For<ISalesforceReader>(),
        };

        var written = await new SummaryTaskWriter(new HtmlTranscriptFormatter()).WriteAsync(context, CancellationToken.None);

        written.Fields.GetString("Description").Should().Be("2 messages. Last visitor message: Hello");
        written.Fields.GetString("ActivityDate").Should().Be("2026-11-21");
        written.Fields.GetString("OwnerId").Should().Be("005000000000001AAA");
        written.Fields.GetString("Priority").Should().Be("High");
        written.PersonLinkField.Should().Be("WhoId");
        written.ExternalIdValue.Should().Be("chat-1");
        Encoding.UTF8.GetString(written.Files.Should().ContainSingle().Subject.Content.Span).Should().StartWith("<ol>");
        (await new ContractAsDocumented().WriteAsync(context, CancellationToken.None)).Files.Should().ContainSingle();
    }

    [Fact]
    public async Task SummaryTaskWriter_AgainstTheEmulator_WritesOneTaskAndItsTranscriptFile()
    {
        await using var emulator = new SalesforceEmulator();
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(options =>
            {
                options.InstanceUrl = emulator.InstanceUrl;
                options.Authentication.Flow = SalesforceAuthFlow.AccessToken;
                options.Authentication.AccessToken = emulator.IssueAccessToken();
            })
            .UseTranscriptWriter<SummaryTaskWriter>()
            .HttpClient.ConfigurePrimaryHttpMessageHandler(() => emulator.CreateHandler());
        services.AddSingleton<ITranscriptFormatter, HtmlTranscriptFormatter>();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IConversationExporter>().ExportAsync(DocsConversations.Ann());

        result.Status.Should().Be(ExportStatus.Exported);
        emulator.Records("Task").Should().ContainSingle().Which["Subject"]!.GetValue<string>().Should().Be("Chat chat-1 [chat chat-1]");
        result.Files.Should().ContainSingle();
    }
}

/// <summary>The host's own formatter that docs/transcript-writing.md registers.</summary>
public sealed class HtmlTranscriptFormatter : ITranscriptFormatter
{
    public string Format(Conversation conversation) =>
        "<ol>" + string.Concat(conversation.Messages.Select(m => $"<li>{System.Net.WebUtility.HtmlEncode(m.SenderName)}: {System.Net.WebUtility.HtmlEncode(m.Text)}</li>")) + "</ol>";
}

#region Snippet:transcript-writing-3
public sealed class SummaryTaskWriter(ITranscriptFormatter formatter) : ITranscriptWriter
{
    public ValueTask<TranscriptActivity> WriteAsync(TranscriptWriteContext context, CancellationToken cancellationToken)
    {
        var conversation = context.Conversation;
        var lastVisitorMessage = conversation.Messages.LastOrDefault(m => m.Role == ChatRole.Visitor)?.Text ?? string.Empty;
        var summary = $"{conversation.Messages.Count} messages. Last visitor message: {lastVisitorMessage}";
        var ended = (conversation.EndedAt ?? conversation.StartedAt).UtcDateTime;

        var fields = new SalesforceFieldValues
        {
            ["Subject"] = $"Chat {conversation.Id}",
            ["Description"] = summary.Length > 32_000 ? summary[..32_000] : summary,
            ["Status"] = "Completed",
            ["Type"] = "Chat",
            ["ActivityDate"] = ended.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (context.Owner.OwnerId is { } owner)
        {
            fields["OwnerId"] = owner;
        }

        foreach (var (field, value) in context.Fields.For(context.ActivityObject))
        {
            fields[field] = value;
        }

        var transcript = Encoding.UTF8.GetBytes(formatter.Format(conversation));
        return ValueTask.FromResult(new TranscriptActivity
        {
            ObjectType = context.ActivityObject,
            Fields = fields,
            PersonLinkField = context.ActivityObject == "Case" ? "ContactId" : "WhoId",
            ExternalIdField = context.Options.ConversationIdField,
            ExternalIdValue = context.Options.ConversationIdField is null ? null : conversation.Id,
            Files = [new TranscriptFile($"chat-{conversation.Id}.txt", transcript, "text/plain")],
        });
    }
}
#endregion
