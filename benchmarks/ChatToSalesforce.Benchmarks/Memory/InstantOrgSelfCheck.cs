using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.Benchmarks.Memory;

/// <summary>
/// Keeps <see cref="InstantSalesforceHandler"/> honest: sends the same requests (a composite graph, a composite with a
/// query, a describe and a create, an sObject Collections create, a query and a single create) to the fake and to the
/// emulator and checks that the fake's answers have the emulator's shape: same statuses, no property the emulator
/// does not send, the same properties where it matters, the same array lengths and value kinds.
/// </summary>
internal static class InstantOrgSelfCheck
{
    private const string Api = "/services/data/v62.0/";

    /// <summary>Properties the fake may leave out (it invents no headers and never pages).</summary>
    private static readonly HashSet<string> Optional = new(StringComparer.Ordinal) { "Location", "nextRecordsUrl", "warnings", "infos" };

    /// <summary>Properties whose values, not only kinds, must be the same.</summary>
    private static readonly HashSet<string> SameValue = new(StringComparer.Ordinal) { "httpStatusCode", "success", "isSuccessful", "done", "totalSize", "created", "graphId", "referenceId" };

    public static async Task<IReadOnlyList<string>> RunAsync()
    {
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { RequestLogCapacity = 0 });
        var token = emulator.IssueAccessToken();
        using var real = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        using var fake = new HttpClient(new InstantSalesforceHandler(new InstantOrg(), emulator.CreateHandler())) { BaseAddress = emulator.InstanceUrl };
        foreach (var client in new[] { real, fake })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var requests = new (string Method, string Path, string? Body)[]
        {
            ("POST", Api + "composite/graph", $$$"""
                {"graphs":[
                  {"graphId":"g1","compositeRequest":[
                    {"method":"POST","url":"{{{Api}}}sobjects/Contact","referenceId":"person","body":{"LastName":"One","Email":"one@example.com"}},
                    {"method":"POST","url":"{{{Api}}}sobjects/Task","referenceId":"activity","body":{"Subject":"Chat 1","WhoId":"@{person.id}"}}]},
                  {"graphId":"g2","compositeRequest":[
                    {"method":"POST","url":"{{{Api}}}sobjects/Contact","referenceId":"person","body":{"LastName":"Two","Email":"two@example.com"}}]}]}
                """),
            ("POST", Api + "composite", $$$"""
                {"allOrNone":false,"compositeRequest":[
                  {"method":"GET","url":"{{{Api}}}query?q=SELECT+Id+FROM+Contact+WHERE+Email+IN+('nobody%40example.com')","referenceId":"q1"},
                  {"method":"GET","url":"{{{Api}}}sobjects/Contact/describe","referenceId":"d1"},
                  {"method":"POST","url":"{{{Api}}}sobjects/Contact","referenceId":"c1","body":{"LastName":"Three"}}]}
                """),
            ("POST", Api + "composite/sobjects", """
                {"allOrNone":false,"records":[
                  {"attributes":{"type":"Contact"},"LastName":"Four"},
                  {"attributes":{"type":"Task"},"Subject":"Chat 4"}]}
                """),
            ("GET", Api + "query?q=" + Uri.EscapeDataString("SELECT Id FROM Contact WHERE Email = 'nobody@example.com'"), null),
            ("POST", Api + "sobjects/Task", """{"Subject":"Chat 5"}"""),
        };

        var problems = new List<string>();
        foreach (var (method, path, body) in requests)
        {
            var (realStatus, realJson) = await SendAsync(real, method, path, body);
            var (fakeStatus, fakeJson) = await SendAsync(fake, method, path, body);
            var where = $"{method} {path.Split('?')[0]}";
            if (realStatus != fakeStatus)
            {
                problems.Add($"{where}: status {fakeStatus}, the emulator answers {realStatus}.");
            }

            Compare(realJson, fakeJson, where, problems);
        }

        return problems;
    }

    private static async Task<(int Status, JsonNode? Json)> SendAsync(HttpClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> problems)
    {
        switch (expected)
        {
            case null:
                if (actual is not null)
                {
                    problems.Add($"{path}: the fake answers a value where the emulator answers null.");
                }

                break;
            case JsonObject e when actual is JsonObject a:
                foreach (var pair in a)
                {
                    if (!e.ContainsKey(pair.Key))
                    {
                        problems.Add($"{path}.{pair.Key}: the emulator does not send this property.");
                    }
                }

                foreach (var (key, value) in e)
                {
                    if (path.EndsWith(".httpHeaders", StringComparison.Ordinal) || Optional.Contains(key))
                    {
                        continue;
                    }

                    if (!a.TryGetPropertyValue(key, out var other))
                    {
                        problems.Add($"{path}.{key}: missing.");
                        continue;
                    }

                    if (SameValue.Contains(key) && value?.ToJsonString() != other?.ToJsonString())
                    {
                        problems.Add($"{path}.{key}: {other?.ToJsonString()}, the emulator answers {value?.ToJsonString()}.");
                        continue;
                    }

                    Compare(value, other, $"{path}.{key}", problems);
                }

                break;
            case JsonArray e when actual is JsonArray a:
                if (e.Count != a.Count)
                {
                    problems.Add($"{path}: {a.Count} items, the emulator answers {e.Count}.");
                    break;
                }

                for (var i = 0; i < e.Count; i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", problems);
                }

                break;
            case JsonValue e when actual is JsonValue a:
                if (e.GetValueKind() != a.GetValueKind())
                {
                    problems.Add($"{path}: a {a.GetValueKind()}, the emulator answers a {e.GetValueKind()}.");
                }

                break;
            default:
                problems.Add($"{path}: a {actual?.GetValueKind().ToString() ?? "null"}, the emulator answers a {expected.GetValueKind()}.");
                break;
        }
    }
}
