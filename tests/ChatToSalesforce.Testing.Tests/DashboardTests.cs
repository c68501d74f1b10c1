using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Issue 12 item 1: the served emulator's dashboard page and its JSON API.</summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private const string Transcript = "Visitor: my order #123 never arrived\nAgent: I'm sorry, let me check.";
    private SalesforceEmulator _emulator = null!;
    private HttpClient _http = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        _emulator = new SalesforceEmulator();
        _baseUrl = await _emulator.StartServerAsync();
        _http = new HttpClient { BaseAddress = _baseUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private async Task<JsonObject> Get(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return (JsonObject)JsonNode.Parse(text)!;
    }

    private async Task<HttpResponseMessage> Post(string path, object body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, contentType),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>A contact with a Task (the transcript), a Case, an Event, a file and a campaign membership.</summary>
    private (string ContactId, string TaskId) SeedConversation()
    {
        var account = _emulator.Insert("Account", new { Name = "Acme" });
        var contact = _emulator.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", AccountId = account });
        _emulator.Insert("Contact", new { LastName = "Hopper", Email = "grace@example.com" });
        var task = _emulator.Insert("Task", new { Subject = "Chat: order missing", WhoId = contact, Status = "Completed", Description = Transcript });
        _emulator.Insert("Case", new { Subject = "Order #123", ContactId = contact, Status = "New" });
        _emulator.Insert("Event", new { Subject = "Call back", WhoId = contact, StartDateTime = "2026-11-02T10:00:00Z", DurationInMinutes = 30 });
        _emulator.Insert("ContentVersion", new { Title = "chat-transcript", PathOnClient = "chat-transcript.txt", VersionData = Convert.ToBase64String(Encoding.UTF8.GetBytes(Transcript)), FirstPublishLocationId = contact });
        var campaign = _emulator.Insert("Campaign", new { Name = "Spring webinar" });
        _emulator.Insert("CampaignMember", new { CampaignId = campaign, ContactId = contact });
        return (contact, task);
    }

    [Fact]
    public async Task The_page_at_the_root_is_embedded_html_with_a_strict_content_security_policy()
    {
        using var response = await _http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("<main").And.Contain("<nav").And.Contain("lang=\"en\"").And.Contain("/_emulator/dashboard.js");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'").And.NotContain("unsafe");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/_emulator/dashboard.css", "text/css")]
    [InlineData("/_emulator/dashboard.js", "text/javascript")]
    public async Task Assets_come_from_the_assembly_and_load_nothing_from_the_network(string path, string mediaType)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
        text.Should().NotContainAny("http://", "https://", "//cdn", "@import");
    }

    [Fact]
    public async Task The_script_never_writes_html_from_data()
    {
        var script = await _http.GetStringAsync("/_emulator/dashboard.js");

        script.Should().NotContainAny("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function");
    }

    [Fact]
    public async Task Dashboard_requests_need_no_token_and_are_neither_counted_nor_logged()
    {
        SeedConversation();

        await Get("/_emulator/api/summary");
        await Get("/_emulator/api/records?object=Contact");
        await Get("/_emulator/api/requests");
        await _http.GetStringAsync("/");

        _emulator.ApiCallsUsed.Should().Be(0);
        _emulator.RequestLog.Should().BeEmpty();
    }

    [Fact]
    public async Task The_dashboard_is_only_served_over_http_not_in_process()
    {
        using var http = new HttpClient(_emulator.CreateHandler()) { BaseAddress = new Uri("https://emulator.my.salesforce.com") };

        using var response = await http.GetAsync("/_emulator/api/summary");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Summary_lists_objects_with_record_counts_and_api_usage()
    {
        SeedConversation();
        _emulator.DailyApiLimit = 500;

        var summary = await Get("/_emulator/api/summary");

        var objects = summary["objects"]!.AsArray().Select(o => o!.AsObject()).ToDictionary(o => (string)o["name"]!, o => (int)o["count"]!);
        objects["Contact"].Should().Be(2);
        objects["Task"].Should().Be(1);
        objects["ContentDocumentLink"].Should().Be(1);
        objects["Lead"].Should().Be(0);
        ((long)summary["apiCalls"]!["limit"]!).Should().Be(500);
        ((long)summary["apiCalls"]!["used"]!).Should().Be(0);
        ((string)summary["organizationId"]!).Should().Be(_emulator.OrganizationId);
    }

    [Fact]
    public async Task Record_lists_search_every_field_case_insensitively_newest_first()
    {
        SeedConversation();

        var all = await Get("/_emulator/api/records?object=contact");
        var found = await Get("/_emulator/api/records?object=Contact&search=ADA%40EXAMPLE");
        var none = await Get("/_emulator/api/records?object=Contact&search=nobody");

        ((int)all["total"]!).Should().Be(2);
        all["records"]!.AsArray().Select(r => (string)r!["name"]!).Should().Equal("Hopper", "Ada Lovelace");
        all["columns"]!.AsArray().Select(c => (string)c!["name"]!).Should().Contain("Email");
        ((int)found["matched"]!).Should().Be(1);
        ((string)found["records"]![0]!["values"]!["Email"]!).Should().Be("ada@example.com");
        ((int)none["matched"]!).Should().Be(0);
    }

    [Fact]
    public async Task A_record_page_shows_its_fields_and_the_tasks_cases_events_files_and_campaign_members_pointing_to_it()
    {
        var (contact, task) = SeedConversation();

        var page = await Get("/_emulator/api/record?id=" + contact);

        ((string)page["name"]!).Should().Be("Ada Lovelace");
        var fields = page["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => f!.AsObject());
        ((string)fields["Email"]["value"]!).Should().Be("ada@example.com");
        ((string)fields["AccountId"]["reference"]!["name"]!).Should().Be("Acme");
        var related = page["related"]!.AsArray().Select(g => g!.AsObject()).ToList();
        related.Select(g => (string)g["object"]!).Should().ContainInOrder("Task", "Event", "Case", "ContentDocumentLink", "CampaignMember");
        var tasks = related.First(g => (string)g["object"]! == "Task");
        ((string)tasks["field"]!).Should().Be("WhoId");
        ((string)tasks["records"]![0]!["id"]!).Should().Be(task);
        ((string)tasks["records"]![0]!["detail"]!).Should().Be(Transcript);
        ((string)related.First(g => (string)g["object"]! == "ContentDocumentLink")["records"]![0]!["name"]!).Should().Be("chat-transcript");
        ((string)related.First(g => (string)g["object"]! == "CampaignMember")["records"]![0]!["name"]!).Should().Be("Ada Lovelace");
    }

    [Fact]
    public async Task A_text_file_shows_its_content()
    {
        SeedConversation();
        var version = _emulator.Records("ContentVersion").Single();

        var page = await Get("/_emulator/api/record?id=" + (string)version["Id"]!);

        ((string)page["preview"]!).Should().Be(Transcript);
    }

    [Fact]
    public async Task Unknown_records_objects_and_pages_answer_404_and_bad_input_400()
    {
        (await _http.GetAsync("/_emulator/api/record?id=003000000000000AAA")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _http.GetAsync("/_emulator/api/records?object=Nope__c")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _http.GetAsync("/_emulator/api/records")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await _http.GetAsync("/_emulator/nothing-here")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _http.GetAsync("/_emulator/api/reset")).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        using var badJson = await _http.PostAsync("/_emulator/api/latency", new StringContent("{nope", Encoding.UTF8, "application/json"));
        badJson.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var outOfRange = await Post("/_emulator/api/latency", new { milliseconds = 999_999 });
        outOfRange.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var badCode = await Post("/_emulator/api/faults", new { statusCode = 503, errorCode = "<script>" });
        badCode.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        _emulator.Faults.Pending.Should().Be(0);
    }

    [Fact]
    public async Task The_request_log_shows_status_api_calls_latency_and_injected_faults_with_secrets_redacted()
    {
        var token = _emulator.IssueAccessToken();
        using var fault = await Post("/_emulator/api/faults", new { statusCode = 503, errorCode = "SERVER_UNAVAILABLE", pathContains = "/query", times = 1 });
        fault.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var api = new HttpClient { BaseAddress = _baseUrl })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await api.GetAsync("/services/data/v62.0/query?q=SELECT+Id+FROM+Contact")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await api.GetAsync("/services/data/v62.0/query?q=SELECT+Id+FROM+Contact")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await api.PostAsync("/services/oauth2/token?grant_type=client_credentials&client_id=chat2sf&client_secret=chat2sf", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var text = await _http.GetStringAsync("/_emulator/api/requests");
        var log = JsonNode.Parse(text)!["requests"]!.AsArray().Select(r => r!.AsObject()).ToList();

        text.Should().NotContain(token).And.NotContain("client_secret=chat2sf");
        log.Should().HaveCount(3);
        var (tokenRequest, ok, failed) = (log[0], log[1], log[2]);
        ((string)tokenRequest["path"]!).Should().Contain("client_secret=(redacted)");
        ((bool)tokenRequest["apiCall"]!).Should().BeFalse();
        ((int)failed["status"]!).Should().Be(503);
        ((bool)failed["faultInjected"]!).Should().BeTrue();
        ((string)failed["errorCode"]!).Should().Be("SERVER_UNAVAILABLE");
        ((int)ok["status"]!).Should().Be(200);
        ((bool)ok["apiCall"]!).Should().BeTrue();
        ((bool)ok["faultInjected"]!).Should().BeFalse();
        ((string)ok["headers"]!["Authorization"]!).Should().Be("(redacted)");
        ((double)ok["latencyMilliseconds"]!).Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Latency_faults_and_reset_are_controlled_from_the_page()
    {
        _emulator.IssueAccessToken();
        _emulator.Insert("Contact", new { LastName = "Lee" });
        using (var api = new HttpClient { BaseAddress = _baseUrl })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _emulator.IssueAccessToken());
            await api.GetAsync("/services/data/v62.0/limits");
        }

        using var latency = await Post("/_emulator/api/latency", new { milliseconds = 250 });
        latency.StatusCode.Should().Be(HttpStatusCode.OK);
        _emulator.Latency.Should().Be(TimeSpan.FromMilliseconds(250));
        using var fault = await Post("/_emulator/api/faults", new { statusCode = 500, errorCode = "UNKNOWN_EXCEPTION", method = "post", times = 3 });
        var summary = JsonNode.Parse(await fault.Content.ReadAsStringAsync())!;
        ((int)summary["faults"]![0]!["remaining"]!).Should().Be(3);
        ((string)summary["faults"]![0]!["method"]!).Should().Be("POST");
        _emulator.Faults.Pending.Should().Be(3);
        _emulator.ApiCallsUsed.Should().Be(1);

        using var reset = await Post("/_emulator/api/reset", new { });

        reset.StatusCode.Should().Be(HttpStatusCode.OK);
        _emulator.Latency.Should().Be(TimeSpan.Zero);
        _emulator.Faults.Pending.Should().Be(0);
        _emulator.ApiCallsUsed.Should().Be(0);
        _emulator.RequestLog.Should().BeEmpty();
        _emulator.Records("Contact").Should().ContainSingle("reset keeps the records");
    }

    [Theory]
    [InlineData("text/plain", null, null, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded", null, null, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "http://attacker.example", null, HttpStatusCode.Forbidden)]
    [InlineData("application/json", "null", null, HttpStatusCode.Forbidden)]
    [InlineData("application/json", null, "cross-site", HttpStatusCode.Forbidden)]
    [InlineData("application/json", "http://localhost:{port}", "same-origin", HttpStatusCode.OK)]
    public async Task Changes_are_accepted_only_as_json_from_the_page_itself(string contentType, string? origin, string? fetchSite, HttpStatusCode expected)
    {
        var headers = new List<(string, string)>();
        if (origin is not null)
        {
            headers.Add(("Origin", origin.Replace("{port}", _baseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        }

        if (fetchSite is not null)
        {
            headers.Add(("Sec-Fetch-Site", fetchSite));
        }

        using var response = await Post("/_emulator/api/faults", new { statusCode = 503, errorCode = "SERVER_UNAVAILABLE" }, contentType, [.. headers]);

        response.StatusCode.Should().Be(expected);
        _emulator.Faults.Pending.Should().Be(expected == HttpStatusCode.OK ? 1 : 0);
    }

    [Fact]
    public async Task The_org_exports_as_a_seed_file_that_loads_back_into_the_same_org()
    {
        _emulator.DefineObject("Chat_Session__c", "Chat Session", [
            new EmulatorField { Name = "Key__c", ExternalId = true, Unique = true, Length = 64 },
            new EmulatorField { Name = "Contact__c", Type = EmulatorFieldType.Reference, ReferenceTo = ["Contact"] },
        ]);
        _emulator.DefineField("Contact", new EmulatorField { Name = "Visitor_Id__c", ExternalId = true, Unique = true, Length = 40 });
        _emulator.DefineField("Contact", new EmulatorField { Name = "Tier__c", Type = EmulatorFieldType.Picklist, PicklistValues = ["Gold", "Silver"], RestrictedPicklist = true });
        _emulator.AddDuplicateRule("Contact", DuplicateRuleAction.Alert, "Email");
        var agent = _emulator.Insert("User", new { Username = "agent@acme.example", Email = "agent@acme.example", LastName = "Agent" });
        var (contact, _) = SeedConversation();
        _emulator.Update(contact, new { OwnerId = agent, Visitor_Id__c = "v-1", Tier__c = "Gold" });
        _emulator.Insert("Chat_Session__c", new { Key__c = "s-1", Contact__c = contact });
        var former = _emulator.Insert("User", new { Username = "former@acme.example", Email = "former@acme.example", LastName = "Former" });
        _emulator.Insert("Lead", new { LastName = "Owned", Company = "Old Co", OwnerId = former });
        _emulator.Update(former, new { IsActive = false });
        var converted = _emulator.Insert("Lead", new { LastName = "Lovelace", Company = "Acme" });
        _emulator.Update(converted, new { IsConverted = true, ConvertedContactId = contact, ConvertedDate = "2026-11-02" });

        // A record that points at a record created after it: the file must hold the later one first.
        var child = _emulator.Insert("Account", new { Name = "Child" });
        var parent = _emulator.Insert("Account", new { Name = "Parent" });
        _emulator.Update(child, new { ParentId = parent });

        using var response = await _http.GetAsync("/_emulator/api/seed");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("emulator-seed.json");
        var seedText = await response.Content.ReadAsStringAsync();
        var path = Path.Combine(Path.GetTempPath(), $"dashboard-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, seedText);
        try
        {
            await using var reloaded = SalesforceEmulator.FromSeedFile(path);

            foreach (var type in new[] { "User", "Lead", "Account", "Contact", "Task", "Case", "Event", "ContentDocument", "ContentVersion", "ContentDocumentLink", "Campaign", "CampaignMember", "Chat_Session__c" })
            {
                var before = _emulator.Records(type);
                var after = reloaded.Records(type);
                after.Select(r => (string)r["Id"]!).Should().BeEquivalentTo(before.Select(r => (string)r["Id"]!), type);
                foreach (var record in before.Where(r => (string)r["Id"]! != _emulator.IntegrationUserId))
                {
                    var twin = after.Single(r => (string)r["Id"]! == (string)record["Id"]!);
                    foreach (var field in new[] { "Name", "Email", "OwnerId", "AccountId", "ParentId", "WhoId", "Description", "Subject", "ContentDocumentId", "LinkedEntityId", "Contact__c", "Key__c", "Visitor_Id__c", "Tier__c", "CreatedDate", "Title", "ContentSize", "Checksum", "IsActive", "Company", "IsConverted", "ConvertedContactId", "ConvertedDate" })
                    {
                        if (record.ContainsKey(field))
                        {
                            twin[field]?.ToJsonString().Should().Be(record[field]?.ToJsonString(), $"{type}.{field}");
                        }
                    }
                }
            }

            // New records do not take ids the seed used, and the rules came along.
            var fresh = reloaded.Insert("Contact", new { LastName = "New", Visitor_Id__c = "v-2" });
            _emulator.Records("Contact").Select(r => (string)r["Id"]!).Should().NotContain(fresh);
            FluentActions.Invoking(() => reloaded.Insert("Contact", new { LastName = "Again", Visitor_Id__c = "v-1" })).Should().Throw<InvalidOperationException>().WithMessage("DUPLICATE_VALUE*");
            seedText.Should().Contain("\"duplicateRules\"").And.NotContain("clientSecret");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
