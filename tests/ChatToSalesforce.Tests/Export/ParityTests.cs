using System.Text.Json.Nodes;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Testing;
using static ChatToSalesforce.Tests.Export.PipelineHost;

namespace ChatToSalesforce.Tests.Export;

/// <summary>
/// One table of scenarios, exported once one by one (<c>ExportAsync</c>) and once as a batch (<c>ExportManyAsync</c>) into
/// two fresh, identically seeded orgs: the org state (records and links) and the results must be the same.
/// </summary>
public sealed class ParityTests
{
    private static readonly Dictionary<string, string[]> ComparedFields = new()
    {
        ["Contact"] = ["FirstName", "LastName", "Email", "Phone", "OwnerId", "AccountId"],
        ["Lead"] = ["FirstName", "LastName", "Email", "Company", "OwnerId", "IsConverted", "ConvertedContactId"],
        ["Task"] = ["Subject", "Status", "WhoId", "WhatId", "OwnerId", "Description", "ActivityDate"],
        ["Case"] = ["Subject", "Status", "Origin", "ContactId", "SuppliedEmail", "OwnerId", "Description"],
        ["CampaignMember"] = ["CampaignId", "ContactId", "LeadId", "Status"],
        ["ContentVersion"] = ["Title", "PathOnClient", "FirstPublishLocationId", "ContentSize"],
    };

    public static TheoryData<string> Scenarios => new(ScenarioTable.Keys);

