using ChatToSalesforce.Mapping;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NSubstitute;

namespace ChatToSalesforce.Tests.Docs;

/// <summary>The C# blocks of docs/field-mapping.md, compiled (G22); the custom mapper runs.</summary>
public sealed class FieldMappingSnippets
{
    #region Snippet:field-mapping-1
    // The contract as the page lists it: every member, with the page's types (a rename or a type change breaks this).
    private sealed class ContractAsDocumented : IFieldMapper
    {
        public ValueTask<FieldMap> MapAsync(FieldMappingContext context, CancellationToken cancellationToken)
        {
            Conversation conversation = context.Conversation;
            SalesforceChatExportOptions options = context.Options;
            string personObject = context.PersonObject;
            string? activityObject = context.ActivityObject;    // "Task", "Case", "Event", or null in Record mode
            ISalesforceReader salesforce = context.Salesforce;
            _ = (conversation, options, salesforce, activityObject);

            var map = new FieldMap();
            IEnumerable<string> objects = map.Objects;
            IReadOnlyList<string> warnings = map.Warnings;
            SalesforceFieldValues values = map.For(personObject);          // live values of one object (created on first use)
            map.Set(personObject, "LastName", null);
            map.AddWarning("no conversation content");
            _ = (objects, warnings, values);
            return ValueTask.FromResult(map);
        }
    }

    private static FieldMappingContext NewContext(Conversation conversation, ISalesforceReader salesforce) => new()
    {
        Conversation = conversation,
        Options = new SalesforceChatExportOptions(),
        PersonObject = "Contact",
        ActivityObject = "Task",
        Salesforce = salesforce,
    };
    #endregion

    internal static void Register(IHostApplicationBuilder builder)
    {
        #region Snippet:field-mapping-3
        builder.Services
            .AddSalesforceChatExport(builder.Configuration.GetSection("Salesforce"))
            .UseFieldMapper<CountryAwareMapper>();
        #endregion
    }

    [Fact]
    public async Task CountryAwareMapper_CutsToTheFieldLength_AndSkipsUnknownFields()
    {
        var reader = Substitute.For<ISalesforceReader>();
        var contact = new SalesforceObjectDescription("Contact",
        [
            new SalesforceFieldDescription("LastName", "string", 80, false, true, true, false, false, false, []),
            new SalesforceFieldDescription("MailingCountry", "string", 5, true, true, true, false, false, false, []),
        ]);
        reader.DescribeAsync("Contact", Arg.Any<CancellationToken>()).Returns(new ValueTask<SalesforceObjectDescription>(contact));
        var conversation = new Conversation
        {
            Id = "chat-1",
            Visitor = new ChatVisitor { FirstName = "Ann", Name = "Ann Lee", Email = "ann@example.com" },
            CustomFields = new Dictionary<string, string?> { ["country"] = "Netherlands" },
        };

        var map = await new CountryAwareMapper().MapAsync(NewContext(conversation, reader), CancellationToken.None);

        var person = map.For("Contact");
        person.GetString("LastName").Should().Be("Ann Lee");
        person.GetString("MailingCountry").Should().Be("Nethe");
        person.ContainsField("FirstName").Should().BeFalse("the describe has no FirstName field");
        map.For("Task").GetString("Type").Should().Be("Chat");
        map.Warnings.Should().ContainSingle().Which.Should().Be("Contact.MailingCountry: cut to 5 characters.");
    }

    [Fact]
    public async Task ContractAsDocumented_Compiles_AndBuildsAMap()
    {
        var map = await new ContractAsDocumented().MapAsync(NewContext(new Conversation(), Substitute.For<ISalesforceReader>()), CancellationToken.None);

        map.Objects.Should().Equal("Contact");
    }
}

#region Snippet:field-mapping-2
public sealed class CountryAwareMapper : IFieldMapper
{
    public async ValueTask<FieldMap> MapAsync(FieldMappingContext context, CancellationToken cancellationToken)
    {
        var conversation = context.Conversation;
        var visitor = conversation.Visitor;
        var map = new FieldMap();
        var contact = await context.Salesforce.DescribeAsync(context.PersonObject, cancellationToken);

        void SetText(string objectType, string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value) || contact.FindField(field) is not { } description)
            {
                return;
            }

            if (description.Length > 0 && value.Length > description.Length)
            {
                value = value[..description.Length];
                map.AddWarning($"{objectType}.{field}: cut to {description.Length} characters.");
            }

            map.Set(objectType, field, value);
        }

        SetText(context.PersonObject, "FirstName", visitor.FirstName);
        SetText(context.PersonObject, "LastName", visitor.LastName ?? visitor.Name);
        SetText(context.PersonObject, "Email", visitor.Email);
        conversation.CustomFields.TryGetValue("country", out var country);
        SetText(context.PersonObject, "MailingCountry", country);

        if (context.ActivityObject is { } activity)
        {
            map.Set(activity, "Type", "Chat");
        }

        return map;
    }
}
#endregion
