using ChatToSalesforce.DependencyInjection.Internal;

namespace ChatToSalesforce.Actions;

/// <summary>Settings of the agent-console lookup and the chatbot actions (<c>Actions</c> in configuration).</summary>
public sealed class ChatActionOptions
{
    /// <summary>Gets or sets how long a visitor lookup or a find is answered from memory, so a console refresh or a bot
    /// asking again costs no API call.</summary>
    /// <value>Defaults to 30 seconds. <see cref="TimeSpan.Zero"/> turns the cache off; at most one hour.</value>
    [SettingRange("00:00:00", "01:00:00", "must be between 00:00:00 (no cache) and 01:00:00.")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many answers the cache keeps per process (the oldest are dropped first).</summary>
    /// <value>Defaults to 1,000.</value>
    [SettingRange(0, int.MaxValue, "must not be negative (it caps how many answers CacheDuration keeps).")]
    public int MaxCachedResults { get; set; } = 1_000;

    /// <summary>
    /// Gets or sets whether an export also looks for what an earlier export of the same conversation wrote in the other
    /// activity objects (a push whose <see cref="ConversationExportChoices.Mode"/> chose a Case while the configured mode
    /// writes Tasks, for example), and then updates that activity and keeps its person instead of writing a second activity.
    /// A push that keeps the configured activity object (another person object, another owner) is followed either way, except
    /// with <see cref="SalesforceChatExportOptions.ConversationIdField"/>: the activity is then upserted on its key without a
    /// look, so following the push's person needs this setting too.
    /// </summary>
    /// <value>
    /// Defaults to <see langword="false"/>. Turned on, every export's read also searches the <c>Subject</c> of the other
    /// activity objects for the conversation's marker: a single export still makes one read request, but a batch chunk of
    /// 200 needs one more (Salesforce allows five queries per request), and with
    /// <see cref="SalesforceChatExportOptions.ConversationIdField"/> an export that reads nothing else spends one read call.
    /// </value>
    public bool FollowPushedExports { get; set; }
}
