using System.ComponentModel.DataAnnotations;

namespace ChatToSalesforce;

/// <summary>Configures how the transcript activity is written.</summary>
public sealed class TranscriptOptions
{
    /// <summary>Gets or sets the Subject template. Placeholders: <c>{visitor}</c>, <c>{channel}</c>, <c>{agent}</c>, <c>{conversationId}</c>, <c>{date}</c>.</summary>
    /// <value>Defaults to <c>Chat with {visitor} – {channel}</c>; the result is cut to 255 characters.</value>
    [Required(ErrorMessage = "must not be empty; for example 'Chat with {{visitor}} – {{channel}}'.")]
    public string SubjectTemplate { get; set; } = "Chat with {visitor} – {channel}";

    /// <summary>Gets or sets the Task <c>Status</c>.</summary>
    /// <value>Defaults to <c>Completed</c>.</value>
    public string TaskStatus { get; set; } = "Completed";

    /// <summary>
    /// Gets or sets the Task <c>Status</c> while the conversation is still open (no <see cref="Conversation.EndedAt"/>), for
    /// hosts that export when a conversation starts: the export at close then completes the same Task (<see cref="TaskStatus"/>).
    /// <see langword="null"/> (the default) writes <see cref="TaskStatus"/> whether or not the conversation has ended.
    /// </summary>
    /// <value>For example <c>In Progress</c>.</value>
    public string? OpenTaskStatus { get; set; }

    /// <summary>Gets or sets the Case <c>Status</c> set by the export of a closed conversation (with <see cref="Conversation.EndedAt"/>); <see langword="null"/> (the default) leaves the Case's status to the org.</summary>
    public string? ClosedCaseStatus { get; set; }

    /// <summary>
    /// Gets or sets how long a conversation may stay silent and still continue the same activity. A conversation whose
    /// messages resume after a longer silence (reopened the next week, an inbox thread answered much later) is a new session:
    /// its export writes a new activity, holding the whole conversation, and keeps the earlier one as it was. Within the window,
    /// an export updates the same activity. Decided from the messages' <see cref="ChatMessage.SentAt"/> times alone, so
    /// retries and re-deliveries of the same conversation always find the same activity.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: every export of a conversation updates the same activity, however late.</value>
    public TimeSpan? ReopenWindow { get; set; }

    /// <summary>Gets or sets the Case <c>Origin</c>.</summary>
    /// <value>Defaults to <c>Chat</c>.</value>
    public string CaseOrigin { get; set; } = "Chat";

    /// <summary>Gets or sets whether a transcript longer than the Description field is also attached in full as a <c>.txt</c> file.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool AttachFullTranscriptWhenTruncated { get; set; } = true;

    /// <summary>Gets or sets whether chat attachments are uploaded as Salesforce Files linked to the activity.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool UploadAttachments { get; set; } = true;
}
