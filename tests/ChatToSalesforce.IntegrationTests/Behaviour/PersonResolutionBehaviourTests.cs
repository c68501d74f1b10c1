using ChatToSalesforce.Identity;
using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Behaviour;

/// <summary>DESIGN.md section 5: converted leads, duplicate rules, several matches, inactive owners.</summary>
public sealed class PersonResolutionBehaviourTests
{
    [Fact]
    public async Task ConvertedLead_TaskIsLinkedToTheConvertedContact_AndTheLeadIsNotUpdated()
    {
        string contact = null!;
        string lead = null!;
        await using var host = EmulatorHost.Create(o => o.Mode = ExportMode.LeadAndTask, e =>
        {
            contact = e.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com" });
            lead = e.Insert("Lead", new { LastName = "Lovelace", Email = "ada@example.com", Company = "Engines", IsConverted = true, ConvertedContactId = contact });
        });
        var storedLead = host.Emulator.Get("Lead", lead).ToJsonString();

        var result = await host.Exporter.ExportAsync(Chats.New(phone: "555-0100"));

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person!.ObjectType.Should().Be("Contact");
        result.Person.Id.Should().Be(contact);
        host.Emulator.Get("Task", result.Activity!.Id).Text("WhoId").Should().Be(contact);
        host.Emulator.Get("Lead", lead).ToJsonString().Should().Be(storedLead);
        host.Emulator.Records("Lead").Should().ContainSingle();
        host.Emulator.Records("Contact").Should().ContainSingle();
        host.Emulator.RequestLog.Should().NotContain(r => r.ErrorCode == "CANNOT_UPDATE_CONVERTED_LEAD");
    }

    [Fact]
    public async Task DuplicateRuleBlocksTheCreate_ExportLinksToTheMatchedRecord_WithWarning()
    {
        string existing = null!;
        await using var host = EmulatorHost.Create(seed: e =>
        {
            // The SDK searches by email; the org's duplicate rule matches on phone, which the SDK does not search.
            e.AddDuplicateRule("Contact", DuplicateRuleAction.Block, "Phone");
            existing = e.Insert("Contact", new { LastName = "Lovelace", Email = "ada.old@example.com", Phone = "555-0100" });
        });

        var result = await host.Exporter.ExportAsync(Chats.New(phone: "555-0100"));

        result.Status.Should().Be(ExportStatus.Exported);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", existing, RecordChange.Unchanged));
        result.Warnings.Should().Contain("Salesforce duplicate rules matched an existing Contact; the transcript was linked to it.");
        result.ApiCalls.Should().Be(3);
        host.Emulator.ApiCallsUsed.Should().Be(3);
        host.Emulator.Records("Contact").Should().ContainSingle();
        host.Emulator.Records("Task").Should().ContainSingle().Which.Text("WhoId").Should().Be(existing);
        host.Emulator.RequestLog.Should().Contain(r => r.Subrequests.Any(s => s.StatusCode == 400));
    }

    private static async Task<(EmulatorHost Host, string Older, string Newer)> TwoContactsWithTheSameEmailAsync(MultipleMatchPolicy policy)
    {
        var clock = new ManualClock();
        string older = null!;
        string newer = null!;
        var host = EmulatorHost.Create(o => o.Identity.MultipleMatches = policy, e =>
        {
            older = e.Insert("Contact", new { LastName = "Lovelace", Email = "ada@example.com" });
            clock.Advance(TimeSpan.FromMinutes(1));
            newer = e.Insert("Contact", new { LastName = "Lovelace", Email = "ADA@example.com" });
        }, emulatorOptions: new SalesforceEmulatorOptions { TimeProvider = clock });
        await Task.CompletedTask;
        return (host, older, newer);
    }

    [Fact]
    public async Task SeveralMatches_MostRecentlyModifiedByDefault_PicksTheNewer()
    {
        var (host, _, newer) = await TwoContactsWithTheSameEmailAsync(MultipleMatchPolicy.MostRecentlyModified);
        await using var _host = host;

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Person!.Id.Should().Be(newer);
        host.Emulator.Records("Task").Should().ContainSingle().Which.Text("WhoId").Should().Be(newer);
        host.Emulator.Records("Contact").Should().HaveCount(2);
    }

    [Fact]
    public async Task SeveralMatches_Oldest_PicksTheFirstCreated()
    {
        var (host, older, newer) = await TwoContactsWithTheSameEmailAsync(MultipleMatchPolicy.Oldest);
        await using var _host = host;

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Person!.Id.Should().Be(older);
        result.Person.Id.Should().NotBe(newer);
    }

    [Fact]
    public async Task SeveralMatches_Skip_IsSkippedWithTheReason_AndWritesNothing()
    {
        var (host, _, _) = await TwoContactsWithTheSameEmailAsync(MultipleMatchPolicy.Skip);
        await using var _host = host;

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Be("2 Contact records match identification rule 0 (Email); Identity.MultipleMatches is Skip.");
        result.ApiCalls.Should().Be(1);
        host.Emulator.Records("Task").Should().BeEmpty();
        host.Emulator.Records("Contact").Should().HaveCount(2);
    }

    [Fact]
    public async Task InactiveDefaultOwner_IsRejected_FallsBackToTheConnectingUser_WithWarning()
    {
        string inactive = null!;
        await using var host = EmulatorHost.Create(o => o.DefaultOwnerId = inactive, e => inactive = e.SeedUser("gone@acme.example", active: false));

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Exported);
        result.OwnerId.Should().BeNull();
        result.Warnings.Should().Contain(w => w.Contains("INACTIVE_OWNER_OR_USER", StringComparison.Ordinal) && w.Contains("ConnectingUser", StringComparison.Ordinal));
        result.ApiCalls.Should().Be(3);
        host.Emulator.RequestLog.Should().Contain(r => r.Subrequests.Any(s => s.StatusCode == 400));
        host.Emulator.Records("Contact").Should().ContainSingle().Which.Text("OwnerId").Should().Be(host.Emulator.IntegrationUserId);
        host.Emulator.Records("Task").Should().ContainSingle().Which.Text("OwnerId").Should().Be(host.Emulator.IntegrationUserId);
    }

    [Fact]
    public async Task InactiveAgentUser_IsNotChosen_DefaultOwnerOwns()
    {
        string defaultOwner = null!;
        await using var host = EmulatorHost.Create(o => o.DefaultOwnerId = defaultOwner, e =>
        {
            e.SeedUser("left@acme.example", active: false);
            defaultOwner = e.SeedUser("queue.owner@acme.example");
        });

        var result = await host.Exporter.ExportAsync(Chats.New(agentEmail: "left@acme.example"));

        result.OwnerId.Should().Be(defaultOwner);
        result.ApiCalls.Should().Be(2);
        host.Emulator.Records("Task").Should().ContainSingle().Which.Text("OwnerId").Should().Be(defaultOwner);
    }
}
