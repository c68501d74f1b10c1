using ChatToSalesforce.Erasure;
using ChatToSalesforce.Tests.Export;
using ChatToSalesforce.Tests.Tenancy;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ChatToSalesforce.Tests.Erasure;

public class ErasureTests
{
    [Fact]
    public async Task Erases_the_SDKs_activities_and_files_keeps_a_person_others_reference_and_a_second_run_finds_nothing()
    {
        using var orgs = new TenantOrgs("acme", "globex");
        var org = orgs["acme"];
        var first = await orgs.Exporter.ExportAsync(WithFile(TenantOrgs.Chat("acme", "c1", "ada@example.com")));
        await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "c2", "ada@example.com"));
        await orgs.Exporter.ExportAsync(TenantOrgs.Chat("globex", "g1", "ada@example.com"));
        var contactId = first.Person!.Id;
        var manual = org.Insert("Task", new { Subject = "Call back about invoice", WhoId = contactId });
        var eraser = orgs.Services.GetRequiredService<IConversationEraser>();

        var result = await eraser.EraseAsync(new ErasureRequest { TenantId = "acme", Email = "ada@example.com", IncludePerson = true });

        result.Deleted.Select(r => r.ObjectType).Should().BeEquivalentTo(["Task", "Task", "ContentDocument"]);
        result.Kept.Should().ContainSingle().Which.Should().Contain(contactId).And.Contain("other activities still reference it");
        org.Records("Task").Select(t => t.Id()).Should().Equal(manual);
        org.Records("ContentVersion").Should().BeEmpty();
        org.Find("Contact", contactId).Should().NotBeNull();
        orgs["globex"].Records("Task").Should().ContainSingle("another tenant's org is not touched");
        result.ApiCalls.Should().Be(4, "three read rounds and one write");

        var again = await eraser.EraseAsync(new ErasureRequest { TenantId = "acme", Email = "ada@example.com", IncludePerson = true });

        again.NothingFound.Should().BeTrue();
    }

    [Fact]
    public async Task A_person_the_SDK_created_and_nothing_else_references_is_erased_too()
    {
        using var orgs = new TenantOrgs("acme");
        var exported = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "c1", "bob@example.com"));

        var result = await orgs.Services.GetRequiredService<IConversationEraser>().EraseAsync(new ErasureRequest { TenantId = "acme", Email = "bob@example.com", IncludePerson = true });

        result.Deleted.Should().Contain(new SalesforceRecordRef("Contact", exported.Person!.Id, RecordChange.Updated));
        orgs["acme"].Records("Contact").Should().BeEmpty();
        orgs["acme"].Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task A_person_the_SDK_did_not_create_is_kept()
    {
        using var orgs = new TenantOrgs("acme");
        var someoneElse = orgs["acme"].SeedUser("sales.rep@example.com");
        var existing = orgs["acme"].Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com", CreatedById = someoneElse });
        await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "c1", "ada@example.com"));

        var result = await orgs.Services.GetRequiredService<IConversationEraser>().EraseAsync(new ErasureRequest { TenantId = "acme", Email = "ada@example.com", IncludePerson = true });

        result.Deleted.Should().ContainSingle(r => r.ObjectType == "Task");
        orgs["acme"].Find("Contact", existing).Should().NotBeNull();
        result.Kept.Should().ContainSingle().Which.Should().Contain("not created by the SDK");
    }

    [Fact]
    public async Task Anonymize_keeps_the_records_without_what_identifies_the_person()
    {
        using var orgs = new TenantOrgs("acme");
        var exported = await orgs.Exporter.ExportAsync(TenantOrgs.Chat("acme", "c1", "cy@example.com"));

        var result = await orgs.Services.GetRequiredService<IConversationEraser>().EraseAsync(new ErasureRequest { TenantId = "acme", Email = "cy@example.com", IncludePerson = true, Mode = ErasureMode.Anonymize });

        result.Anonymized.Select(r => r.ObjectType).Should().BeEquivalentTo(["Task", "Contact"]);
        var contact = orgs["acme"].Find("Contact", exported.Person!.Id)!;
        contact.Text("LastName").Should().Be("Erased");
        contact.Text("Email").Should().BeNull();
        orgs["acme"].Find("Task", exported.Activity!.Id)!.Text("Description").Should().Be("Erased on request.");
    }

    private static Conversation WithFile(Conversation c) => new()
    {
        Id = c.Id, TenantId = c.TenantId, StartedAt = c.StartedAt, EndedAt = c.EndedAt, Visitor = c.Visitor, Messages = c.Messages,
        Attachments = [new ChatAttachment { FileName = "invoice.pdf", ContentType = "application/pdf", Content = new byte[] { 1, 2, 3 } }],
    };
}
