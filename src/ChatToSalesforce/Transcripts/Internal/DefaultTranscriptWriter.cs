namespace ChatToSalesforce.Transcripts.Internal;

internal sealed class DefaultTranscriptWriter : ITranscriptWriter
{
}
