using ChatToSalesforce.Testing;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>Hostile file names reach Salesforce as safe names on both paths (inside the write and the multipart upload).</summary>
public sealed class AttachmentNameExportTests : IDisposable
{
    private static readonly string[] Names = ["line\r\nbreak.txt", "say \"hi\".txt", string.Empty, ".env", new string('x', 400) + ".txt", "big\r\n\"file\".bin"];

    private readonly SalesforceEmulator _org = new();
    private readonly EmulatorExport _host;

    public AttachmentNameExportTests() => _host = EmulatorExport.Create(_org);

    public void Dispose()
    {
        _host.Dispose();
        _org.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Control_characters_quotes_empty_dotfile_and_overlong_names_are_exported_with_safe_names(bool batch)
    {
        var attachments = Names.Select((name, i) => new ChatAttachment
        {
            FileName = name,
            ContentType = "application/octet-stream",

            // The last one is large enough to travel as its own multipart upload.
            Content = i == Names.Length - 1 ? new byte[600 * 1024] : new byte[] { (byte)i },
        }).ToArray();
        var conversation = BatchExportTests.WithAttachments(Conversation("names-1", "names@example.com"), attachments);

        var result = batch ? (await _host.Exporter.ExportManyAsync([conversation]).ToListAsync()).Single() : await _host.Exporter.ExportAsync(conversation);

        result.Status.Should().Be(ExportStatus.Exported, result.Error?.Message);
        var files = _org.FilesOf(result.Activity!.Id);
        files.Should().HaveCount(Names.Length);
        result.Files.Should().HaveCount(Names.Length);
        foreach (var file in files)
        {
            var path = file.Text("PathOnClient")!;
            var title = file.Text("Title")!;
            path.Should().NotBeNullOrWhiteSpace();
            title.Should().NotBeNullOrWhiteSpace();
            path.Length.Should().BeLessThanOrEqualTo(255);
            path.Should().NotContainAny("\r", "\n", "\"");
            title.Should().NotContainAny("\r", "\n", "\"");
        }

        var paths = files.Select(f => f.Text("PathOnClient")!).ToList();
        paths.Should().Contain(".env").And.OnlyHaveUniqueItems();
        paths.Should().Contain(p => p.StartsWith("xxxx", StringComparison.Ordinal) && p.EndsWith(".txt", StringComparison.Ordinal));
        files.Single(f => f.Text("PathOnClient") == ".env").Text("Title").Should().Be(".env");

        // Exporting again adds nothing: the safe names are how the files already written are recognised.
        var again = await _host.Exporter.ExportAsync(conversation);
        again.Status.Should().Be(ExportStatus.Exported);
        _org.Records("ContentVersion").Should().HaveCount(Names.Length);
    }
}
