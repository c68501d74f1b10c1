using System.Text.Json.Nodes;
using ChatToSalesforce.Testing.Internal;

namespace ChatToSalesforce.Testing.Tests;

public sealed class SoqlTests
{
    [Fact]
    public async Task Relationship_paths_come_back_as_nested_records()
    {
        using var org = new Org();
        var owner = org.Emulator.Insert("User", new { Username = "agent@example.com", Email = "Agent@Example.com", LastName = "Agent" });
        var account = org.Emulator.Insert("Account", new { Name = "Acme" });
        org.Emulator.Insert("Contact", new { LastName = "Smith", Email = "ann@example.com", OwnerId = owner, AccountId = account });
        org.Emulator.Insert("Contact", new { LastName = "Jones", Email = "bob@example.com" });

        var reply = await org.Query("SELECT Id, Owner.Email, Account.Name FROM Contact WHERE Email = 'ANN@example.com'");

        reply.Status.Should().Be(200);
        var record = reply.Json!["records"]![0]!;
        ((string)record["Owner"]!["Email"]!).Should().Be("Agent@Example.com");
        ((string)record["Owner"]!["attributes"]!["type"]!).Should().Be("User");
        ((string)record["Account"]!["Name"]!).Should().Be("Acme");

        var noAccount = await org.Query("SELECT Account.Name FROM Contact WHERE LastName = 'Jones'");
        noAccount.Json!["records"]![0]!.AsObject().ContainsKey("Account").Should().BeTrue();
        noAccount.Json!["records"]![0]!["Account"].Should().BeNull();
    }

