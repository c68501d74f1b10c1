namespace ChatToSalesforce.Ownership;

/// <summary>Picks the Salesforce User who owns the records an export writes.</summary>
/// <remarks>
/// Runs alongside identity matching, so its reads share the same request. Return <see cref="ResolvedOwner.ConnectingUser"/>
/// to leave <c>OwnerId</c> unset. Fallback owners are used, in order, when Salesforce rejects an owner as inactive or
/// invalid. Replace it with <c>builder.UseOwnerResolver&lt;T&gt;()</c>.
/// </remarks>
public interface IOwnerResolver
{
    /// <summary>Resolves the owner.</summary>
    /// <param name="context">The conversation, options and reader.</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The owner.</returns>
    ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken);
}
