using ChatToSalesforce.Identity;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/identity-matching.md, compiled (G22). <see cref="MemberIdMatcher"/> runs in <see cref="MemberIdMatcherTests"/> (docs/testing.md).</summary>
public static class IdentityMatchingSnippets
{
    #region Snippet:identity-matching-1
    // The contract as the page lists it: every member, with the page's types.
    private sealed class ContractAsDocumented : IIdentityMatcher
    {
        public ValueTask<IdentityMatch> MatchAsync(IdentityMatchContext context, CancellationToken cancellationToken)
        {
            Conversation conversation = context.Conversation;
            SalesforceChatExportOptions options = context.Options;
            string personObject = context.PersonObject;          // "Contact", "Lead", or Record.ObjectType
            ISalesforceReader salesforce = context.Salesforce;   // batched reads
            _ = (conversation, options, salesforce);
            return ValueTask.FromResult(personObject.Length == 0 ? IdentityMatch.Skip("No person object.") : IdentityMatch.None);
        }
    }
    #endregion

    internal static IIdentityMatcher Contract() => new ContractAsDocumented();

    internal static void Register(IHostApplicationBuilder builder)
    {
        #region Snippet:identity-matching-3
        builder.Services
            .AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))
            .UseIdentityMatcher<MemberIdMatcher>();
        #endregion
    }
}

#region Snippet:identity-matching-2
public sealed class MemberIdMatcher : IIdentityMatcher
{
    private static readonly string[] Fields = ["Id", "OwnerId", "FirstName", "LastName", "Email", "Phone"];

    public async ValueTask<IdentityMatch> MatchAsync(IdentityMatchContext context, CancellationToken cancellationToken)
    {
        var visitor = context.Conversation.Visitor;
        context.Conversation.CustomFields.TryGetValue("memberId", out var memberId);

        // Start every read first: both lookups travel in the same read round, merged with other conversations'.
        var byMember = string.IsNullOrWhiteSpace(memberId) ? null
            : context.Salesforce.LookupAsync(
                new SalesforceLookup { ObjectType = "Contact", Field = "Member_Id__c", Value = memberId, Fields = Fields },
                cancellationToken).AsTask();
        var byEmail = string.IsNullOrWhiteSpace(visitor.Email) ? null
            : context.Salesforce.LookupAsync(
                new SalesforceLookup { ObjectType = "Contact", Field = "Email", Value = visitor.Email.Trim(), Fields = Fields },
                cancellationToken).AsTask();

        if (byMember is not null)
        {
            var members = await byMember;
            if (members.Count > 1)
            {
                return IdentityMatch.Skip("Several Contacts share the member id.");
            }

            if (members is [var member])
            {
                return IdentityMatch.Found("Contact", member.GetString("Id")!, member) with { Rule = "member id" };
            }
        }

        // Records come back most recently modified first.
        if (byEmail is not null && await byEmail is [var first, ..])
        {
            return IdentityMatch.Found("Contact", first.GetString("Id")!, first) with { Rule = "email" };
        }

        return IdentityMatch.None;
    }
}
#endregion