    private static readonly Dictionary<string, Scenario> ScenarioTable = new Scenario[]
    {
        new("new visitor", _ => { }, (_, _) => { }, [Conversation("n1", "new@example.com")]),
        new("existing contact", e => e.Insert("Contact", new { LastName = "Visitor", Email = "known@example.com" }), (_, _) => { }, [Conversation("e1", "known@example.com")]),
        new("lead mode", _ => { }, (_, o) => o.Mode = ExportMode.LeadAndTask, [Conversation("l1", "lead@example.com")]),
        new("case mode", _ => { }, (_, o) => o.Mode = ExportMode.ContactAndCase, [Conversation("k1", "case@example.com")]),
        new(
            "campaign member",
            e => e.Insert("Campaign", new { Name = "Spring intake" }),
            (e, o) =>
            {
                o.CampaignId = e.Records("Campaign").Single().Id();
                o.CampaignMemberStatus = "Responded";
            },
            [Conversation("m1", "member@example.com"), Conversation("m2", "member2@example.com")]),
        new(
            "files",
            _ => { },
            (_, _) => { },
            [BatchExportTests.WithAttachments(
                Conversation("f1", "files@example.com"),
                new ChatAttachment { FileName = "a.txt", Content = "small"u8.ToArray() },
                new ChatAttachment { FileName = "big.bin", Content = new byte[600 * 1024] })]),
        new(
            "converted lead",
            e =>
            {
                var contact = e.Insert("Contact", new { FirstName = "Vera", LastName = "Visitor", Email = "converted@example.com" });
                e.Insert("Lead", new { LastName = "Visitor", Email = "converted@example.com", Company = "Acme", IsConverted = true, ConvertedContactId = contact });
            },
            (_, o) => o.Mode = ExportMode.LeadAndTask,
            [Conversation("cl1", "converted@example.com")]),
        new(
            "duplicate rule",
            e =>
            {
                e.AddDuplicateRule("Contact", DuplicateRuleAction.Block, "LastName");
                e.Insert("Contact", new { LastName = "Twin", Email = "other@example.com" });
            },
            (_, _) => { },
            [Conversation("d1", "twin@example.com", lastName: "Twin")]),
        new(
            "rejected owner",
            e => e.SeedUser("gone@acme.test", active: false),
            (e, o) => o.DefaultOwnerId = e.Records("User").Single(u => u.Text("Email") == "gone@acme.test").Id(),
            [Conversation("o1", "owned@example.com"), Conversation("o2", "owned2@example.com")]),
        new(
            "several matches with skip",
            e =>
            {
                e.Insert("Contact", new { LastName = "Visitor", Email = "twice@example.com" });
                e.Insert("Contact", new { LastName = "Visitor", Email = "twice@example.com" });
            },
            (_, o) => o.Identity.MultipleMatches = MultipleMatchPolicy.Skip,
            [Conversation("s1", "twice@example.com"), Conversation("s2", "single@example.com")]),
        new("missing last name", _ => { }, (_, _) => { }, [NoLastName("ln1", "nameless@example.com"), Conversation("ln2", "named@example.com")]),
        new("one new visitor twice", _ => { }, (_, _) => { }, [Conversation("t1", "again@example.com"), Conversation("t2", "again@example.com")]),
    }.ToDictionary(s => s.Name);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task One_by_one_and_as_a_batch_leave_the_same_org_and_report_the_same_results(string name)
    {
        var scenario = ScenarioTable[name];
        using var singleOrg = new SalesforceEmulator();
        using var batchOrg = new SalesforceEmulator();
        scenario.Seed(singleOrg);
        scenario.Seed(batchOrg);
        using var single = EmulatorExport.Create(singleOrg, o => scenario.Configure(singleOrg, o));
        using var batch = EmulatorExport.Create(batchOrg, o => scenario.Configure(batchOrg, o));

        var oneByOne = new List<ConversationExportResult>();
        foreach (var conversation in scenario.Conversations)
        {
            try
            {
                oneByOne.Add(await single.Exporter.ExportAsync(conversation));
            }
            catch (ChatToSalesforceException ex)
            {
                oneByOne.Add(ConversationExportResult.Failed(conversation.Id, ex));
            }
        }

        var together = await batch.Exporter.ExportManyAsync(scenario.Conversations).ToListAsync();

        together.Select(r => Describe(r, batchOrg)).Should().Equal(oneByOne.Select(r => Describe(r, singleOrg)));
        Snapshot(batchOrg).Should().Equal(Snapshot(singleOrg));
        singleOrg.UnexpectedErrors.Should().Be(0);
        batchOrg.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public void The_table_covers_every_outcome()
    {
        ScenarioTable.Should().HaveCountGreaterThanOrEqualTo(11);
    }

    private static Conversation NoLastName(string id, string email)
    {
        var c = Conversation(id, email);
        return new Conversation
        {
            Id = c.Id, Channel = c.Channel, StartedAt = c.StartedAt, EndedAt = c.EndedAt, Messages = c.Messages,
            Visitor = new ChatVisitor { Email = email },
        };
    }

    /// <summary>A result in terms that do not depend on record ids (which differ with the order records were created in).</summary>
    private static string Describe(ConversationExportResult r, SalesforceEmulator org) =>
        string.Join(
            " | ",
            r.ConversationId,
            r.Status,
            r.Person is null ? "-" : $"{r.Person.ObjectType} {Key(org, r.Person.Id)} {r.Person.Change}",
            r.Activity is null ? "-" : $"{r.Activity.ObjectType} {Key(org, r.Activity.Id)} {r.Activity.Change}",
            $"files {r.Files.Count}",
            r.OwnerId is null ? "owner -" : $"owner {Key(org, r.OwnerId)}",
            (r.Error as SalesforceApiException)?.ErrorCode ?? r.Error?.GetType().Name ?? "-",
            r.SkipReason ?? "-",
            string.Join("; ", r.Warnings.Order(StringComparer.Ordinal)));

    /// <summary>Every compared record as text, references replaced by what they point at.</summary>
    private static List<string> Snapshot(SalesforceEmulator org)
    {
        var lines = new List<string>();
        foreach (var (objectType, fields) in ComparedFields)
        {
            foreach (var record in org.Records(objectType))
            {
                lines.Add(objectType + " " + string.Join(", ", fields.Select(f => $"{f}={Value(org, record[f])}")));
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Value(SalesforceEmulator org, JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && text.Length is 15 or 18 && org.Records("User").Concat(Persons(org)).Any(r => r.Id() == text)
            ? Key(org, text)
            : node?.ToJsonString() ?? "null";

    private static IEnumerable<JsonObject> Persons(SalesforceEmulator org) =>
        new[] { "Contact", "Lead", "Task", "Case", "Campaign" }.SelectMany(org.Records);

    /// <summary>A record's identity that both orgs share: its type and its natural key.</summary>
    private static string Key(SalesforceEmulator org, string id)
    {
        foreach (var type in new[] { "User", "Contact", "Lead", "Task", "Case", "Campaign", "ContentVersion" })
        {
            if (org.Find(type, id) is { } record)
            {
                return type + ":" + (record.Text("Email") ?? record.Text("Subject") ?? record.Text("Name") ?? record.Text("PathOnClient") ?? "?") + ":" + record.Text("LastName");
            }
        }

        return "?" + id;
    }

    private sealed record Scenario(string Name, Action<SalesforceEmulator> Seed, Action<SalesforceEmulator, SalesforceChatExportOptions> Configure, Conversation[] Conversations);
}
