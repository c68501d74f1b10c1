using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing.Internal;

namespace ChatToSalesforce.Testing.Tests;

/// <summary>Issue 11 item 9 and issue 12 item 3: the served emulator checks the Host header, gives tokens only to configured clients and answers malformed HTTP with 4xx.</summary>
public sealed class ServedRobustnessTests : IAsyncLifetime
{
    private SalesforceEmulator _emulator = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        _emulator = new SalesforceEmulator();
        _baseUrl = await _emulator.StartServerAsync();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private int Port => _baseUrl.Port;

    /// <summary>Sends raw bytes on a new connection and reads the answer until the server closes the connection.</summary>
    private async Task<string> Raw(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, timeout.Token);
        return Encoding.UTF8.GetString(answer.ToArray());
    }

    private static int StatusOf(string response) => int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.attacker.example")]
    [InlineData("0.0.0.0")]
    public async Task A_request_for_another_host_name_is_refused_before_it_reaches_the_org(string hostName)
    {
        var response = await Raw($"GET /services/data HTTP/1.1\r\nHost: {hostName}:{Port}\r\nConnection: close\r\n\r\n");

        StatusOf(response).Should().Be(421);
        response.Should().Contain($"127.0.0.1:{Port}").And.NotContain(hostName + ":");
        _emulator.RequestLog.Should().BeEmpty();
    }

    [Fact]
    public async Task The_dashboard_is_refused_too_for_another_host_name()
    {
        var response = await Raw($"GET /_emulator/api/summary HTTP/1.1\r\nHost: rebind.attacker.example:{Port}\r\nConnection: close\r\n\r\n");

        StatusOf(response).Should().Be(421);
        response.Should().NotContain(_emulator.OrganizationId);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("[::1]")]
    public async Task Loopback_names_with_the_servers_port_are_answered(string hostName)
    {
        var response = await Raw($"GET /services/data HTTP/1.1\r\nHost: {hostName}:{Port}\r\nConnection: close\r\n\r\n");

        StatusOf(response).Should().Be(200);
    }

    [Fact]
    public async Task A_loopback_name_with_another_port_is_refused()
    {
        var other = Port == 65535 ? 1 : Port + 1;

        var response = await Raw($"GET /services/data HTTP/1.1\r\nHost: 127.0.0.1:{other}\r\nConnection: close\r\n\r\n");

        StatusOf(response).Should().Be(421);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", 5000, "127.0.0.1")]
    [InlineData("localhost:5000", 5000, "localhost")]
    [InlineData("[::1]:5000", 5000, "[::1]")]
    [InlineData("localhost", 80, "localhost")]
    [InlineData("localhost", 5000, null)]
    [InlineData("localhost:", 5000, null)]
    [InlineData("localhost:05000x", 5000, null)]
    [InlineData("[::1]x:5000", 5000, null)]
    [InlineData("[::2]:5000", 5000, null)]
    [InlineData("127.0.0.2:5000", 5000, null)]
    [InlineData("evil.example:5000", 5000, null)]
    [InlineData("", 5000, null)]
    public void Loopback_host_names_are_recognised_exactly(string host, int port, string? expected) =>
        LoopbackServer.LoopbackHostName(host, port).Should().Be(expected);

    [Fact]
    public async Task An_http_1_1_request_without_a_host_header_gets_400()
    {
        var response = await Raw("GET /services/data HTTP/1.1\r\nConnection: close\r\n\r\n");

        StatusOf(response).Should().Be(400);
        response.Should().Contain("Host header");
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET /services/data\r\n\r\n", 400)]
    [InlineData("GET services/data HTTP/1.1\r\nHost: {host}\r\n\r\n", 400)]
    [InlineData("G(T /services/data HTTP/1.1\r\nHost: {host}\r\n\r\n", 400)]
    [InlineData("GET /services/data HTTP/2.0\r\nHost: {host}\r\n\r\n", 505)]
    [InlineData("GET /services/data HTTP/1.1\r\nHost: {host}\r\nno colon here\r\n\r\n", 400)]
    [InlineData("GET /services/data HTTP/1.1\r\nHost: {host}\r\n : empty name\r\n\r\n", 400)]
    [InlineData("GET /services/data HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\n\r\n", 400)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nContent-Length: ten\r\n\r\n", 400)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nContent-Length: 999999999999\r\n\r\n", 413)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n", 400)]
    [InlineData("POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcdef\r\n0\r\n\r\n", 400)]
    public async Task Malformed_http_gets_an_answer_not_a_dropped_connection(string request, int status)
    {
        var response = await Raw(request.Replace("{host}", $"127.0.0.1:{Port}", StringComparison.Ordinal));

        StatusOf(response).Should().Be(status);
        response.Should().Contain("Connection: close").And.Contain("Content-Type: text/plain");

        // The server lives on.
        var next = await Raw($"GET /services/data HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\nConnection: close\r\n\r\n");
        StatusOf(next).Should().Be(200);
    }

    [Fact]
    public async Task Overlong_request_lines_and_headers_get_414_and_431()
    {
        var longLine = await Raw($"GET /services/data/{new string('a', 20_000)} HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\n\r\n");
        var longHeader = await Raw($"GET /services/data HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\nX-Big: {new string('b', 20_000)}\r\n\r\n");
        var manyHeaders = await Raw($"GET /services/data HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\n{string.Concat(Enumerable.Range(0, 100).Select(i => $"X-H{i}: {new string('c', 1000)}\r\n"))}\r\n");

        StatusOf(longLine).Should().Be(414);
        StatusOf(longHeader).Should().Be(431);
        StatusOf(manyHeaders).Should().Be(431);
    }

    private async Task<(int Status, JsonObject Body)> Token(string clientId, string clientSecret, Uri? baseUrl = null)
    {
        using var http = new HttpClient { BaseAddress = baseUrl ?? _baseUrl };
        using var response = await http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        }));
        return ((int)response.StatusCode, (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!);
    }

    [Fact]
    public async Task The_served_token_endpoint_accepts_the_configured_credentials_only()
    {
        var configured = await Token("chat2sf", "chat2sf");
        var wrongSecret = await Token("chat2sf", "guess");
        var unknown = await Token("any-client", "any-secret");

        configured.Status.Should().Be(200);
        configured.Body["access_token"].Should().NotBeNull();
        wrongSecret.Status.Should().Be(400);
        ((string?)wrongSecret.Body["error"]).Should().Be("invalid_client");
        unknown.Status.Should().Be(400);
        ((string?)unknown.Body["error"]).Should().Be("invalid_client_id");
        wrongSecret.Body.ToJsonString().Should().NotContain("guess");
    }

    [Fact]
    public async Task Configured_and_registered_clients_get_tokens_when_served()
    {
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { ClientId = "my-app", ClientSecret = "my-secret" });
        emulator.RegisterClient("seeded-app", "seeded-secret");
        var url = await emulator.StartServerAsync();

        (await Token("my-app", "my-secret", url)).Status.Should().Be(200);
        (await Token("seeded-app", "seeded-secret", url)).Status.Should().Be(200);
        (await Token("chat2sf", "chat2sf", url)).Status.Should().Be(400);
        (await Token("seeded-app", "my-secret", url)).Status.Should().Be(400);
    }

    [Fact]
    public async Task AcceptAnyClient_true_lets_any_client_in_when_served()
    {
        await using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { AcceptAnyClient = true });
        var url = await emulator.StartServerAsync();

        (await Token("whatever", "whatever", url)).Status.Should().Be(200);
    }

    [Fact]
    public async Task In_process_the_default_still_accepts_any_client()
    {
        using var emulator = new SalesforceEmulator();
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };

        using var response = await http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "whatever",
            ["client_secret"] = "whatever",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AcceptAnyClient_false_in_process_accepts_only_the_configured_client()
    {
        using var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { AcceptAnyClient = false });
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.InstanceUrl };
        async Task<HttpStatusCode> Grant(string id, string secret)
        {
            using var response = await http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = id,
                ["client_secret"] = secret,
            }));
            return response.StatusCode;
        }

        (await Grant("chat2sf", "chat2sf")).Should().Be(HttpStatusCode.OK);
        (await Grant("whatever", "whatever")).Should().Be(HttpStatusCode.BadRequest);
    }
}
