using ChatToSalesforce.Salesforce.Internal;
using ChatToSalesforce.Salesforce;

namespace ChatToSalesforce.Ownership.Internal;

/// <summary>
/// Walks <see cref="SalesforceChatExportOptions.OwnerStrategies"/>: the agent's active User (matched by email, cached per
/// org), the existing record's owner, <see cref="SalesforceChatExportOptions.DefaultOwnerId"/>, the connecting user.
/// </summary>
/// <remarks>
/// The first strategy that yields an owner is the result; the strategies after it become its fallbacks, used when
/// Salesforce rejects an owner as inactive or invalid. <see cref="OwnerStrategy.RecordOwner"/> yields a marker that
/// the record resolver honours (an existing person keeps its owner; a new one takes the next fallback).
/// </remarks>
internal sealed class DefaultOwnerResolver(OrgMetadataCache cache) : IOwnerResolver
{
    public async ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var chain = new List<ResolvedOwner>(4);
        var tried = 0;
        foreach (var strategy in options.OwnerStrategies)
        {
            if ((uint)strategy < 32 && (tried & (1 << (int)strategy)) != 0)
            {
                continue;
            }

            tried |= (uint)strategy < 32 ? 1 << (int)strategy : 0;
            switch (strategy)
            {
                case OwnerStrategy.AgentUser:
                    if (await FindAgentUserAsync(context, cancellationToken).ConfigureAwait(false) is { } userId)
                    {
                        chain.Add(new ResolvedOwner(userId, OwnerStrategy.AgentUser));
                    }

                    break;
                case OwnerStrategy.RecordOwner:
                    chain.Add(new ResolvedOwner(null, OwnerStrategy.RecordOwner));
                    break;
                case OwnerStrategy.DefaultOwner:
                    if (!string.IsNullOrEmpty(options.DefaultOwnerId))
                    {
                        chain.Add(new ResolvedOwner(options.DefaultOwnerId, OwnerStrategy.DefaultOwner));
                    }

                    break;
                case OwnerStrategy.ConnectingUser:
                    chain.Add(ResolvedOwner.ConnectingUser);
                    break;
            }
        }

        if (chain.Count == 0 || chain[^1].Strategy != OwnerStrategy.ConnectingUser)
        {
            // The connecting user is always the last resort: an export never fails for want of an owner.
            chain.Add(ResolvedOwner.ConnectingUser);
        }

        var fallbacks = chain.Count == 1 ? [] : new ResolvedOwner[chain.Count - 1];
        chain.CopyTo(1, fallbacks, 0, fallbacks.Length);
        return chain[0] with { Fallbacks = fallbacks };
    }

    private async ValueTask<string?> FindAgentUserAsync(OwnerResolutionContext context, CancellationToken cancellationToken)
    {
        var email = context.Conversation.Agent?.Email?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            return null;
        }

        var org = ChatToSalesforce.Tenancy.Internal.TenantContext.OrgKeyOf(context.TenantId, context.Options);
        var key = email.ToLowerInvariant();
        if (cache.TryGetAgentUser(org, key, out var cached))
        {
            return cached;
        }

        // Keyed: the agents of a whole chunk are looked up in one IN query. Several Users may share an email: the most
        // recently modified wins (then the lowest Id), deterministically. Only an answer is cached, never a failure.
        var users = await context.Salesforce.LookupAsync(AgentUserLookup(email), cancellationToken).ConfigureAwait(false);
        var userId = users.Count > 0 ? users[0].GetString("Id") : null;
        cache.SetAgentUser(org, key, userId, context.Options.MetadataCacheDuration);
        return userId;
    }

    internal static SalesforceLookup AgentUserLookup(string email) =>
        new() { ObjectType = "User", Field = "Email", Value = email, Fields = ["Id", "LastModifiedDate"], Filter = "IsActive = true" };
}
