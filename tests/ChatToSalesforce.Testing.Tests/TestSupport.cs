using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>An HttpClient wired to an emulator in-process, authenticated as the integration user.</summary>
internal sealed class Org : IDisposable
{
    public Org(SalesforceEmulatorOptions? options = null)
    {
        Emulator = new SalesforceEmulator(options);
        Http = new HttpClient(Emulator.CreateHandler()) { BaseAddress = Emulator.InstanceUrl };
        Token = Emulator.IssueAccessToken();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public SalesforceEmulator Emulator { get; }

    public HttpClient Http { get; }

    public string Token { get; }

    public Task<Reply> Get(string path) => Send(HttpMethod.Get, path);

    public Task<Reply> Post(string path, object? body, params (string Name, string Value)[] headers) => Send(HttpMethod.Post, path, body, headers);

    public Task<Reply> Patch(string path, object? body, params (string Name, string Value)[] headers) => Send(HttpMethod.Patch, path, body, headers);

    public Task<Reply> Delete(string path) => Send(HttpMethod.Delete, path);

    public async Task<Reply> Query(string soql, params (string Name, string Value)[] headers) =>
        await Send(HttpMethod.Get, "/services/data/v62.0/query?q=" + Uri.EscapeDataString(soql), null, headers);

    public async Task<Reply> Send(HttpMethod method, string path, object? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? (body as JsonNode ?? JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(body)))!.ToJsonString();
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        return await Reply.Read(response);
    }

    public void Dispose()
    {
        Http.Dispose();
        Emulator.Dispose();
    }
}

internal sealed record Reply(int Status, JsonNode? Json, string Text, HttpResponseMessage Headers)
{
    public static async Task<Reply> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && (text[0] == '{' || text[0] == '['))
        {
            json = JsonNode.Parse(text);
        }

        return new Reply((int)response.StatusCode, json, text, response);
    }

    public string? ErrorCode => Json is JsonArray { Count: > 0 } a ? (string?)a[0]!["errorCode"] : null;

    public string? Message => Json is JsonArray { Count: > 0 } a ? (string?)a[0]!["message"] : null;

    public string? Header(string name) =>
        Headers.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : Headers.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}

/// <summary>A clock the tests move by hand (no sleeping, no timing dependence).</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
