namespace ChatToSalesforce.Identity;

/// <summary>Finds the Salesforce person (Contact, Lead, ...) a chat visitor corresponds to.</summary>
/// <remarks>
/// Return <see cref="IdentityMatch.None"/> when nothing matches (the record resolver then creates the person) and
/// <see cref="IdentityMatch.Skip(string)"/> when the export must not happen; do not throw for "not found".
/// Read through <see cref="IdentityMatchContext.Salesforce"/> so reads are batched. Let transport failures propagate.
/// Always honor the cancellation token. Replace it with <c>builder.UseIdentityMatcher&lt;T&gt;()</c>.
/// </remarks>
public interface IIdentityMatcher
{
    /// <summary>Matches the visitor of <see cref="IdentityMatchContext.Conversation"/>.</summary>
    /// <param name="context">The conversation, options and reader.</param>
    /// <param name="cancellationToken">Cancels the match.</param>
    /// <returns>The match.</returns>
    ValueTask<IdentityMatch> MatchAsync(IdentityMatchContext context, CancellationToken cancellationToken);
}
