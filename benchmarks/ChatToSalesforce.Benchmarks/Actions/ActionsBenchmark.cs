using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatToSalesforce.Actions;
using ChatToSalesforce.Identity;
using ChatToSalesforce.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.Benchmarks.Actions;

/// <summary>
/// The API calls of the agent console's lookup and the chatbot actions (issue 15, "Performance"): lookup 1 call cold and
/// 0 warm; create or update 1; find 1 once the describe is cached and 0 within the cache window; the same for a SOQL
/// find. Each step runs once against the emulator with injected latency; the benchmark exits with code 1 if a step
/// spends other than its target.
/// </summary>
/// <remarks>Usage: <c>dotnet run -c Release --project benchmarks/ChatToSalesforce.Benchmarks -- actions [--latency-ms ms] [--json file]</c>.</remarks>
internal static class ActionsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var latencyMs = 20;
        string? jsonPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--latency-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                    latencyMs = ms;
                    i++;
                    break;
                case "--json" when i + 1 < args.Length:
                    jsonPath = args[++i];
                    break;
                default:
                    Console.Error.WriteLine("Usage: actions [--latency-ms <ms>] [--json <file>]");
                    return 2;
            }
        }

        // A warm-up pass without latency, not reported, so the measured pass pays no JIT compilation.
        await RunOnceAsync(0, print: false);
        var (ok, rows) = await RunOnceAsync(latencyMs, print: true);
        if (jsonPath is not null)
        {
            var json = new JsonObject { ["latencyMs"] = latencyMs, ["targetsMet"] = ok, ["steps"] = rows };
            await File.WriteAllTextAsync(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"Wrote {jsonPath}");
        }

        return ok ? 0 : 1;
    }

    private static async Task<(bool Ok, JsonArray Rows)> RunOnceAsync(int latencyMs, bool print)
    {
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { Latency = TimeSpan.FromMilliseconds(latencyMs), DailyApiLimit = 10_000_000 });
        emulator.DefineObject("Chat_Survey__c", new EmulatorField { Name = "Visitor_Key__c", ExternalId = true, Unique = true }, new EmulatorField { Name = "Topic__c" });
        var account = emulator.Insert("Account", new { Name = "Acme Corp" });
        emulator.Insert("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@acme.example", Title = "CTO", AccountId = account });
        emulator.Insert("Lead", new { LastName = "Hopper", Company = "Navy", Email = "grace@navy.example" });

        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = emulator.InstanceUrl;
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = emulator.IssueAccessToken();
            o.Identity.Precedence = PersonPrecedence.ContactThenLead;
        }).HttpClient.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
        await using var provider = services.BuildServiceProvider();
        var lookup = provider.GetRequiredService<IVisitorLookup>();
        var bot = provider.GetRequiredService<IChatbotActions>();
        var visitor = new VisitorLookupRequest { Email = "ada@acme.example", Fields = ["Contact.Title"] };
        var find = new FindRecordRequest { ObjectType = "Contact", Field = "Email", Value = "ada@acme.example", ReturnFields = ["Title", "Account.Name"] };
        var soql = new SoqlFindRequest { Template = BotSoqlTemplate.Parse("SELECT Id, Title FROM Contact WHERE Email = {!Visitor.Email}"), Values = new Dictionary<string, string?> { ["visitor.email"] = "ada@acme.example" } };
        Dictionary<string, string?> Survey(string topic) => new() { ["Visitor_Key__c"] = "v-1", ["Topic__c"] = topic };

        (string Step, int? Target, Func<Task> Run)[] steps =
        [
            ("lookup, cold (Contacts and Leads)", 1, () => lookup.LookupAsync(visitor)),
            ("lookup, again within the cache window", 0, () => lookup.LookupAsync(visitor)),
            ("flow builder: describes of Lead, Contact, Chat_Survey__c (once per org and hour)", null, async () =>
            {
                await bot.GetCreatableFieldsAsync("Lead");
                await bot.GetCreatableFieldsAsync("Contact");
                await bot.GetCreatableFieldsAsync("Chat_Survey__c");
            }),
            ("create a Lead", 1, () => Expect(bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "Lead", Fields = new Dictionary<string, string?> { ["LastName"] = "Bot", ["Company"] = "Acme" } }), BotActionOutcome.Created)),
            ("create with an external-id key (new)", 1, () => Expect(bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "Chat_Survey__c", Fields = Survey("Billing"), KeyField = "Visitor_Key__c" }), BotActionOutcome.Created)),
            ("create with an external-id key (exists: update)", 1, () => Expect(bot.CreateRecordAsync(new CreateRecordRequest { ObjectType = "Chat_Survey__c", Fields = Survey("Refund"), KeyField = "Visitor_Key__c" }), BotActionOutcome.Updated)),
            ("find a record (describe cached)", 1, () => Expect(bot.FindRecordAsync(find), BotActionOutcome.Found)),
            ("find the same record within the cache window", 0, () => Expect(bot.FindRecordAsync(find), BotActionOutcome.Found)),
            ("find by SOQL", 1, () => Expect(bot.FindRecordBySoqlAsync(soql), BotActionOutcome.Found)),
            ("find by SOQL again within the cache window", 0, () => Expect(bot.FindRecordBySoqlAsync(soql), BotActionOutcome.Found)),
        ];

        emulator.ResetApiUsage();
        var rows = new JsonArray();
        var ok = true;
        if (print)
        {
            Console.WriteLine($"Agent console and chatbot actions against the emulator, {latencyMs} ms per request:");
            Console.WriteLine("| Step | API calls | Target | Wall time |");
            Console.WriteLine("|---|---:|---:|---:|");
        }

        foreach (var (step, target, run) in steps)
        {
            var before = emulator.ApiCallsUsed;
            var stopwatch = Stopwatch.StartNew();
            await run();
            stopwatch.Stop();
            var calls = emulator.ApiCallsUsed - before;
            var met = target is null || calls == target;
            ok &= met;
            if (print)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {step} | {calls} | {(target is null ? "-" : target.ToString())} | {stopwatch.Elapsed.TotalMilliseconds:F0} ms |{(met ? string.Empty : " MISSED")}"));
            }

            rows.Add(new JsonObject { ["step"] = step, ["apiCalls"] = calls, ["target"] = target, ["wallMs"] = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 1) });
        }

        return (ok, rows);
    }

    private static async Task Expect(Task<BotActionResult> action, BotActionOutcome outcome)
    {
        var result = await action;
        if (result.Outcome != outcome)
        {
            throw new InvalidOperationException($"Expected {outcome}, got {result}.");
        }
    }
}
