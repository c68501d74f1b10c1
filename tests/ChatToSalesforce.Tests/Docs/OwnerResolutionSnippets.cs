using ChatToSalesforce.Ownership;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NSubstitute;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/owner-resolution.md, compiled (G22); the custom resolver runs.</summary>
public sealed class OwnerResolutionSnippets
{
    #region Snippet:owner-resolution-1
    // The contract as the page lists it: every member, with the page's types.
    private sealed class ContractAsDocumented : IOwnerResolver
    {
        public ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken)
        {
            Conversation conversation = context.Conversation;
            SalesforceChatExportOptions options = context.Options;
            ISalesforceReader salesforce = context.Salesforce;
            _ = (conversation, salesforce);

            ResolvedOwner connectingUser = ResolvedOwner.ConnectingUser;            // OwnerId = null
            var owner = new ResolvedOwner(OwnerId: options.DefaultOwnerId, Strategy: OwnerStrategy.DefaultOwner)
            {
                Fallbacks = [connectingUser],                                       // tried in order when Salesforce rejects OwnerId
            };
            IReadOnlyList<ResolvedOwner> fallbacks = owner.Fallbacks;
            string? ownerId = owner.OwnerId;
            return ValueTask.FromResult(ownerId is null ? fallbacks[0] : owner with { Strategy = owner.Strategy });
        }
    }
    #endregion

    internal static void Register(IHostApplicationBuilder builder)
    {
        #region Snippet:owner-resolution-3
        builder.Services
            .AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))
            .UseOwnerResolver<RoundRobinOwners>();
        #endregion
    }

    private readonly ISalesforceReader _reader = Substitute.For<ISalesforceReader>();

    private OwnerResolutionContext Context(string? agentEmail) => new()
    {
        Conversation = new Conversation { Id = "chat-1", Agent = agentEmail is null ? null : new ChatAgent { Email = agentEmail } },
        Options = new SalesforceChatExportOptions { DefaultOwnerId = "005000000000009AAA" },
        Salesforce = _reader,
    };

    [Fact]
    public async Task RoundRobinOwners_AgentWithAUser_IsOwnerWithTheRepThenTheConnectingUserAsFallbacks()
    {
        _reader.LookupAsync(Arg.Any<SalesforceLookup>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<SalesforceFieldValues>>([new SalesforceFieldValues { ["Id"] = "005000000000042AAA" }]));

        var owner = await new RoundRobinOwners().ResolveOwnerAsync(Context(" dana@acme.example "), CancellationToken.None);

        owner.OwnerId.Should().Be("005000000000042AAA");
        owner.Strategy.Should().Be(OwnerStrategy.AgentUser);
        owner.Fallbacks.Should().Equal(new ResolvedOwner("005000000000001AAA", OwnerStrategy.DefaultOwner), ResolvedOwner.ConnectingUser);
        await _reader.Received(1).LookupAsync(Arg.Is<SalesforceLookup>(l => l.ObjectType == "User" && l.Field == "Email" && l.Value == "dana@acme.example" && l.Filter == "IsActive = true"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RoundRobinOwners_NoAgent_RotatesThroughTheReps()
    {
        var resolver = new RoundRobinOwners();

        var owners = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            owners.Add((await resolver.ResolveOwnerAsync(Context(agentEmail: null), CancellationToken.None)).OwnerId);
        }

        owners.Should().Equal("005000000000001AAA", "005000000000002AAA", "005000000000003AAA", "005000000000001AAA");
        await _reader.DidNotReceiveWithAnyArgs().LookupAsync(default!, default);
        (await new ContractAsDocumented().ResolveOwnerAsync(Context(null), CancellationToken.None)).OwnerId.Should().Be("005000000000009AAA");
    }
}

#region Snippet:owner-resolution-2
public sealed class RoundRobinOwners : IOwnerResolver
{
    private static readonly string[] Reps = ["005000000000001AAA", "005000000000002AAA", "005000000000003AAA"];
    private int _next = -1;

    public async ValueTask<ResolvedOwner> ResolveOwnerAsync(OwnerResolutionContext context, CancellationToken cancellationToken)
    {
        var rep = Reps[(int)((uint)Interlocked.Increment(ref _next) % (uint)Reps.Length)];
        var repOwner = new ResolvedOwner(rep, OwnerStrategy.DefaultOwner);

        var agentEmail = context.Conversation.Agent?.Email;
        if (agentEmail is null)
        {
            return repOwner with { Fallbacks = [ResolvedOwner.ConnectingUser] };
        }

        // A keyed lookup, part of the shared read round; in a batch it is merged with the other conversations' into one IN query.
        var users = await context.Salesforce.LookupAsync(
            new SalesforceLookup { ObjectType = "User", Field = "Email", Value = agentEmail.Trim(), Filter = "IsActive = true" },
            cancellationToken);

        return users is [var user, ..]
            ? new ResolvedOwner(user.GetString("Id"), OwnerStrategy.AgentUser) { Fallbacks = [repOwner, ResolvedOwner.ConnectingUser] }
            : repOwner with { Fallbacks = [ResolvedOwner.ConnectingUser] };
    }
}
#endregion
