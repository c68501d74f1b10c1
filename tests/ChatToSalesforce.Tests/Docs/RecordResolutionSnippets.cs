using ChatToSalesforce.Identity;
using ChatToSalesforce.Mapping;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Records;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NSubstitute;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/record-resolution.md, compiled (G22); the custom resolver runs.</summary>
public sealed class RecordResolutionSnippets
{
    #region Snippet:record-resolution-1
    // The contract as the page lists it: every member, with the page's types.
    private sealed class ContractAsDocumented : IRecordResolver
    {
        public ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken)
        {
            Conversation conversation = context.Conversation;
            SalesforceChatExportOptions options = context.Options;
            string personObject = context.PersonObject;
            IdentityMatch match = context.Match;
            FieldMap fields = context.Fields;                   // mapped values per object
            ResolvedOwner owner = context.Owner;
            ISalesforceReader salesforce = context.Salesforce;
            _ = (conversation, options, owner, salesforce);

            var record = new ResolvedRecord
            {
                Action = match.IsFound ? RecordAction.Keep : RecordAction.Create,   // Create, Update, Upsert, Keep
                ObjectType = personObject,
                Id = match.Id,                                  // Update, Keep
                ExternalIdField = null,                         // Upsert
                ExternalIdValue = null,                         // Upsert
                Fields = new SalesforceFieldValues(fields.For(personObject)),          // values written
            };
            bool setsOwner = record.SetsOwner;                  // Fields contains OwnerId
            return ValueTask.FromResult(setsOwner ? record : record);
        }
    }
    #endregion

    internal static void Register(IHostApplicationBuilder builder)
    {
        #region Snippet:record-resolution-3
        builder.Services
            .AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))
            .UseRecordResolver<UpdatePhoneOnlyResolver>();
        #endregion
    }

    private static RecordResolutionContext Context(IdentityMatch match, FieldMap fields, ResolvedOwner owner) => new()
    {
        Conversation = new Conversation { Id = "chat-1" },
        Options = new SalesforceChatExportOptions(),
        PersonObject = "Contact",
        Match = match,
        Fields = fields,
        Owner = owner,
        Salesforce = Substitute.For<ISalesforceReader>(),
    };

    private static FieldMap Mapped(string? phone)
    {
        var map = new FieldMap();
        map.Set("Contact", "LastName", "Lee");
        map.Set("Contact", "Phone", phone);
        return map;
    }

    [Fact]
    public async Task UpdatePhoneOnlyResolver_NoMatch_CreatesWithTheMappedValuesAndTheOwner()
    {
        var record = await new UpdatePhoneOnlyResolver().ResolveAsync(
            Context(IdentityMatch.None, Mapped("+31 20 123"), new ResolvedOwner("005000000000001AAA", OwnerStrategy.AgentUser)), CancellationToken.None);

        record.Action.Should().Be(RecordAction.Create);
        record.Fields.GetString("LastName").Should().Be("Lee");
        record.SetsOwner.Should().BeTrue();
    }

    [Fact]
    public async Task UpdatePhoneOnlyResolver_Match_UpdatesOnlyThePhone()
    {
        var record = await new UpdatePhoneOnlyResolver().ResolveAsync(
            Context(IdentityMatch.Found("Contact", "003000000000001AAA"), Mapped("+31 20 123"), ResolvedOwner.ConnectingUser), CancellationToken.None);

        record.Action.Should().Be(RecordAction.Update);
        record.Id.Should().Be("003000000000001AAA");
        record.Fields.Select(f => f.Key).Should().Equal("Phone");
    }

    [Fact]
    public async Task UpdatePhoneOnlyResolver_ReadOnlyMatchOrNoPhone_KeepsTheRecord()
    {
        var readOnly = IdentityMatch.Found("Contact", "003000000000001AAA") with { IsReadOnly = true };

        var kept = await new UpdatePhoneOnlyResolver().ResolveAsync(Context(readOnly, Mapped("+31 20 123"), ResolvedOwner.ConnectingUser), CancellationToken.None);
        var noPhone = await new UpdatePhoneOnlyResolver().ResolveAsync(
            Context(IdentityMatch.Found("Contact", "003000000000001AAA"), Mapped(null), ResolvedOwner.ConnectingUser), CancellationToken.None);

        kept.Action.Should().Be(RecordAction.Keep);
        noPhone.Action.Should().Be(RecordAction.Keep);
        (await new ContractAsDocumented().ResolveAsync(Context(readOnly, Mapped(null), ResolvedOwner.ConnectingUser), CancellationToken.None))
            .Action.Should().Be(RecordAction.Keep);
    }
}

#region Snippet:record-resolution-2
public sealed class UpdatePhoneOnlyResolver : IRecordResolver
{
    public ValueTask<ResolvedRecord> ResolveAsync(RecordResolutionContext context, CancellationToken cancellationToken)
    {
        var match = context.Match;
        if (!match.IsFound)
        {
            // Create from the mapped values; the owner the resolver chose, if any.
            var fields = new SalesforceFieldValues(context.Fields.For(context.PersonObject));
            if (context.Owner.OwnerId is { } owner)
            {
                fields["OwnerId"] = owner;
            }

            return ValueTask.FromResult(new ResolvedRecord { Action = RecordAction.Create, ObjectType = context.PersonObject, Fields = fields });
        }

        var phone = context.Fields.For(match.ObjectType!)["Phone"];
        if (match.IsReadOnly || phone is null)
        {
            return ValueTask.FromResult(new ResolvedRecord { Action = RecordAction.Keep, ObjectType = match.ObjectType!, Id = match.Id });
        }

        return ValueTask.FromResult(new ResolvedRecord
        {
            Action = RecordAction.Update,
            ObjectType = match.ObjectType!,
            Id = match.Id,
            Fields = new SalesforceFieldValues { ["Phone"] = phone },
        });
    }
}
#endregion
