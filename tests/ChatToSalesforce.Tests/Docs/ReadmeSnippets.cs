using ChatToSalesforce.Filtering;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using ChatToSalesforce.Transcripts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of README.md, compiled (G22).</summary>
public static class ReadmeSnippets
{
    internal static async Task QuickStart(IHostApplicationBuilder builder, IHost app, DateTimeOffset startedAt, DateTimeOffset endedAt,
        IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        #region Snippet:readme-1
        builder.Services
            .AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))   // or (options => ...)
            .UseOwnerResolver<MyRoundRobinOwners>();                                  // optional: replace any stage

        // when a chat closes
        var exporter = app.Services.GetRequiredService<IConversationExporter>();
        ConversationExportResult result = await exporter.ExportAsync(new Conversation
        {
            Id = "chat-1042",
            Channel = "web",
            StartedAt = startedAt,
            EndedAt = endedAt,
            Visitor = new ChatVisitor { Name = "Ada Lovelace", Email = "ada@example.com" },
            Agent = new ChatAgent { Name = "Grace", Email = "grace@acme.com" },
            Messages = messages,
        }, cancellationToken);
        // result.Status: Exported | Skipped (result.SkipReason); result.Person, result.Activity, result.Files, result.ApiCalls
        #endregion

        _ = (result.Status, result.SkipReason, result.Person, result.Activity, result.Files, result.ApiCalls);
    }

    internal static void ReplacingAStage(IServiceCollection services)
    {
        #region Snippet:readme-2
        services.AddSalesforceChatExport(options => { /* ... */ })
            .UseIdentityMatcher<CrmIdMatcher>()      // IIdentityMatcher
            .UseRecordResolver<MyResolver>()         // IRecordResolver
            .UseFieldMapper<MyMapper>()              // IFieldMapper
            .UseOwnerResolver<RoundRobinOwners>()    // IOwnerResolver
            .UseTranscriptWriter<HtmlTranscripts>()  // ITranscriptWriter
            .AddExportFilter<OnlyBusinessHours>()    // IExportFilter
            .UseSalesforceClient<MyTransport>();     // ISalesforceClient (the host's own transport)
        #endregion
    }

    // The host's own stages the README names; only their contracts matter here.
    public sealed class MyRoundRobinOwners : IOwnerResolver
    {
        public ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ResolvedOwner.ConnectingUser);
    }

    public sealed class CrmIdMatcher : IIdentityMatcher
    {
        public ValueTask<IdentityMatch> MatchAsync(IdentityMatchContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(IdentityMatch.None);
    }

    public sealed class MyResolver : IRecordResolver
    {
        public ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new ResolvedRecord { Action = RecordAction.Create, ObjectType = context.PersonObject });
    }

    public sealed class MyMapper : IFieldMapper
    {
        public ValueTask<FieldMap> MapAsync(FieldMappingContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new FieldMap());
    }

    public sealed class HtmlTranscripts : ITranscriptWriter
    {
        public ValueTask<TranscriptActivity> WriteAsync(TranscriptWriteContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new TranscriptActivity { ObjectType = context.ActivityObject });
    }

    public sealed class OnlyBusinessHours : IExportFilter
    {
        public ValueTask<ExportFilterResult> EvaluateAsync(ExportFilterContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(context.Conversation.StartedAt.Hour is >= 8 and < 18 ? ExportFilterResult.Export : ExportFilterResult.Skip("Outside business hours."));
    }

    public sealed class MyTransport : ISalesforceClient
    {
        public Task<SalesforceConnection> GetConnectionAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceObjectDescription> DescribeAsync(string objectType, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceQueryResult> QueryAsync(string soql, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceReadBatchResult> ReadAsync(IReadOnlyList<SalesforceRead> reads, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceWriteBatchResult> WriteAsync(IReadOnlyList<SalesforceWriteUnit> units, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<SalesforceSaveResult> UploadFileAsync(SalesforceFileUpload file, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<System.Text.Json.Nodes.JsonObject> GetLimitsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
