using System.Net;
using System.Net.Sockets;

namespace ChatToSalesforce.Cli.Tests;

/// <summary>Issue 11 item 1: <c>chat2sf check</c> validates the token URL like the SDK does, before any credential is sent.</summary>
public sealed class CheckTokenUrlTests
{
    [Fact]
    public async Task Check_with_a_token_url_outside_Salesforce_exits_2_and_sends_nothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var config = CliRunner.TempFile(".json", $$"""
            { "Salesforce": { "InstanceUrl": "https://acme.my.salesforce.com",
              "Authentication": { "Flow": "ClientCredentials", "ClientId": "app", "ClientSecret": "very-secret-value", "TokenUrl": "https://127.0.0.1:{{port}}" } } }
            """);

        var result = await CliRunner.RunAsync(["check", "--config", config]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Err.Should().Contain("Authentication.TokenUrl").And.Contain("is not a Salesforce login host or My Domain host")
            .And.NotContain("very-secret-value");
        listener.Pending().Should().BeFalse("no token request may reach a host that is not Salesforce");
    }
}
