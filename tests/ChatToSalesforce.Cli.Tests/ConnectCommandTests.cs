using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatToSalesforce.Cli.Tests;

public sealed partial class ConnectCommandTests
{
    [Fact]
    public async Task Connect_records_the_org_in_the_tenants_file_without_the_secret()
    {
        var tenants = CliRunner.TempFile(".json", """{ "Tenants": { "acme": { "Mode": "LeadAndTask" } } }""");
        Task? admin = null;

        var result = await CliRunner.RunAsync(
            ["connect", "--tenant", "acme", "--tenants", tenants, "--emulator", "--port", "0"],
            openBrowser: url => admin = Task.Run(() => AllowAsync(url, "integration@acme.emulator.example.com")));

        await admin!;
        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Connected as integration@acme.emulator.example.com");
        var file = JsonNode.Parse(await File.ReadAllTextAsync(tenants))!["Tenants"]!["acme"]!;
        ((string)file["Mode"]!).Should().Be("LeadAndTask", "the tenant's settings stay");
        ((string)file["Authentication"]!["Flow"]!).Should().Be("RefreshToken");
        ((string)file["InstanceUrl"]!).Should().StartWith("http://127.0.0.1:");
        file["Authentication"]!["RefreshToken"].Should().BeNull("secrets stay out of the file unless --write-secrets");
        result.Out.Should().Contain("export Tenants__acme__Authentication__RefreshToken=");
    }

    [Fact]
    public async Task A_denied_connection_records_nothing()
    {
        var tenants = CliRunner.TempFile(".json", """{ "Tenants": { "acme": { "Mode": "LeadAndTask" } } }""");
        Task? admin = null;

        var result = await CliRunner.RunAsync(
            ["connect", "--tenant", "acme", "--tenants", tenants, "--emulator", "--port", "0"],
            openBrowser: url => admin = Task.Run(() => AllowAsync(url, "integration@acme.emulator.example.com", action: "deny")));

        await admin!;
        result.ExitCode.Should().Be(1, result.ToString());
        result.Err.Should().Contain("denied");
        JsonNode.Parse(await File.ReadAllTextAsync(tenants))!["Tenants"]!["acme"]!["InstanceUrl"].Should().BeNull();
    }

    /// <summary>What the admin does in the browser: open the login page, log in and click Allow (or Deny), follow the redirect to the CLI's callback.</summary>
    private static async Task AllowAsync(Uri authorizationUrl, string username, string action = "allow")
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(authorizationUrl);
        var form = HiddenInput().Matches(page).ToDictionary(m => m.Groups["name"].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups["value"].Value));
        form["username"] = username;
        form["password"] = "anything";
        form["action"] = action;
        using var answer = await browser.PostAsync(new Uri(authorizationUrl, "/services/oauth2/authorize"), new FormUrlEncodedContent(form));
        ((int)answer.StatusCode).Should().Be(302, await answer.Content.ReadAsStringAsync());
        using var callback = await browser.GetAsync(answer.Headers.Location!);
        callback.IsSuccessStatusCode.Should().BeTrue();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
