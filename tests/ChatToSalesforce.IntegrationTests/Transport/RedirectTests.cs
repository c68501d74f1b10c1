using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatToSalesforce.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace ChatToSalesforce.IntegrationTests.Transport;

/// <summary>
/// Issue 11 item 2: redirects are never followed over real (loopback) HTTP with the default handler: a 307 from the token
/// endpoint must not re-POST the client secret to the Location, and a redirect from the API must not carry the bearer token.
/// </summary>
public sealed class RedirectTests
{
    [Fact]
    public async Task TokenEndpointRedirect_IsAnErrorNamingTheTarget_AndTheSecretGoesNowhereElse()
    {
        using var elsewhere = new CountingListener();
        await using var redirector = new RedirectingServer(307, $"http://127.0.0.1:{elsewhere.Port}/steal?token=abc");
        await using var provider = Build(redirector.BaseUrl, o =>
        {
            o.Authentication.Flow = SalesforceAuthFlow.ClientCredentials;
            o.Authentication.ClientId = "app";
            o.Authentication.ClientSecret = "very-secret-value";
        });

        var act = () => provider.GetRequiredService<ISalesforceClient>().DescribeAsync("Contact");

        var error = (await act.Should().ThrowAsync<SalesforceAuthenticationException>()).Which;
        error.Error.Should().Be("redirect");
        error.Message.Should().Contain("redirect (HTTP 307) to 127.0.0.1").And.Contain("never followed")
            .And.NotContain("steal").And.NotContain("token=abc").And.NotContain("very-secret-value");
        redirector.Requests.Should().Be(1);
        elsewhere.Connections.Should().Be(0, "the form with the client secret must not be re-posted to the redirect target");
    }

    [Fact]
    public async Task ApiRedirect_IsAnErrorNamingTheTarget_AndTheTokenGoesNowhereElse()
    {
        using var elsewhere = new CountingListener();
        await using var redirector = new RedirectingServer(302, $"http://127.0.0.1:{elsewhere.Port}/services/data?sid=abc");
        await using var provider = Build(redirector.BaseUrl, o =>
        {
            o.Authentication.Flow = SalesforceAuthFlow.AccessToken;
            o.Authentication.AccessToken = "00Dxx!bearer-token-value";
        });

        var act = () => provider.GetRequiredService<ISalesforceClient>().DescribeAsync("Contact");

        var error = (await act.Should().ThrowAsync<SalesforceApiException>()).Which;
        error.ErrorCode.Should().Be("UNEXPECTED_REDIRECT");
        error.StatusCode.Should().Be(HttpStatusCode.Redirect);
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("redirect (HTTP 302) to 127.0.0.1")
            .And.NotContain("sid=abc").And.NotContain("bearer-token-value");
        redirector.Requests.Should().Be(1, "a redirect is not retried");
        elsewhere.Connections.Should().Be(0);
    }

    private static ServiceProvider Build(Uri baseUrl, Action<SalesforceChatExportOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSalesforceChatExport(o =>
        {
            o.InstanceUrl = baseUrl;
            o.AllowTestEndpoint = true;
            o.Resilience.BaseDelay = TimeSpan.Zero;
            o.Resilience.MaxDelay = TimeSpan.Zero;
            configure(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>A loopback HTTP/1.1 server that answers every request with the given redirect.</summary>
    private sealed class RedirectingServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _requests;

        public RedirectingServer(int status, string location)
        {
            _listener.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
            _loop = Task.Run(() => ServeAsync(status, location));
        }

        public Uri BaseUrl { get; }

        public int Requests => Volatile.Read(ref _requests);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }

            _stop.Dispose();
        }

        private async Task ServeAsync(int status, string location)
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                await ReadRequestAsync(stream, _stop.Token);
                Interlocked.Increment(ref _requests);
                var answer = $"HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            }
        }

        private static async Task ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            var received = new List<byte>();
            var buffer = new byte[4096];
            int headerEnd;
            while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
            {
                var n = await stream.ReadAsync(buffer, cancellationToken);
                if (n == 0)
                {
                    return;
                }

                received.AddRange(buffer.AsSpan(0, n));
            }

            var headers = Encoding.ASCII.GetString(received.ToArray(), 0, headerEnd);
            var length = headers.Split("\r\n")
                .Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Select(h => int.Parse(h["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
                .FirstOrDefault();
            var body = received.Count - (headerEnd + 4);
            while (body < length)
            {
                var n = await stream.ReadAsync(buffer, cancellationToken);
                if (n == 0)
                {
                    return;
                }

                body += n;
            }
        }

        private static int IndexOfHeaderEnd(List<byte> data)
        {
            for (var i = 0; i + 3 < data.Count; i++)
            {
                if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>A loopback listener that only counts the connections made to it.</summary>
    private sealed class CountingListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public CountingListener() => _listener.Start();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections
        {
            get
            {
                var count = 0;
                while (_listener.Pending())
                {
                    _listener.AcceptTcpClient().Dispose();
                    count++;
                }

                return count;
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
