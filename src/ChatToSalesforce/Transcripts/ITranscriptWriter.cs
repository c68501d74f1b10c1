namespace ChatToSalesforce.Transcripts;

/// <summary>Decides the activity (Task, Case or Event) that holds the transcript, and the files attached to it.</summary>
/// <remarks>
/// It decides; it does not call Salesforce. The unit of work links the activity to the person through
/// <see cref="TranscriptActivity.PersonLinkField"/> and writes it in the same request. Replace it with
/// <c>builder.UseTranscriptWriter&lt;T&gt;()</c>.
/// </remarks>
public interface ITranscriptWriter
{
    /// <summary>Writes the transcript into the activity it decides (nothing is sent to Salesforce here).</summary>
    /// <param name="context">The conversation, mapped values and owner.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>The activity and files to write.</returns>
    ValueTask<TranscriptActivity> WriteAsync(TranscriptWriteContext context, CancellationToken cancellationToken);
}
