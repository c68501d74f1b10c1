using BenchmarkDotNet.Attributes;
using ChatToSalesforce.Transcripts.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Benchmarks.Micro;

/// <summary>
/// The pipeline's own CPU cost per conversation: filters, identity decision, owner, mapping, transcript formatting and
/// the JSON of the composite bodies, with a transport that answers synchronously (no I/O, no emulator).
/// </summary>
/// <remarks>Min is reported next to Mean: on a shared machine it is the best estimate of the CPU cost itself.</remarks>
[MemoryDiagnoser]
[ShortRunJob]
[MinColumn]
[MedianColumn]
public class PipelineBenchmarks
{
    private IConversationExporter _exporter = null!;
    private Conversation _conversation = null!;
    private readonly PlainTextTranscriptFormatter _formatter = new();

    [Params(20, 200, 3000)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ChatToSalesforce.Salesforce.ISalesforceClient>(new CannedSalesforceClient());
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = new Uri("https://bench.my.salesforce.com");
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "00D!bench";
            o.Filters.Add(new ExportCondition { Source = "conversation.channel", Equals = "web" });
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Student Type", Target = "Contact.Student_Type__c" });
        });
        _exporter = services.BuildServiceProvider().GetRequiredService<IConversationExporter>();
        _conversation = Workload.Conversation("bench-1", "visitor@example.com", "Visitor", "agent@acme.test", Messages);

        // Warm the per-org caches (describes, the agent's User), as in a running host.
        _exporter.ExportAsync(_conversation).GetAwaiter().GetResult();
    }

    /// <summary>One whole export: 2 canned composite calls (read round, write).</summary>
    [Benchmark]
    public Task<ConversationExportResult> Export() => _exporter.ExportAsync(_conversation);

    /// <summary>The default transcript formatter alone.</summary>
    [Benchmark]
    public string FormatTranscript() => _formatter.Format(_conversation);
}
