using ChatToSalesforce.IntegrationTests.Infrastructure;
using ChatToSalesforce.Ownership;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Recipes;

/// <summary>docs/recipes.md, "Mongoose Chat": Contact + Task, filtered on a captured custom field, owner = default owner or agent.</summary>
public sealed class MongooseChatRecipeTests
{
    private static readonly Dictionary<string, string?> FutureStudent = new() { ["Student Type"] = "Future Student" };

    private string _defaultOwner = null!;
    private string _agent = null!;

    // The recipe's configuration; the seed runs before the options are built, so the seeded ids can be used.
    private EmulatorHost Host(IList<OwnerStrategy>? strategies = null, Action<SalesforceEmulator>? seed = null, EmulatorField? studentTypeField = null) => EmulatorHost.Create(
        o =>
        {
            o.Mode = ExportMode.ContactAndTask;
            o.Identity.RequiredSources = ["visitor.firstName", "visitor.lastName", "visitor.email"];
            o.FieldMappings.Add(new FieldMapping { Source = "custom:Student Type", Target = "Contact.Mongoose_Student_Type__c" });
            o.Filters.Add(new ExportCondition { Source = "custom:Student Type", Equals = "Future Student" });
            o.OwnerStrategies = strategies ?? [OwnerStrategy.DefaultOwner];
            o.DefaultOwnerId = _defaultOwner;
        },
        e =>
        {
            e.DefineField("Contact", studentTypeField ?? new EmulatorField { Name = "Mongoose_Student_Type__c", Label = "Student Type", Length = 80 });
            _defaultOwner = e.SeedUser("admissions@university.edu");
            _agent = e.SeedUser("dana.agent@university.edu");
            seed?.Invoke(e);
        });

    [Fact]
    public async Task FutureStudent_NewVisitor_CreatesContactWithStudentTypeAndTask_OwnedByDefaultOwner_InTwoCalls()
    {
        await using var host = Host();
        var before = host.Emulator.ApiCallsUsed;

        var result = await host.Exporter.ExportAsync(Chats.New(custom: FutureStudent, agentEmail: "dana.agent@university.edu"));

        result.Status.Should().Be(ExportStatus.Exported, result.SkipReason);
        result.ApiCalls.Should().Be(2);
        (host.Emulator.ApiCallsUsed - before).Should().Be(2);
        result.OwnerId.Should().Be(_defaultOwner);
        var contact = host.Emulator.Records("Contact").Should().ContainSingle().Subject;
        contact.Text("Id").Should().Be(result.Person!.Id);
        contact.Text("FirstName").Should().Be("Ada");
        contact.Text("LastName").Should().Be("Lovelace");
        contact.Text("Email").Should().Be("ada@example.com");
        contact.Text("Mongoose_Student_Type__c").Should().Be("Future Student");
        contact.Text("OwnerId").Should().Be(_defaultOwner);
        var task = host.Emulator.Records("Task").Should().ContainSingle().Subject;
        task.Text("WhoId").Should().Be(contact.Text("Id"));
        task.Text("OwnerId").Should().Be(_defaultOwner);
        task.Text("Status").Should().Be("Completed");
        task.Text("Description").Should().Contain("Student Type: Future Student");
    }

    [Fact]
    public async Task OwnerIdSet_WriteCarriesSforceAutoAssignFalse()
    {
        await using var host = Host();

        await host.Exporter.ExportAsync(Chats.New(custom: FutureStudent));

        var write = host.Emulator.Composites().Last();
        write.Subrequests.Where(s => s.Method is "POST" or "PATCH").Should().OnlyContain(s => s.AutoAssign == "FALSE");
    }

    [Theory]
    [InlineData("Current Student")]
    [InlineData("Alumni")]
    [InlineData("")]
    public async Task OtherStudentType_IsSkippedWithTheFilterReason_AndCostsNoCall(string studentType)
    {
        await using var host = Host();
        var before = host.Emulator.ApiCallsUsed;

        var result = await host.Exporter.ExportAsync(Chats.New(custom: new Dictionary<string, string?> { ["Student Type"] = studentType }));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("Filters[0]").And.Contain("custom:Student Type");
        result.ApiCalls.Should().Be(0);
        (host.Emulator.ApiCallsUsed - before).Should().Be(0);
        host.Emulator.Records("Contact").Should().BeEmpty();
        host.Emulator.Records("Task").Should().BeEmpty();
    }

