using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing;

namespace ChatToSalesforce.IntegrationTests.Infrastructure;

/// <summary>Reads the emulator's final org state for assertions.</summary>
internal static class OrgInspection
{
    /// <summary>Gets a field of a record snapshot as text (null when absent or null).</summary>
    public static string? Text(this JsonObject record, string field) =>
        record[field] is JsonValue value ? value.ToString() : null;

    /// <summary>Gets the single record of a type, by id, failing when it does not exist.</summary>
    public static JsonObject Get(this SalesforceEmulator emulator, string objectType, string id) =>
        emulator.Find(objectType, id) ?? throw new InvalidOperationException($"{objectType} {id} does not exist.");

    /// <summary>Gets the write composites (POST /composite) the SDK sent.</summary>
    public static IReadOnlyList<EmulatorRequest> Composites(this SalesforceEmulator emulator) =>
        emulator.RequestLog.Where(r => r.Method == "POST" && r.Path.Contains("/composite", StringComparison.Ordinal)).ToArray();

    /// <summary>Reads a ContentVersion's bytes through the REST API, as a client would.</summary>
    public static async Task<byte[]> FileBytesAsync(this SalesforceEmulator emulator, string contentVersionId)
    {
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueAccessToken());
        return await http.GetByteArrayAsync($"/services/data/v62.0/sobjects/ContentVersion/{contentVersionId}/VersionData");
    }

    /// <summary>Gets the ids of the entities a ContentVersion's document is linked to.</summary>
    public static IReadOnlyList<string?> LinkedEntities(this SalesforceEmulator emulator, string contentVersionId)
    {
        var documentId = emulator.Get("ContentVersion", contentVersionId).Text("ContentDocumentId");
        return emulator.Records("ContentDocumentLink").Where(l => l.Text("ContentDocumentId") == documentId).Select(l => l.Text("LinkedEntityId")).ToArray();
    }

    /// <summary>Seeds an active (or inactive) User and returns its id.</summary>
    public static string SeedUser(this SalesforceEmulator emulator, string email, bool active = true) =>
        emulator.Insert("User", new { Username = email, Email = email, LastName = email.Split('@')[0], IsActive = active });
}

/// <summary>A clock the test moves by hand (for LastModifiedDate ordering).</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
