namespace ChatToSalesforce.Transcripts;

/// <summary>Renders a conversation as the transcript text written to the activity's description (and, when long, to a file).</summary>
/// <remarks>The default renders plain text: a header (id, channel, UTC start/end, agent, notes, wrap-up, request page, custom fields) and one line per message. Register your own implementation in DI before or after <c>AddSalesforceChatExport</c> (it is resolved as a singleton; the last registration wins).</remarks>
public interface ITranscriptFormatter
{
    /// <summary>Formats the transcript.</summary>
    /// <param name="conversation">The conversation.</param>
    /// <returns>The text.</returns>
    string Format(Conversation conversation);
}