    [Fact]
    public async Task Ends_with_likes_joined_by_or_match_without_case_and_keep_escaped_wildcards_literal()
    {
        // The fast path for F LIKE '%a' OR F LIKE '%b' (the SDK's activity-marker lookup) must mean what the regex meant.
        using var org = new Org();
        org.Emulator.Insert("Contact", new { LastName = "Chat [CHAT c-1]" });
        org.Emulator.Insert("Contact", new { LastName = "Chat [chat c-22]" });
        org.Emulator.Insert("Contact", new { LastName = "Save 50%" });
        org.Emulator.Insert("Contact", new { LastName = "Save 50x" });

        (await org.Query(@"SELECT Id FROM Contact WHERE LastName LIKE '%[chat c-1]' OR LastName LIKE '%[chat c-22]' OR LastName LIKE '%[chat c-3]'")).Json!["totalSize"]!.GetValue<int>().Should().Be(2);
        (await org.Query(@"SELECT Id FROM Contact WHERE LastName LIKE '%50\%' OR LastName LIKE '%nothing'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1);
        (await org.Query(@"SELECT Id FROM Contact WHERE LastName LIKE '%50_' OR LastName LIKE '%nothing'")).Json!["totalSize"]!.GetValue<int>().Should().Be(2, "an unescaped _ is a wildcard, so this is no plain suffix");
    }

    [Fact]
    public async Task Ends_with_likes_see_records_created_updated_deleted_and_rolled_back_after_the_first_such_query()
    {
        // Ends-with LIKEs are answered from an index built by the first such query: every later write must reach it.
        using var org = new Org();
        var first = org.Emulator.Insert("Contact", new { LastName = "Chat [chat c-1]" });
        const string Soql = "SELECT Id FROM Contact WHERE LastName LIKE '%[chat c-1]' OR LastName LIKE '%[chat c-22]'";
        async Task<string[]> Matches() => [.. (await org.Query(Soql)).Json!["records"]!.AsArray().Select(r => (string)r!["Id"]!).Order()];

        (await Matches()).Should().Equal(first);
        (await org.Query("SELECT Id FROM Contact WHERE LastName LIKE '%C-1]'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1, "a single ends-with LIKE ignores case too");

        var created = (string)(await org.Post("/services/data/v62.0/sobjects/Contact", new { LastName = "Other [CHAT C-22]" })).Json!["id"]!;
        (await Matches()).Should().Equal(new[] { first, created }.Order());

        (await org.Patch($"/services/data/v62.0/sobjects/Contact/{first}", new { LastName = "Renamed" })).Status.Should().Be(204);
        (await Matches()).Should().Equal(created);

        (await org.Delete($"/services/data/v62.0/sobjects/Contact/{created}")).Status.Should().Be(204);
        (await Matches()).Should().BeEmpty();

        // A graph that fails is rolled back: its renamed record must not match, and the record it created must not exist.
        var graph = await org.Post("/services/data/v62.0/composite/graph", new
        {
            graphs = new[]
            {
                new
                {
                    graphId = "g1",
                    compositeRequest = new object[]
                    {
                        new { method = "PATCH", url = $"/services/data/v62.0/sobjects/Contact/{first}", referenceId = "rename", body = new { LastName = "Back [chat c-1]" } },
                        new { method = "POST", url = "/services/data/v62.0/sobjects/Contact", referenceId = "broken", body = new { FirstName = "No last name [chat c-22]" } },
                    },
                },
            },
        });
        graph.Json!["graphs"]![0]!["isSuccessful"]!.GetValue<bool>().Should().BeFalse();
        (await Matches()).Should().BeEmpty();
    }

    [Fact]
    public async Task Backslash_escapes_and_like_wildcards_follow_salesforce()
    {
        using var org = new Org();
        org.Emulator.Insert("Contact", new { LastName = "O'Brien", FirstName = "50%" });
        org.Emulator.Insert("Contact", new { LastName = "Back\\slash", FirstName = "Other" });

        (await org.Query(@"SELECT Id FROM Contact WHERE LastName = 'o\'brien'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1);
        (await org.Query(@"SELECT Id FROM Contact WHERE LastName = 'Back\\slash'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1);
        (await org.Query(@"SELECT Id FROM Contact WHERE FirstName LIKE '50\%'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1);
        (await org.Query(@"SELECT Id FROM Contact WHERE LastName LIKE 'o%'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1);
        (await org.Query(@"SELECT Id FROM Contact WHERE LastName LIKE '_ack%'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1);

        var bad = await org.Query(@"SELECT Id FROM Contact WHERE LastName = 'a\qb'");
        bad.Status.Should().Be(400);
        bad.ErrorCode.Should().Be("MALFORMED_QUERY");
        var unterminated = await org.Query("SELECT Id FROM Contact WHERE LastName = 'abc");
        unterminated.ErrorCode.Should().Be("MALFORMED_QUERY");
    }

    [Fact]
    public async Task In_lists_of_plain_and_escaped_literals_match_exactly_and_like_keeps_regex_characters_literal()
    {
        // Literals without escapes are read as one substring; their LIKE pattern is built only when a LIKE uses them.
        using var org = new Org();
        org.Emulator.Insert("Contact", new { LastName = "a.b@example.com" });
        org.Emulator.Insert("Contact", new { LastName = "axb@example.com" });
        org.Emulator.Insert("Contact", new { LastName = "o'neil@example.com" });
        org.Emulator.Insert("Contact", new { LastName = "50% (off)" });

        (await org.Query(@"SELECT Id FROM Contact WHERE LastName IN ('a.b@example.com', 'o\'neil@example.com', 'nobody@example.com')")).Json!["totalSize"]!.GetValue<int>().Should().Be(2);
        (await org.Query("SELECT Id FROM Contact WHERE LastName LIKE 'a.b%'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1, "a dot in a LIKE pattern is a dot, not any character");
        (await org.Query("SELECT Id FROM Contact WHERE LastName LIKE '50% (off)'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1, "parentheses are literal");
        (await org.Query("SELECT Id FROM Contact WHERE LastName LIKE '%(off)'")).Json!["totalSize"]!.GetValue<int>().Should().Be(1);
        (await org.Query("SELECT Id FROM Contact WHERE LastName IN ('a.b@example.com', 'abc")).ErrorCode.Should().Be("MALFORMED_QUERY");
    }

    [Fact]
    public async Task Where_supports_comparison_logic_null_booleans_and_dates()
    {
        using var org = new Org();
        var e = org.Emulator;
        e.Insert("Lead", new { LastName = "A", Company = "X", Email = "a@x.com", Rating = "Hot" });
        e.Insert("Lead", new { LastName = "B", Company = "Y", Rating = "Cold" });
        var converted = e.Insert("Lead", new { LastName = "C", Company = "Z", Email = "c@z.com" });
        e.Update(converted, new { IsConverted = true });
        e.Insert("Event", new { Subject = "Call", StartDateTime = "2026-03-01T10:00:00Z", DurationInMinutes = 30 });
        e.Insert("Event", new { Subject = "Demo", StartDateTime = "2026-05-01T10:00:00.000+0000", EndDateTime = "2026-05-01T11:00:00Z" });

        async Task<int> Count(string soql)
        {
            var reply = await org.Query(soql);
            reply.Status.Should().Be(200, reply.Text);
            return reply.Json!["totalSize"]!.GetValue<int>();
        }

        (await Count("SELECT Id FROM Lead WHERE IsConverted = false")).Should().Be(2);
        (await Count("SELECT Id FROM Lead WHERE Email = null")).Should().Be(1);
        (await Count("SELECT Id FROM Lead WHERE Email != null AND IsConverted = false")).Should().Be(1);
        (await Count("SELECT Id FROM Lead WHERE Rating IN ('hot', 'Cold')")).Should().Be(2);
        (await Count("SELECT Id FROM Lead WHERE Rating NOT IN ('Hot')")).Should().Be(2);
        (await Count("SELECT Id FROM Lead WHERE (Rating = 'Hot' OR Rating = 'Cold') AND NOT Company = 'X'")).Should().Be(1);
        (await Count("SELECT Id FROM Lead WHERE Company <> 'X'")).Should().Be(2);
        (await Count("SELECT Id FROM Event WHERE StartDateTime > 2026-04-01T00:00:00Z")).Should().Be(1);
        (await Count("SELECT Id FROM Event WHERE ActivityDate <= 2026-03-01")).Should().Be(1);
        (await Count("SELECT Id FROM Event WHERE DurationInMinutes >= 60")).Should().Be(1);

        var mixed = await org.Query("SELECT Id FROM Lead WHERE Company = 'X' AND Company = 'Y' OR Company = 'Z'");
        mixed.ErrorCode.Should().Be("MALFORMED_QUERY");
        var wrongType = await org.Query("SELECT Id FROM Lead WHERE IsConverted = 'true'");
        wrongType.ErrorCode.Should().Be("INVALID_QUERY_FILTER_OPERATOR");
    }

    [Fact]
    public async Task Order_by_limit_offset_and_count()
    {
        using var org = new Org();
        foreach (var (name, title) in new[] { ("b", "x"), ("a", (string?)null), ("c", "y") })
        {
            org.Emulator.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = name, ["Title"] = title });
        }

        static IEnumerable<string> Names(Reply r) => r.Json!["records"]!.AsArray().Select(x => (string)x!["LastName"]!);

        Names(await org.Query("SELECT LastName FROM Contact ORDER BY LastName DESC")).Should().Equal("c", "b", "a");
        Names(await org.Query("SELECT LastName FROM Contact ORDER BY Title ASC NULLS LAST")).Should().Equal("b", "c", "a");
        Names(await org.Query("SELECT LastName FROM Contact ORDER BY Title")).Should().Equal("a", "b", "c");
        Names(await org.Query("SELECT LastName FROM Contact ORDER BY LastName LIMIT 2 OFFSET 1")).Should().Equal("b", "c");

        var count = await org.Query("SELECT COUNT() FROM Contact WHERE LastName != 'a'");
        count.Json!["totalSize"]!.GetValue<int>().Should().Be(2);
        count.Json!["records"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Unknown_objects_fields_and_syntax_answer_salesforce_errors()
    {
        using var org = new Org();
        var type = await org.Query("SELECT Id FROM Bogus");
        type.Status.Should().Be(400);
        type.ErrorCode.Should().Be("INVALID_TYPE");
        type.Message.Should().Contain("sObject type 'Bogus' is not supported.");

        var field = await org.Query("SELECT Foo FROM Contact");
        field.ErrorCode.Should().Be("INVALID_FIELD");
        field.Message.Should().Contain("No such column 'Foo' on entity 'Contact'");

        foreach (var soql in new[] { "SELECT FROM Contact", "SELECT Id, FROM Contact", "SELECT Name FROM Contact GROUP BY LastName", "SELECT SUM(LastName) FROM Contact", "SELECT Id, (SELECT Id FROM Bogus__r) FROM Account", "SELECT Id FROM Contact WHERE", "DELETE FROM Contact", "SELECT Id, Id FROM Contact", "SELECT Id FROM Contact WHERE CreatedDate = THIS_FISCAL_YEAR", "SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS" })
        {
            var reply = await org.Query(soql);
            reply.Status.Should().Be(400, soql);
            reply.ErrorCode.Should().BeOneOf(["MALFORMED_QUERY", "INVALID_FIELD", "INVALID_TYPE"], soql);
        }

        org.Emulator.UnexpectedErrors.Should().Be(0);
    }

    [Fact]
    public async Task QueryAll_includes_deleted_records_and_query_does_not()
    {
        using var org = new Org();
        var id = org.Emulator.Insert("Contact", new { LastName = "Gone" });
        (await org.Delete($"/services/data/v62.0/sobjects/Contact/{id}")).Status.Should().Be(204);

        (await org.Query("SELECT Id FROM Contact")).Json!["totalSize"]!.GetValue<int>().Should().Be(0);
        var all = await org.Get("/services/data/v62.0/queryAll?q=" + Uri.EscapeDataString("SELECT Id, IsDeleted FROM Contact"));
        all.Json!["records"]![0]!["IsDeleted"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Paging_follows_next_records_url_and_honors_the_batch_size_header()
    {
        using var org = new Org();
        for (var i = 0; i < 450; i++)
        {
            org.Emulator.Insert("Contact", new { LastName = $"C{i:D3}" });
        }

        var seen = new List<string>();
        var page = await org.Query("SELECT LastName FROM Contact ORDER BY LastName", ("Sforce-Query-Options", "batchSize=200"));
        var pages = 1;
        while (true)
        {
            page.Json!["totalSize"]!.GetValue<int>().Should().Be(450);
            seen.AddRange(page.Json!["records"]!.AsArray().Select(r => (string)r!["LastName"]!));
            if (page.Json!["done"]!.GetValue<bool>())
            {
                page.Json!.AsObject().ContainsKey("nextRecordsUrl").Should().BeFalse();
                break;
            }

            page = await org.Get((string)page.Json!["nextRecordsUrl"]!);
            pages++;
        }

        pages.Should().Be(3);
        seen.Should().HaveCount(450).And.BeInAscendingOrder(StringComparer.Ordinal);
        (await org.Get("/services/data/v62.0/query/01gNOPE-200")).ErrorCode.Should().Be("INVALID_QUERY_LOCATOR");
    }

    [Fact]
    public void Lexer_unescapes_string_literals()
    {
        var tokens = SoqlEngine.Lex(@"SELECT Id FROM Contact WHERE Name = 'a\'b\\c\nd\te'");
        tokens.Single(t => t.Kind == TokenKind.String).Value.Should().Be("a'b\\c\nd\te");
        SoqlEngine.Lex("WHERE d = 2026-01-02 AND t > 2026-01-02T03:04:05Z").Select(t => t.Kind)
            .Should().Contain([TokenKind.Date, TokenKind.DateTime]);
    }

    [Fact]
    public async Task Polymorphic_relationships_use_the_name_entity()
    {
        using var org = new Org();
        var lead = org.Emulator.Insert("Lead", new { FirstName = "Ann", LastName = "Lee", Company = "C" });
        org.Emulator.Insert("Task", new { Subject = "Chat", WhoId = lead });

        var reply = await org.Query("SELECT Who.Name, Who.Type FROM Task");

        var who = reply.Json!["records"]![0]!["Who"]!;
        ((string)who["attributes"]!["type"]!).Should().Be("Name");
        ((string)who["attributes"]!["url"]!).Should().Contain("/sobjects/Lead/");
        ((string)who["Name"]!).Should().Be("Ann Lee");
        ((string)who["Type"]!).Should().Be("Lead");
    }

    [Fact]
    public async Task Content_document_link_queries_need_a_key_filter_as_in_salesforce()
    {
        using var org = new Org();
        var unfiltered = await org.Query("SELECT Id FROM ContentDocumentLink");
        unfiltered.ErrorCode.Should().Be("MALFORMED_QUERY");
        unfiltered.Message.Should().StartWith("Implementation restriction: ContentDocumentLink requires a filter");
        (await org.Query($"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{org.Emulator.IntegrationUserId}'")).Status.Should().Be(200);
    }

    [Fact]
    public async Task Custom_object_records_without_a_name_are_named_after_their_id()
    {
        using var org = new Org();
        org.Emulator.DefineObject("Chat_Session__c", new EmulatorField { Name = "Key__c", ExternalId = true });
        var created = await org.Post("/services/data/v62.0/sobjects/Chat_Session__c", new { Key__c = "k1" });
        created.Status.Should().Be(201);
        var id = (string)created.Json!["id"]!;
        id.Should().StartWith("a00");
        var row = await org.Query("SELECT Name FROM Chat_Session__c WHERE Key__c = 'K1'");
        ((string)row.Json!["records"]![0]!["Name"]!).Should().Be(id);
    }
}