    [Fact]
    public async Task StudentTypeFilter_IgnoresCaseAndSurroundingSpaces()
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New(custom: new Dictionary<string, string?> { ["Student Type"] = " future student " }));

        result.Status.Should().Be(ExportStatus.Exported);
    }

    [Fact]
    public async Task NoStudentType_IsSkipped()
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New());

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain("Filters[0]");
        host.Emulator.ApiCallsUsed.Should().Be(0);
    }

    [Theory]
    [InlineData(null, "Lovelace", "ada@example.com", "visitor.firstName")]
    [InlineData("Ada", null, "ada@example.com", "visitor.lastName")]
    [InlineData("Ada", "Lovelace", null, "visitor.email")]
    public async Task RequiredSources_MissingFirstLastOrEmail_IsSkippedWithTheSource_AndCostsNoCall(string? first, string? last, string? email, string missing)
    {
        await using var host = Host();

        var result = await host.Exporter.ExportAsync(Chats.New(custom: FutureStudent, visitor: new ChatVisitor { FirstName = first, LastName = last, Email = email }));

        result.Status.Should().Be(ExportStatus.Skipped);
        result.SkipReason.Should().Contain(missing).And.Contain("Identity.RequiredSources");
        result.ApiCalls.Should().Be(0);
        host.Emulator.ApiCallsUsed.Should().Be(0);
        host.Emulator.Records("Contact").Should().BeEmpty();
    }

    [Fact]
    public async Task AgentVariant_AgentEmailMatchesActiveUser_ThatUserOwnsContactAndTask()
    {
        await using var host = Host([OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner]);

        var result = await host.Exporter.ExportAsync(Chats.New(custom: FutureStudent, agentEmail: "Dana.Agent@University.edu"));

        result.ApiCalls.Should().Be(2);
        result.OwnerId.Should().Be(_agent);
        host.Emulator.Get("Contact", result.Person!.Id).Text("OwnerId").Should().Be(_agent);
        host.Emulator.Get("Task", result.Activity!.Id).Text("OwnerId").Should().Be(_agent);
        host.Emulator.Composites().Last().Subrequests.Where(s => s.Method is "POST" or "PATCH").Should().NotBeEmpty().And.OnlyContain(s => s.AutoAssign == "FALSE");
    }

    [Fact]
    public async Task AgentVariant_NoAgent_DefaultOwnerOwnsContactAndTask()
    {
        await using var host = Host([OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner]);

        var result = await host.Exporter.ExportAsync(Chats.New(custom: FutureStudent));

        result.OwnerId.Should().Be(_defaultOwner);
        host.Emulator.Get("Contact", result.Person!.Id).Text("OwnerId").Should().Be(_defaultOwner);
        host.Emulator.Get("Task", result.Activity!.Id).Text("OwnerId").Should().Be(_defaultOwner);
    }

    [Fact]
    public async Task AgentVariant_UnknownAgent_FallsBackToDefaultOwner()
    {
        await using var host = Host([OwnerStrategy.AgentUser, OwnerStrategy.DefaultOwner]);

        var result = await host.Exporter.ExportAsync(Chats.New(custom: FutureStudent, agentEmail: "nobody@university.edu"));

        result.OwnerId.Should().Be(_defaultOwner);
        host.Emulator.Get("Task", result.Activity!.Id).Text("OwnerId").Should().Be(_defaultOwner);
    }

    [Fact]
    public async Task ExistingContact_FillsTheBlankStudentType_KeepsItsOwner_WarmExportCostsTwoCalls()
    {
        string existing = null!;
        string otherOwner = null!;
        await using var host = Host(seed: e =>
        {
            otherOwner = e.SeedUser("counsellor@university.edu");
            existing = e.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", OwnerId = otherOwner });
        });
        await host.Exporter.ExportAsync(Chats.New(id: "warm-up", custom: FutureStudent, visitor: new ChatVisitor { FirstName = "Bea", LastName = "Warm", Email = "bea@example.com" }));
        var before = host.Emulator.ApiCallsUsed;

        var result = await host.Exporter.ExportAsync(Chats.New(custom: FutureStudent));

        result.ApiCalls.Should().Be(2);
        (host.Emulator.ApiCallsUsed - before).Should().Be(2);
        result.Person.Should().Be(new SalesforceRecordRef("Contact", existing, RecordChange.Updated));
        var contact = host.Emulator.Get("Contact", existing);
        contact.Text("Mongoose_Student_Type__c").Should().Be("Future Student");
        contact.Text("OwnerId").Should().Be(otherOwner);
        host.Emulator.Get("Task", result.Activity!.Id).Text("WhoId").Should().Be(existing);
        host.Emulator.Records("Contact").Should().HaveCount(2);
    }

    [Fact]
    public async Task RestrictedPicklist_ValueIsWrittenInTheOrgsSpelling()
    {
        await using var host = Host(studentTypeField: new EmulatorField
        {
            Name = "Mongoose_Student_Type__c", Type = EmulatorFieldType.Picklist, RestrictedPicklist = true, PicklistValues = ["Future Student", "Current Student"],
        });

        var result = await host.Exporter.ExportAsync(Chats.New(custom: new Dictionary<string, string?> { ["Student Type"] = "future STUDENT" }));

        result.Status.Should().Be(ExportStatus.Exported);
        host.Emulator.Get("Contact", result.Person!.Id).Text("Mongoose_Student_Type__c").Should().Be("Future Student");
        result.Warnings.Should().BeEmpty();
    }
}
